import { sql } from 'drizzle-orm';
import {
  SMS_MAX_ATTEMPTS,
  addDays,
  chinaDateOf,
  parsePhone,
  smsRetryDelayMs,
} from '@liudong/domain';
import type { FieldCipher } from '../../platform/crypto';
import { queryRows, type Db } from '../../platform/db';
import { SmsSendError, type SmsDriver } from '../../platform/sms';
import { SMS_PHONE_CONTEXT } from './sms.outbox';

/**
 * The outbox dispatcher (issue 4 §6; SECURITY.md 30: exactly once with two instances on one
 * PostgreSQL). Each batch goes through three steps:
 *
 * 1. Claim, in one short transaction: due 'queued' rows are locked `FOR UPDATE SKIP LOCKED`,
 *    checked (opt-out, mobile number, daily limits) and the sendable ones marked 'sending' with a
 *    lease (next_attempt_at = now + 10 minutes); commit. Claims also take a transaction-scoped
 *    advisory lock, so two instances claim one after the other and each sees the other's
 *    'sending' rows when it counts today's messages: the limits hold exactly, not per instance.
 * 2. Send, outside any transaction or lock (a slow provider holds no row lock and no connection).
 * 3. Record each result with its own statement: 'sent' (sent_at, provider, provider id), or back
 *    to 'queued' with the backoff of smsRetryDelayMs, or 'failed' when the error is permanent or
 *    SMS_MAX_ATTEMPTS tries are used up.
 *
 * A row still 'sending' after its lease (the process died between 1 and 3) returns to the queue;
 * it may then have been sent once already — the provider's answer was never recorded — which is
 * the one case where a message can arrive twice. The alternative (never retrying it) would lose
 * messages silently; the lease is far longer than a send (10 s timeout × batch of 20).
 *
 * Daily limits (SMS_DAILY_LIMIT_PER_PHONE, SMS_DAILY_LIMIT_TOTAL): today is the China date, and
 * a message is counted when sent today or being sent now. A message over a limit is not dropped
 * and does not use up a try: it stays 'queued' with next_attempt_at at the next China midnight,
 * and the outbox shows why (last_error). An opted-out number's message becomes 'suppressed'.
 */

export interface DispatchOptions {
  now?: () => Date;
  limits: { perPhone: number; total: number };
  instanceId: string;
  /** Messages claimed per transaction. */
  batchSize?: number;
  /** Batches per call (a tick sends at most batchSize × maxBatches). */
  maxBatches?: number;
}

export interface DispatchResult {
  sent: number;
  retried: number;
  failed: number;
  suppressed: number;
  deferred: number;
  recovered: number;
}

export const SMS_SENDING_LEASE_MS = 10 * 60_000;
// Any stable bigint; distinct from the audit chain's lock.
const SMS_CLAIM_LOCK = 7_120_002;

/** The instant a China date begins (00:00 Beijing time, UTC+8, no daylight saving). */
export function chinaDayStart(date: string): Date {
  return new Date(`${date}T00:00:00+08:00`);
}

/** Today's window [start, end) in China time, as instants. */
export function chinaDayWindow(now: Date) {
  const today = chinaDateOf(now);
  return { start: chinaDayStart(today), end: chinaDayStart(addDays(today, 1)) };
}

