import { describe, expect, it } from 'vitest';
import { ApiError } from './client';
import { shouldRetry } from './query-client';

describe('shouldRetry', () => {
  it.each([
    [0, new ApiError(0, 'network_error', '无法连接'), true],
    [0, new ApiError(503, 'internal', '错误'), true],
    [2, new ApiError(503, 'internal', '错误'), false],
    [0, new ApiError(404, 'not_found', '不存在'), false],
    [0, new ApiError(401, 'unauthenticated', '未登录'), false],
    [0, new Error('boom'), false],
  ])('failure %i of %o → %s', (count, error, expected) => {
    expect(shouldRetry(count, error)).toBe(expected);
  });
});
