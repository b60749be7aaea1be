import type { ErrorCode } from '@liudong/contracts';

/**
 * The one error type. Services throw it with a stable code and a Chinese message for people;
 * the error handler maps the code to an HTTP status through one exhaustive table.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const STATUS_OF: Record<ErrorCode, number> = {
  validation_failed: 400,
  password_policy: 400,
  separation_of_duties: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  totp_invalid: 401,
  stage_required: 403,
  csrf_failed: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  version_conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
};

export const notFound = (what = '记录') => new AppError('not_found', `${what}不存在`);
export const forbidden = () => new AppError('forbidden', '没有执行此操作的权限');
export const versionConflict = () =>
  new AppError('version_conflict', '该记录已被他人修改，请刷新后重试');

/** A 400 naming the one field to fix (the web form shows the message at that field). */
export const invalidField = (path: string, message: string) =>
  new AppError('validation_failed', message, [{ path, message }]);
