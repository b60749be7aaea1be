/**
 * A signed-in officer as the browser is one: the session cookie, the CSRF token from
 * /api/auth/me, requests with fetch over a kept-alive loopback connection.
 */
import { generateSync } from 'otplib';
import { SESSION_COOKIE } from '../../apps/server/src/platform/session-token';

export interface Session {
  username: string;
  cookie: string;
  csrf: string;
  /** GET, fails on a status other than 200; returns the body's bytes read to the end. */
  get(pathAndQuery: string): Promise<number>;
  json<T>(pathAndQuery: string): Promise<T>;
  request(method: string, pathAndQuery: string, body?: unknown): Promise<Response>;
}

function cookieFrom(res: Response): string | null {
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const [name, value] = pair!.split('=');
    if (name === SESSION_COOKIE && value) return value;
  }
  return null;
}

export async function signIn(
  baseUrl: string,
  user: { username: string; password: string; totpSecret?: string | null },
): Promise<Session> {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user.username, password: user.password }),
  });
  if (login.status !== 200)
    throw new Error(`login ${user.username}: ${login.status} ${await login.text()}`);
  const next = ((await login.json()) as { next: string }).next;
  let cookie = cookieFrom(login)!;
  const me = async () => {
    const res = await fetch(`${baseUrl}/api/auth/me`, {
      headers: { cookie: `${SESSION_COOKIE}=${cookie}` },
    });
    if (res.status !== 200) throw new Error(`me ${user.username}: ${res.status}`);
    return ((await res.json()) as { csrfToken: string }).csrfToken;
  };
  let csrf = await me();
  if (next === 'totp') {
    if (!user.totpSecret) throw new Error(`${user.username} needs TOTP`);
    const res = await fetch(`${baseUrl}/api/auth/totp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: `${SESSION_COOKIE}=${cookie}`,
        'x-csrf-token': csrf,
      },
      body: JSON.stringify({ code: generateSync({ secret: user.totpSecret }) }),
    });
    if (res.status !== 200)
      throw new Error(`totp ${user.username}: ${res.status} ${await res.text()}`);
    cookie = cookieFrom(res) ?? cookie;
    csrf = await me();
  }
  const session: Session = {
    username: user.username,
    cookie,
    csrf,
    request(method, pathAndQuery, body) {
      return fetch(`${baseUrl}${pathAndQuery}`, {
        method,
        headers: {
          cookie: `${SESSION_COOKIE}=${session.cookie}`,
          ...(method !== 'GET' && { 'x-csrf-token': session.csrf }),
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    },
    async get(pathAndQuery) {
      const res = await session.request('GET', pathAndQuery);
      const body = await res.arrayBuffer();
      const bytes = body.byteLength;
      if (res.status !== 200)
        throw new Error(
          `GET ${pathAndQuery}: ${res.status} ${new TextDecoder().decode(body).slice(0, 300)}`,
        );
      return bytes;
    },
    async json<T>(pathAndQuery: string) {
      const res = await session.request('GET', pathAndQuery);
      if (res.status !== 200)
        throw new Error(`GET ${pathAndQuery}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
  };
  return session;
}
