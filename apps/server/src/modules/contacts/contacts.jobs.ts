import { sql } from 'drizzle-orm';
import {
  DEFAULT_SMS_TEMPLATES,
  renderTemplate,
  templateVariables,
  weekStartOf,
} from '@liudong/domain';
import type { FieldCipher } from '../../platform/crypto';
import { queryRows, type Db, type Tx } from '../../platform/db';
import { enqueueJob, type JobHandler } from '../../platform/jobs';
import { queueSms } from '../sms/sms.outbox';
import { keepInTouchCte, loadContactSettings } from './contacts.repository';
import { LIAISON_PHONE_CONTEXT } from './liaisons.repository';

/**
 * The daily keeping-in-touch job (issue 4 §3, §4): reminders to liaisons with members due this
 * week or overdue (in the app and through the SMS outbox), and warnings to the branch for members
 * reaching a warning point or the 6-month mark. Keyed by the China date, so it runs once a day
 * however many instances enqueue it (SECURITY.md 30).
 */
export const CONTACT_DAILY_JOB = 'contact.daily';

export function contactDailyJobKey(chinaDate: string) {
  return `${CONTACT_DAILY_JOB}:${chinaDate}`;
}

export async function enqueueContactDaily(db: Db, chinaDate: string) {
  return enqueueJob(db, {
    kind: CONTACT_DAILY_JOB,
    key: contactDailyJobKey(chinaDate),
    payload: { date: chinaDate },
  });
}

/** Where a reminder and a warning lead in the web app. */
export const REMINDER_LINK = '/contacts?bucket=overdue';
export const WARNING_LINK = '/lost-contact';
/** Roles at the member's home org that are warned (the branch; a committee for its own members). */
export const WARNED_ROLES = ['branch_officer', 'committee_officer'] as const;

export const reminderKey = (liaisonId: string, date: string) => `reminder:${liaisonId}:${date}`;
/**
 * The bell reminds every day; a phone is texted at most once a China week (keyed by its Monday),
 * so a liaison with the same overdue list is not sent the same SMS day after day.
 */
export const reminderSmsKey = (liaisonId: string, date: string) =>
  `reminder:${liaisonId}:week-${weekStartOf(date)}`;

const defaultReminder = DEFAULT_SMS_TEMPLATES.find((t) => t.kind === 'reminder')!;
const REMINDER_VARIABLES = new Set(['name', 'overdue', 'week']);

/**
 * The reminder text: the active template of kind 'reminder' (the newest edit), else the default.
 * A template that needs a variable the job does not have is not used, so that no message goes
 * out with a blank where a value should be.
 */
async function reminderTemplate(tx: Tx) {
  const [row] = await queryRows<{ id: string; body: string }>(
    tx,
    sql`select id, body from sms_template where kind = 'reminder' and active
         order by updated_at desc, id limit 1`,
  );
  if (row && templateVariables(row.body).every((v) => REMINDER_VARIABLES.has(v)))
    return { id: row.id, body: row.body };
  return { id: null, body: defaultReminder.body };
}

/**
 * Everything the job does for one day, in the job's transaction (platform/jobs.ts): set-based
 * inserts that skip what an earlier run (or another instance) already wrote, through the
 * notification and SMS dedupe keys — so running it twice for a day creates nothing new.
 */
