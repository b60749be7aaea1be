import { Cron } from 'croner';
import type { FastifyBaseLogger } from 'fastify';
import { chinaDateOf } from '@liudong/domain';
import { smsConfigOf, type AppConfig } from './platform/config';
import type { FieldCipher } from './platform/crypto';
import type { Database } from './platform/db';
import { workJobs } from './platform/jobs';
import { describeSafely } from './platform/safe-error';
import { createSmsDriver, type SmsDriver } from './platform/sms';
import { contactJobHandlers, enqueueContactDaily } from './modules/contacts/contacts.jobs';
import { dispatchSms, type DispatchResult } from './modules/sms/sms.dispatch';

/**
 * Background work of a server process (issue 4 §3, SECURITY.md 30). A croner tick — every minute,
 * `protect: true` so a slow tick is never overlapped by the next one in the same process —
 * does three things, each of which is safe when several instances tick on one PostgreSQL:
 *
 * (a) from 08:00 China time, enqueue the day's keeping-in-touch job (a unique key per China date:
 *     the second instance's insert is a no-op; 08:00 so reminders arrive in the morning);
 * (b) work due jobs (FOR UPDATE SKIP LOCKED; platform/jobs.ts);
 * (c) dispatch the SMS outbox (claimed FOR UPDATE SKIP LOCKED; modules/sms/sms.dispatch.ts).
 *
 * Nothing is kept in memory between ticks: a restarted or second instance picks up where the
 * first left off. A failing step is logged without personal data (describeSafely) and the next
 * step and the next tick still run; nothing here can crash the process.
 */

/** The hour (China time) from which the day's reminders are enqueued. */
export const CONTACT_DAILY_HOUR = 8;

export interface BackgroundDeps {
  database: Database;
  cipher: FieldCipher;
  config: AppConfig;
  log: FastifyBaseLogger;
  /** Names this process in job rows (locked_by), e.g. host:pid:random. */
  instanceId: string;
  /** The SMS driver; default: the one SMS_DRIVER configures. */
  driver?: SmsDriver;
  now?: () => Date;
}

export interface TickResult {
  enqueued: boolean | null;
  jobs: { done: number; failed: number; retried: number } | null;
  sms: DispatchResult | null;
  errors: string[];
}

/** The China wall-clock hour of an instant (UTC+8, no daylight saving). */
function chinaHour(at: Date) {
  return new Date(at.getTime() + 8 * 3_600_000).getUTCHours();
}

/** One tick; exported so tests (and an e2e run) can drive background work step by step. */
export async function runBackgroundTick(deps: BackgroundDeps): Promise<TickResult> {
  const now = deps.now ?? (() => new Date());
  const db = deps.database.db;
  const result: TickResult = { enqueued: null, jobs: null, sms: null, errors: [] };
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T | null> => {
    try {
      return await run();
    } catch (err) {
      result.errors.push(name);
      deps.log.error({ err: describeSafely(err), step: name }, 'background step failed');
      return null;
    }
  };

  const at = now();
  if (chinaHour(at) >= CONTACT_DAILY_HOUR) {
    result.enqueued = await step('contact.enqueue', () => enqueueContactDaily(db, chinaDateOf(at)));
  }
  result.jobs = await step('jobs', () =>
    workJobs(db, contactJobHandlers({ cipher: deps.cipher }), {
      instanceId: deps.instanceId,
      now,
    }),
  );
  const sms = smsConfigOf(deps.config);
  result.sms = await step('sms', () =>
    dispatchSms(db, deps.cipher, deps.driver ?? createSmsDriver(deps.config), {
      now,
      instanceId: deps.instanceId,
      limits: { perPhone: sms.dailyLimitPerPhone, total: sms.dailyLimitTotal },
    }),
  );
  const s = result.sms;
  if (s && s.sent + s.failed + s.retried + s.suppressed + s.deferred + s.recovered > 0) {
    // Counts only: never a phone, a text or an id that leads to one.
    deps.log.info({ sms: s }, 'sms outbox dispatched');
  }
  if (result.jobs && result.jobs.done + result.jobs.failed + result.jobs.retried > 0) {
    deps.log.info({ jobs: result.jobs }, 'background jobs worked');
  }
  return result;
}

/**
 * Starts the tick (every minute, or every BACKGROUND_TICK_SECONDS for end-to-end runs). Returns
 * stop(), which stops the timer and waits for a running tick, so the database can be closed
 * after it.
 */
export function startBackgroundWork(deps: BackgroundDeps): () => Promise<void> {
  const driver = deps.driver ?? createSmsDriver(deps.config);
  let running: Promise<unknown> | null = null;
  const tick = async () => {
    running = runBackgroundTick({ ...deps, driver }).catch((err: unknown) => {
      // runBackgroundTick catches per step; this is the last line (e.g. a logger failure).
      deps.log.error({ err: describeSafely(err) }, 'background tick failed');
    });
    try {
      await running;
    } finally {
      running = null;
    }
  };
  const seconds = deps.config.backgroundTickSeconds;
  const job = seconds
    ? new Cron('* * * * * *', { protect: true, interval: seconds }, tick)
    : new Cron('* * * * *', { protect: true }, tick);
  deps.log.info(
    { instanceId: deps.instanceId, smsDriver: driver.name, tickSeconds: seconds ?? 60 },
    'background work started',
  );
  return async () => {
    job.stop();
    if (running) await running;
  };
}
