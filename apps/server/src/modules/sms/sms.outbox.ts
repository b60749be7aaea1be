import { sql } from 'drizzle-orm';
import { normalizePhoneInput } from '@liudong/domain';
import type { FieldCipher } from '../../platform/crypto';
import { queryRows, type Db, type Tx } from '../../platform/db';
import { FIELD, phoneBlindIndex } from '../members/member-fields';

/** The phone's context for the outbox (its own, so a value copied from a member row won't decrypt). */
export const SMS_PHONE_CONTEXT = 'sms_message.phone';

export interface QueueSmsInput {
  phone: string;
  body: string;
  memberId?: string | null;
  accountId?: string | null;
  templateId?: string | null;
  broadcastId?: string | null;
  params?: Record<string, string>;
  /** Exactly once: a second message with the same key is not queued (reminders). */
  dedupeKey?: string | null;
  /**
   * When it is queued (created_at, and due from then on); default: the database's now(). Pass the
   * caller's clock (a job's `now`, `ctx.clock.now()`) so a fixed test clock and the dispatcher's
   * clock agree on when the message is due.
   */
  now?: Date;
}

/**
 * Puts one SMS in the outbox, in the caller's transaction (issue 4 §6). Whatever the driver,
 * this is the only way a message is sent: the dispatcher works the outbox. Returns false when the
 * dedupe key was already used. Opt-out and daily limits are applied when sending, so the outbox
 * shows a suppressed message rather than nothing.
 */
export async function queueSms(db: Db | Tx, cipher: FieldCipher, m: QueueSmsInput) {
  const phone = normalizePhoneInput(m.phone);
  const at = m.now ? m.now.toISOString() : null;
  const rows = await queryRows<{ id: string }>(
    db,
    sql`insert into sms_message
          (phone_enc, phone_bidx, member_id, account_id, template_id, broadcast_id, params, body, dedupe_key,
           created_at, next_attempt_at)
        values (${cipher.encrypt(phone, SMS_PHONE_CONTEXT)}, ${phoneBlindIndex(cipher, phone)},
                ${m.memberId ?? null}, ${m.accountId ?? null}, ${m.templateId ?? null},
                ${m.broadcastId ?? null}, ${JSON.stringify(m.params ?? {})}::jsonb, ${m.body},
                ${m.dedupeKey ?? null},
                coalesce(${at}::timestamptz, now()), coalesce(${at}::timestamptz, now()))
        on conflict (dedupe_key) do nothing
        returning id`,
  );
  return rows.length > 0;
}

// The member's own phone is decrypted with the member field's context.
export const MEMBER_PHONE_CONTEXT = FIELD.phone.context;
