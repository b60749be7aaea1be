import { sql } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from './db';
import { describeSafely } from './safe-error';

/**
 * Background jobs kept in PostgreSQL, so that work runs exactly once however many server
 * instances share the database (SECURITY.md 30; issue 4 §3):
 *
 * - enqueueJob inserts with a unique `key` (e.g. `contact.reminders:2026-11-21`): when two
 *   instances' timers fire at the same minute, the second insert is a no-op.
 * - workJobs takes one due job at a time with `FOR UPDATE SKIP LOCKED` and runs its handler in
 *   the same transaction that marks it done, so the handler's writes and "done" commit together
 *   or not at all; another instance skips the locked row instead of waiting for it.
 * - A failing handler's writes roll back; the job is retried later with a growing delay and left
 *   as 'failed' after MAX_ATTEMPTS, with its error (described safely: no personal data).
 *
 * Timers (croner) only enqueue and tick; nothing is kept in memory between ticks.
 */

export interface JobRow {
  id: number;
  kind: string;
  key: string;
  payload: Record<string, unknown>;
  attempts: number;
}

export interface JobContext {
  now: Date;
  instanceId: string;
}

/** Runs inside the job's transaction: use `tx` for every write. */
export type JobHandler = (tx: Tx, job: JobRow, ctx: JobContext) => Promise<void>;

export const JOB_MAX_ATTEMPTS = 5;

export async function enqueueJob(
  db: Db | Tx,
  job: { kind: string; key: string; payload?: Record<string, unknown>; runAt?: Date },
): Promise<boolean> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`insert into job (kind, key, payload, run_at)
        values (${job.kind}, ${job.key}, ${JSON.stringify(job.payload ?? {})}::jsonb,
                ${(job.runAt ?? new Date()).toISOString()}::timestamptz)
        on conflict (key) do nothing
        returning id`,
  );
  return rows.length > 0;
}

function retryDelayMs(attempts: number) {
  return Math.min(60_000 * 2 ** (attempts - 1), 3_600_000);
}

/**
 * Works due jobs until none is left (or `limit` have run). Returns what this instance did; an
 * unknown kind fails its job rather than blocking the queue.
 */
export async function workJobs(
  db: Db,
  handlers: Readonly<Record<string, JobHandler>>,
  opts: { instanceId: string; now?: () => Date; limit?: number },
): Promise<{ done: number; failed: number; retried: number }> {
  const now = opts.now ?? (() => new Date());
  const result = { done: 0, failed: 0, retried: 0 };
  for (let i = 0; i < (opts.limit ?? 100); i++) {
    let taken: JobRow | undefined;
    let error: unknown;
    try {
      await db.transaction(async (tx) => {
        const [row] = await queryRows<JobRow>(
          tx,
          sql`select id, kind, key, payload, attempts from job
               where status = 'queued' and run_at <= ${now().toISOString()}::timestamptz
               order by run_at, id
               limit 1
               for update skip locked`,
        );
        if (!row) return;
        taken = row;
        const handler = handlers[row.kind];
        if (!handler) throw new Error(`no handler for job kind ${row.kind}`);
        await handler(tx, row, { now: now(), instanceId: opts.instanceId });
        await tx.execute(
          sql`update job set status = 'done', attempts = attempts + 1, done_at = now(),
                     locked_by = ${opts.instanceId}, last_error = null
               where id = ${row.id}`,
        );
      });
    } catch (err) {
      error = err;
    }
    if (!taken) {
      if (error) throw error;
      break;
    }
    if (!error) {
      result.done++;
      continue;
    }
    const attempts = taken.attempts + 1;
    const give = attempts >= JOB_MAX_ATTEMPTS;
    const at = new Date(now().getTime() + retryDelayMs(attempts));
    await db.execute(
      sql`update job set attempts = ${attempts},
                 status = ${give ? 'failed' : 'queued'},
                 run_at = ${at.toISOString()}::timestamptz,
                 locked_by = ${opts.instanceId},
                 last_error = ${JSON.stringify(describeSafely(error)).slice(0, 1000)}
           where id = ${taken.id} and status = 'queued'`,
    );
    if (give) result.failed++;
    else result.retried++;
  }
  return result;
}
