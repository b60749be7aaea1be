/**
 * (g) Mixed load: 50 signed-in sessions (street and branch officers, liaisons) each cycling
 * through the API calls of the pages they use, for a bounded time, against the real HTTP server.
 * Twice: paced (each session sends SESSION_RATE requests a second — an officer clicking through
 * pages, each page a few calls; the latency target applies here) and back to back (no pause: the
 * server's ceiling); then the same connections back to back on a bare route of the same server
 * (no session, no query): what HTTP on this machine costs before any work.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { LoadSession } from './actors';
import type { Latency } from './stats';

/** Requests per second per session when paced: a page every 1.5 s or so, two calls a page. */
export const SESSION_RATE = 2;

export interface LoadFigures {
  requests: number;
  perSecond: number;
  latency: { p50: number; p97_5: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  perPath: Record<string, Latency & { statuses: Record<string, number> }>;
}

/** The GETs behind the pages an officer (or a liaison) opens, in the order a day might go. */
export function pagesOf(s: Pick<LoadSession, 'role'>, searchText: string): string[] {
  const q = encodeURIComponent(searchText);
  if (s.role === 'liaison')
    return [
      '/api/auth/me',
      '/api/notifications',
      '/api/contacts/queue?view=mine&bucket=overdue',
      '/api/contacts/queue/summary?view=mine',
      '/api/contacts/queue?view=mine&bucket=week',
      '/api/contacts/queue?view=mine&bucket=all',
    ];
  return [
    '/api/auth/me',
    '/api/dashboard',
    '/api/notifications',
    '/api/members?limit=50',
    `/api/members?q=${q}&limit=50`,
    '/api/mobilities?direction=outflow&limit=50',
    '/api/contacts/queue?view=org&bucket=overdue',
    '/api/contacts/queue/summary?view=org',
    '/api/contacts/lost',
    '/api/transfers',
    '/api/liaisons',
    '/api/census',
  ];
}

export function runLoad(
  url: string,
  seconds: number,
  sessions: { cookie: string | null; paths: string[] }[],
  ratePerSession?: number,
): Promise<LoadFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'load-child.ts')],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1)!) as LoadFigures);
    });
    child.stdin.end(JSON.stringify({ url, seconds, sessions, ratePerSession }));
  });
}
