import { describe, expect, it } from 'vitest';
import { describeErrorDetails } from './error-details';

describe('describeErrorDetails', () => {
  it('returns nothing for empty details', () => {
    expect(describeErrorDetails(undefined)).toEqual([]);
    expect(describeErrorDetails(null)).toEqual([]);
  });
  it('lists strings and messages, with the field path when there is one', () => {
    expect(
      describeErrorDetails({
        violations: ['密码至少12位', { code: 'classes', message: '至少包含3类字符' }],
        issues: [{ path: ['name'], message: '不能为空' }],
      }),
    ).toEqual(['密码至少12位', '至少包含3类字符', 'name：不能为空']);
  });
  it('drops duplicates', () => {
    expect(describeErrorDetails(['a', 'a'])).toEqual(['a']);
  });
});