export async function runContactDaily(tx: Tx, cipher: FieldCipher, date: string) {
  const settings = await loadContactSettings(tx);
  const kit = keepInTouchCte({
    today: date,
    settings,
    where: sql`mb.direction = 'outflow'`,
    outflowOnly: true,
  });

  // 1. Reminders to liaisons (active, with overdue or due-this-week members).
  const due = await queryRows<{
    liaison_id: string;
    name: string;
    account_id: string | null;
    phone_enc: string | null;
    overdue: number;
    week: number;
  }>(
    tx,
    sql`with ${kit}
        select l.id as liaison_id, l.name, ac.id as account_id, l.phone_enc,
               count(*) filter (where kit.bucket = 'overdue')::int as overdue,
               count(*) filter (where kit.bucket = 'week')::int as week
          from kit join liaison l on l.id = kit.liaison_id
          -- A disabled account gets no notification (its phone may still get the SMS).
          left join account ac on ac.id = l.account_id and ac.disabled_at is null
         where l.active and kit.bucket in ('overdue','week')
         group by l.id, l.name, ac.id, l.phone_enc`,
  );
  let notified = 0;
  let texted = 0;
  if (due.length > 0) {
    const rows = await queryRows<{ id: string }>(
      tx,
      sql`insert into notification (account_id, kind, title, body, link, dedupe_key)
          select x.account_id, 'reminder', '联系提醒',
                 '您联系的流动党员中有' || x.overdue || '人已逾期、' || x.week || '人本周应联系，请及时联系并登记。',
                 ${REMINDER_LINK}, 'reminder:' || x.liaison_id || ':' || ${date}
            from jsonb_to_recordset(${JSON.stringify(due.filter((d) => d.account_id))}::jsonb)
                 as x(liaison_id uuid, account_id uuid, overdue int, week int)
          on conflict (dedupe_key) do nothing
          returning id`,
    );
    notified = rows.length;
    const template = await reminderTemplate(tx);
    for (const d of due) {
      if (!d.phone_enc) continue;
      const params = { name: d.name, overdue: String(d.overdue), week: String(d.week) };
      const { text } = renderTemplate(template.body, params);
      // One statement per liaison: the phone must be decrypted and encrypted for the outbox.
      if (
        await queueSms(tx, cipher, {
          phone: cipher.decrypt(d.phone_enc, LIAISON_PHONE_CONTEXT),
          body: text,
          templateId: template.id,
          accountId: d.account_id,
          params,
          dedupeKey: reminderSmsKey(d.liaison_id, date),
        })
      )
        texted++;
    }
  }

  // 2. Warnings to the member's home branch at each warning point and at the 6-month mark, once
  // per point and per last sign of life (a new sign of life starts the count again).
  const warnings = await queryRows<{ id: string }>(
    tx,
    sql`with ${kit}
        insert into notification (account_id, kind, title, body, link, dedupe_key)
        select distinct g.account_id, 'warning',
               case when kit.lost_level = 'lost' then '失联提醒' else '失联预警' end,
               '党员' || m.name || '已' || kit.months_without || '个月没有参加组织生活、交纳党费或联系上本人（最近一次：'
                 || kit.last_sign_on || '）' || case when kit.lost_level = 'lost'
                   then '，已满6个月，请尽快查找并登记失联原因。' else '，请及时联系。' end,
               case when kit.lost_level = 'lost' then ${WARNING_LINK + '?tab=lost'} else ${WARNING_LINK} end,
               'warning:' || kit.member_id || ':' || coalesce(kit.warning_point::text, 'lost') || ':'
                 || kit.last_sign_on || ':' || g.account_id
          from kit
          join member m on m.id = kit.member_id
          join role_grant g on g.org_id = kit.home_org_id
           and g.role in (${sql.join(
             WARNED_ROLES.map((r) => sql`${r}`),
             sql`, `,
           )})
          join account ac on ac.id = g.account_id and ac.disabled_at is null
         where kit.lost_level in ('warning','lost')
        on conflict (dedupe_key) do nothing
        returning id`,
  );
  return { liaisons: due.length, notified, texted, warnings: warnings.length };
}

export function contactJobHandlers(deps: { cipher: FieldCipher }): Record<string, JobHandler> {
  return {
    [CONTACT_DAILY_JOB]: async (tx, job) => {
      const date = (job.payload as { date?: unknown }).date;
      if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date))
        throw new Error('contact.daily: payload without a date');
      await runContactDaily(tx, deps.cipher, date);
    },
  };
}