/** Messages sent today (China date) or being sent now, in the database (SQL aggregate). */
export async function countSentToday(db: Db, now: Date): Promise<number> {
  const { start, end } = chinaDayWindow(now);
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from sms_message
         where (status = 'sent' and sent_at >= ${start.toISOString()}::timestamptz
                and sent_at < ${end.toISOString()}::timestamptz)
            or status = 'sending'`,
  );
  return row?.n ?? 0;
}

interface Claimed {
  id: string;
  phone_enc: string;
  phone_bidx: string;
  body: string;
  params: Record<string, unknown> | null;
  attempts: number;
  template_code: string | null;
  opted_out: boolean;
}

interface ToSend {
  id: string;
  phone: string;
  body: string;
  params: Record<string, string>;
  templateCode: string | null;
  /** attempts after the claim: the finishing update matches it, so it is applied once. */
  attempts: number;
}

const REASON = {
  optedOut: '对方已退订短信，未发送',
  notMobile: '该号码不是手机号码，不能接收短信',
  undecryptable: '手机号码无法解密（密钥不符），未发送',
  interrupted: '发送过程中服务中断，已重新排队',
  interruptedGaveUp: '发送过程中服务中断，重试次数已用完',
  perPhone: (n: number) => `该号码今日已达${n}条上限，顺延至次日发送`,
  total: (n: number) => `今日短信总量已达${n}条上限，顺延至次日发送`,
};

function stringParams(params: Record<string, unknown> | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params ?? {})) {
    if (v !== null && v !== undefined) out[k] = String(v);
  }
  return out;
}

const idList = (ids: string[]) =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );

export async function dispatchSms(
  db: Db,
  cipher: FieldCipher,
  driver: SmsDriver,
  opts: DispatchOptions,
): Promise<DispatchResult> {
  const now = opts.now ?? (() => new Date());
  const batchSize = opts.batchSize ?? 20;
  const result: DispatchResult = {
    sent: 0,
    retried: 0,
    failed: 0,
    suppressed: 0,
    deferred: 0,
    recovered: 0,
  };

  // Leases that ran out: the instance that took them is gone.
  const at = now().toISOString();
  const recovered = await queryRows<{ id: string }>(
    db,
    sql`update sms_message
           set status = case when attempts >= ${SMS_MAX_ATTEMPTS} then 'failed' else 'queued' end,
               last_error = case when attempts >= ${SMS_MAX_ATTEMPTS}
                                 then ${REASON.interruptedGaveUp} else ${REASON.interrupted} end,
               next_attempt_at = ${at}::timestamptz
         where status = 'sending' and next_attempt_at <= ${at}::timestamptz
     returning id`,
  );
  result.recovered = recovered.length;

  for (let batch = 0; batch < (opts.maxBatches ?? 50); batch++) {
    const { toSend, claimed, totalReached } = await claimBatch(
      db,
      cipher,
      opts,
      now(),
      batchSize,
      result,
    );
    for (const m of toSend) await sendOne(db, driver, m, now, result);
    if (claimed < batchSize || totalReached) break;
  }
  return result;
}

async function claimBatch(
  db: Db,
  cipher: FieldCipher,
  opts: DispatchOptions,
  at: Date,
  batchSize: number,
  result: DispatchResult,
) {
  const iso = at.toISOString();
  const { start, end } = chinaDayWindow(at);
  const tomorrow = end.toISOString();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SMS_CLAIM_LOCK})`);
    const rows = await queryRows<Claimed>(
      tx,
      sql`select m.id, m.phone_enc, m.phone_bidx, m.body, m.params, m.attempts,
                 t.provider_template_code as template_code,
                 exists (select 1 from sms_opt_out o where o.phone_bidx = m.phone_bidx) as opted_out
            from sms_message m
            left join sms_template t on t.id = m.template_id
           where m.status = 'queued' and m.next_attempt_at <= ${iso}::timestamptz
           order by m.next_attempt_at, m.created_at, m.id
           limit ${batchSize}
           for update of m skip locked`,
    );
    if (rows.length === 0) return { toSend: [] as ToSend[], claimed: 0, totalReached: false };

    const today = sql`((status = 'sent' and sent_at >= ${start.toISOString()}::timestamptz
                        and sent_at < ${tomorrow}::timestamptz) or status = 'sending')`;
    const [total] = await queryRows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from sms_message where ${today}`,
    );
    const phones = [...new Set(rows.map((r) => r.phone_bidx))];
    const perPhone = new Map(
      (
        await queryRows<{ phone_bidx: string; n: number }>(
          tx,
          sql`select phone_bidx, count(*)::int as n from sms_message
               where phone_bidx in (${sql.join(
                 phones.map((p) => sql`${p}`),
                 sql`, `,
               )}) and ${today}
               group by phone_bidx`,
        )
      ).map((r) => [r.phone_bidx, r.n]),
    );
    let sentToday = total?.n ?? 0;
    let totalReached = false;
    const toSend: ToSend[] = [];
    const finish = (id: string, status: 'suppressed' | 'failed', reason: string) =>
      tx.execute(
        sql`update sms_message set status = ${status}, last_error = ${reason} where id = ${id}`,
      );
    const defer = (id: string, reason: string) =>
      tx.execute(
        sql`update sms_message set next_attempt_at = ${tomorrow}::timestamptz, last_error = ${reason}
             where id = ${id}`,
      );

    for (const r of rows) {
      if (r.opted_out) {
        await finish(r.id, 'suppressed', REASON.optedOut);
        result.suppressed++;
        continue;
      }
      let phone: string;
      try {
        phone = cipher.decrypt(r.phone_enc, SMS_PHONE_CONTEXT);
      } catch {
        await finish(r.id, 'failed', REASON.undecryptable);
        result.failed++;
        continue;
      }
      const parsed = parsePhone(phone);
      if (!parsed.ok || parsed.kind !== 'mobile') {
        await finish(r.id, 'suppressed', REASON.notMobile);
        result.suppressed++;
        continue;
      }
      if (sentToday >= opts.limits.total) {
        totalReached = true;
        await defer(r.id, REASON.total(opts.limits.total));
        result.deferred++;
        continue;
      }
      const mine = perPhone.get(r.phone_bidx) ?? 0;
      if (mine >= opts.limits.perPhone) {
        await defer(r.id, REASON.perPhone(opts.limits.perPhone));
        result.deferred++;
        continue;
      }
      perPhone.set(r.phone_bidx, mine + 1);
      sentToday++;
      toSend.push({
        id: r.id,
        phone: parsed.phone,
        body: r.body,
        params: stringParams(r.params),
        templateCode: r.template_code,
        attempts: r.attempts + 1,
      });
    }
    // First the claim, then the deferral below, which must not touch the claimed rows.
    if (toSend.length > 0) {
      const lease = new Date(at.getTime() + SMS_SENDING_LEASE_MS).toISOString();
      await tx.execute(
        sql`update sms_message
               set status = 'sending', attempts = attempts + 1,
                   next_attempt_at = ${lease}::timestamptz
             where id in (${idList(toSend.map((m) => m.id))})`,
      );
    }
    if (totalReached) {
      // Everything else due today waits for tomorrow too, in one statement.
      const rest = await queryRows<{ id: string }>(
        tx,
        sql`update sms_message
               set next_attempt_at = ${tomorrow}::timestamptz,
                   last_error = ${REASON.total(opts.limits.total)}
             where status = 'queued' and next_attempt_at <= ${iso}::timestamptz
         returning id`,
      );
      result.deferred += rest.length;
    }
    return { toSend, claimed: rows.length, totalReached };
  });
}

async function sendOne(
  db: Db,
  driver: SmsDriver,
  m: ToSend,
  now: () => Date,
  result: DispatchResult,
) {
  try {
    const { providerMessageId } = await driver.send({
      phone: m.phone,
      body: m.body,
      templateCode: m.templateCode,
      params: m.params,
    });
    await db.execute(
      sql`update sms_message
             set status = 'sent', sent_at = ${now().toISOString()}::timestamptz,
                 provider = ${driver.name}, provider_message_id = ${providerMessageId},
                 last_error = null
           where id = ${m.id} and status = 'sending' and attempts = ${m.attempts}`,
    );
    result.sent++;
  } catch (err) {
    // Only our own error text is stored: it never carries the phone or the body.
    const e =
      err instanceof SmsSendError ? err : new SmsSendError('发送时出现内部错误', true, 'Internal');
    const delay = e.retryable ? smsRetryDelayMs(m.attempts) : null;
    const next = delay === null ? null : new Date(now().getTime() + delay).toISOString();
    await db.execute(
      sql`update sms_message
             set status = ${next ? 'queued' : 'failed'},
                 next_attempt_at = coalesce(${next}::timestamptz, next_attempt_at),
                 provider = ${driver.name},
                 last_error = ${e.message.slice(0, 500)}
           where id = ${m.id} and status = 'sending' and attempts = ${m.attempts}`,
    );
    if (next) result.retried++;
    else result.failed++;
  }
}
