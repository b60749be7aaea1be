import type { ErrorCode } from '@liudong/contracts';

/**
 * The one HTTP client of the web app. JSON in and out, cookies on the same origin only, the CSRF
 * token on every state-changing request (SECURITY.md 6), and one error type carrying the server's
 * `{ error: { code, message, details } }` body. `message` is Chinese text meant for people.
 */
export class ApiError extends Error {
  readonly code: ErrorCode | 'network_error' | 'bad_response';
  readonly details: unknown;
  readonly status: number;

  constructor(status: number, code: ApiError['code'], message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function isApiError(error: unknown, code?: ApiError['code']): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

let csrfToken: string | null = null;

/** Called whenever a `Me` arrives (me, switch-role) and cleared at logout. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type SessionExpiredHandler = () => void;
let onSessionExpired: SessionExpiredHandler | null = null;

/** The app shell registers what to do when the session is gone (clear cache, go to /login). */
export function setSessionExpiredHandler(handler: SessionExpiredHandler | null): void {
  onSessionExpired = handler;
}

/** For a 401 seen outside `request` (the guard's /api/auth/me refetch after the session died). */
export function reportSessionExpired(): void {
  onSessionExpired?.();
}

const AUTH_PREFIX = '/api/auth/';

type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

/** Builds `path?query`, leaving out empty values so that optional filters are simply absent. */
export function buildUrl(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function readError(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as {
      error?: { code?: ApiError['code']; message?: string; details?: unknown };
    };
    if (body.error?.code && typeof body.error.message === 'string') {
      return new ApiError(response.status, body.error.code, body.error.message, body.error.details);
    }
  } catch {
    // Not JSON (a proxy error page, for instance): fall through to a generic message.
  }
  const message =
    response.status >= 500
      ? '服务器暂时无法处理请求，请稍后重试'
      : `请求失败（HTTP ${response.status}）`;
  return new ApiError(
    response.status,
    response.status >= 500 ? 'internal' : 'bad_response',
    message,
  );
}

export interface RawRequestOptions {
  query?: Query;
  /** Sent as is (a file's bytes, an already serialized body). */
  body?: BodyInit;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
}

/**
 * The request itself — same-origin cookies, the CSRF header on state-changing methods, errors as
 * `ApiError`, the session-expired hook — returning the successful `Response` unread. For answers
 * that are not one JSON document (a streamed NDJSON body); everything else goes through `request`.
 */
export async function requestRaw(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  options: RawRequestOptions = {},
): Promise<Response> {
  const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
  if (options.body !== undefined) {
    headers['content-type'] = options.contentType ?? 'application/octet-stream';
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body,
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', '无法连接服务器，请检查网络后重试');
  }

  if (!response.ok) {
    const error = await readError(response);
    if (
      response.status === 401 &&
      error.code === 'unauthenticated' &&
      !path.startsWith(AUTH_PREFIX)
    ) {
      onSessionExpired?.();
    }
    throw error;
  }
  return response;
}

/** JSON in and out. A `Blob` body (an uploaded file) is sent as is, with its own type. */
export async function request<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const { body } = options;
  const isBlob = body instanceof Blob;
  const response = await requestRaw(method, path, {
    query: options.query,
    body: body === undefined ? undefined : isBlob ? body : JSON.stringify(body),
    contentType: isBlob ? body.type || undefined : 'application/json',
    signal: options.signal,
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(response.status, 'bad_response', '服务器返回了无法识别的数据');
  }
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) =>
    request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};
