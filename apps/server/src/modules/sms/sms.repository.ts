import { sql, type SQL } from 'drizzle-orm';
import { CLOSED_MOBILITY_STATUSES, type SmsStatus } from '@liudong/domain';
import type { BroadcastFilter } from '@liudong/contracts';
import type { Actor } from '../../platform/actor';
import { queryRows, type Db, type Tx } from '../../platform/db';

type Handle = Db | Tx;

const closedStatuses = sql.join(
  CLOSED_MOBILITY_STATUSES.map((s) => sql`${s}`),
  sql`, `,
);
const under = (path: string, column: SQL) => sql`${column} like ${path + '%'}`;

// ---------------------------------------------------------------------------------------------
// Templates

export interface TemplateRow {
  id: string;
  name: string;
  kind: string;
  body: string;
  provider_template_code: string | null;
  active: boolean;
  version: number;
}

const TEMPLATE_FIELDS = sql`id, name, kind, body, provider_template_code, active, version`;

export async function listTemplates(db: Handle) {
  return queryRows<TemplateRow>(
    db,
    sql`select ${TEMPLATE_FIELDS} from sms_template
         order by case kind when 'broadcast' then 0 when 'notice' then 1
                            when 'reminder' then 2 else 3 end, name, id`,
  );
}

export async function templateById(db: Handle, id: string) {
  const [row] = await queryRows<TemplateRow>(
    db,
    sql`select ${TEMPLATE_FIELDS} from sms_template where id = ${id}`,
  );
  return row ?? null;
}

export async function templateByName(db: Handle, name: string) {
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`select id from sms_template where name = ${name}`,
  );
  return row ?? null;
}

export interface TemplateValues {
  name: string;
  kind: string;
  body: string;
  providerTemplateCode: string | null;
  active: boolean;
}

export async function insertTemplate(tx: Tx, v: TemplateValues, by: string, at: Date) {
  const [row] = await queryRows<TemplateRow>(
    tx,
    sql`insert into sms_template (name, kind, body, provider_template_code, active, updated_by, updated_at)
        values (${v.name}, ${v.kind}, ${v.body}, ${v.providerTemplateCode}, ${v.active}, ${by},
                ${at.toISOString()}::timestamptz)
        returning ${TEMPLATE_FIELDS}`,
  );
  return row!;
}

/** Optimistic locking (SECURITY.md 26): null when the version moved on. */
export async function updateTemplate(
  tx: Tx,
  id: string,
  version: number,
  v: TemplateValues,
  by: string,
  at: Date,
) {
  const [row] = await queryRows<TemplateRow>(
    tx,
    sql`update sms_template
           set name = ${v.name}, kind = ${v.kind}, body = ${v.body},
               provider_template_code = ${v.providerTemplateCode}, active = ${v.active},
               updated_by = ${by}, updated_at = ${at.toISOString()}::timestamptz,
               version = version + 1
         where id = ${id} and version = ${version}
     returning ${TEMPLATE_FIELDS}`,
  );
  return row ?? null;
}

/** True for the violation of the unique template name (a concurrent create of the same name). */
export function isDuplicateTemplateName(err: unknown): boolean {
  const e = err as { cause?: unknown };
  const c = (e.cause ?? e) as { code?: unknown; constraint?: unknown };
  return c.code === '23505' && c.constraint === 'sms_template_name_key';
}

// ---------------------------------------------------------------------------------------------
// Broadcast recipients

/**
 * The region prefix of a destination filter (GB/T 2260): xx0000 a province, xxxx00 a city, else
 * the county itself.
 */
export function regionPrefix(code: string): string {
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

/**
 * The members a broadcast filter selects, one row each (DISTINCT: a member with two open
 * episodes is one recipient): an open outflow whose member belongs to an org in the subtree
 * (the home side), and/or an open inflow hosted by an org in the subtree; optionally only those
 * whose destination lies in a province, city or county.
 */
function recipientsQuery(filter: BroadcastFilter, subtreePath: string): SQL {
  const outflow = sql`(mb.direction = 'outflow' and ${under(subtreePath, sql`o.path`)})`;
  const inflow = sql`(mb.direction = 'inflow' and ${under(subtreePath, sql`h.path`)})`;
  const direction =
    filter.direction === 'outflow'
      ? outflow
      : filter.direction === 'inflow'
        ? inflow
        : sql`(${outflow} or ${inflow})`;
  const destination = filter.destinationRegionCode
    ? sql` and mb.destination_region_code like ${regionPrefix(filter.destinationRegionCode) + '%'}`
    : sql``;
  return sql`select distinct m.id, m.name, m.phone_enc, m.phone_bidx
      from member m
      join mobility mb on mb.member_id = m.id and mb.status not in (${closedStatuses})
      left join org o on o.id = m.org_id
      left join org h on h.id = mb.host_org_id
     where ${direction}${destination}`;
}

const OPTED_OUT = sql`exists (select 1 from sms_opt_out x where x.phone_bidx = r.phone_bidx)`;

/** Recipients, members without a phone and opted-out numbers, counted in the database. */
export async function countRecipients(db: Handle, filter: BroadcastFilter, subtreePath: string) {
  const [row] = await queryRows<{ recipients: number; without_phone: number; opted_out: number }>(
    db,
    sql`with r as (${recipientsQuery(filter, subtreePath)})
        select count(*) filter (where r.phone_enc is not null and not ${OPTED_OUT})::int as recipients,
               count(*) filter (where r.phone_enc is null)::int as without_phone,
               count(*) filter (where r.phone_enc is not null and ${OPTED_OUT})::int as opted_out
          from r`,
  );
  return {
    recipients: row?.recipients ?? 0,
    withoutPhone: row?.without_phone ?? 0,
    optedOut: row?.opted_out ?? 0,
  };
}

export interface RecipientRow {
  id: string;
  name: string;
  phone_enc: string;
  phone_bidx: string;
}

/** The next chunk of sendable recipients after `afterId`, in id order (keyset). */
export async function recipientChunk(
  db: Handle,
  filter: BroadcastFilter,
  subtreePath: string,
  afterId: string | null,
  limit: number,
) {
  return queryRows<RecipientRow>(
    db,
    sql`with r as (${recipientsQuery(filter, subtreePath)})
        select r.id, r.name, r.phone_enc, r.phone_bidx from r
         where r.phone_enc is not null and not ${OPTED_OUT}
           ${afterId ? sql`and r.id > ${afterId}::uuid` : sql``}
         order by r.id
         limit ${limit}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Broadcasts

export async function insertBroadcast(
  tx: Tx,
  b: {
    templateId: string;
    orgId: string;
    filter: BroadcastFilter;
    params: Record<string, string>;
    recipientCount: number;
    createdBy: string;
    createdAt: Date;
  },
) {
  const [row] = await queryRows<{ id: string }>(
    tx,
    sql`insert into sms_broadcast (template_id, org_id, filter, params, recipient_count, created_by, created_at)
        values (${b.templateId}, ${b.orgId}, ${JSON.stringify(b.filter)}::jsonb,
                ${JSON.stringify(b.params)}::jsonb, ${b.recipientCount}, ${b.createdBy},
                ${b.createdAt.toISOString()}::timestamptz)
        returning id`,
  );
  return row!.id;
}

export interface MessageInsert {
  phoneEnc: string;
  phoneBidx: string;
  memberId: string;
  templateId: string;
  broadcastId: string;
  params: Record<string, string>;
  body: string;
}

/** One multi-row insert for a chunk of a broadcast's messages. */
export async function insertMessages(tx: Tx, rows: MessageInsert[], at: Date) {
  if (rows.length === 0) return;
  const iso = at.toISOString();
  await tx.execute(
    sql`insert into sms_message
          (phone_enc, phone_bidx, member_id, template_id, broadcast_id, params, body,
           created_at, next_attempt_at)
        values ${sql.join(
          rows.map(
            (r) =>
              sql`(${r.phoneEnc}, ${r.phoneBidx}, ${r.memberId}, ${r.templateId}, ${r.broadcastId},
                   ${JSON.stringify(r.params)}::jsonb, ${r.body}, ${iso}::timestamptz, ${iso}::timestamptz)`,
          ),
          sql`, `,
        )}`,
  );
}

export interface BroadcastRow {
  id: string;
  template_name: string;
  org_name: string;
  recipient_count: number;
  created_by_name: string | null;
  created_at: Date | string;
  created_key: string;
  queued: number;
  sent: number;
  failed: number;
  suppressed: number;
}

/** Broadcasts of orgs in the actor's subtree, newest first, with counts per status (SQL). */
export async function listBroadcasts(
  db: Handle,
  actor: Actor,
  opts: { after?: { createdAt: string; id: string }; limit: number; id?: string },
) {
  return queryRows<BroadcastRow>(
    db,
    sql`select b.id, t.name as template_name, o.name as org_name, b.recipient_count,
               a.display_name as created_by_name, b.created_at, b.created_at::text as created_key,
               coalesce(c.queued, 0)::int as queued, coalesce(c.sent, 0)::int as sent,
               coalesce(c.failed, 0)::int as failed, coalesce(c.suppressed, 0)::int as suppressed
          from sms_broadcast b
          join sms_template t on t.id = b.template_id
          join org o on o.id = b.org_id
          left join account a on a.id = b.created_by
          left join lateral (
            select count(*) filter (where m.status in ('queued','sending')) as queued,
                   count(*) filter (where m.status = 'sent') as sent,
                   count(*) filter (where m.status = 'failed') as failed,
                   count(*) filter (where m.status = 'suppressed') as suppressed
              from sms_message m where m.broadcast_id = b.id) c on true
         where ${under(actor.orgPath, sql`o.path`)}
           ${opts.id ? sql`and b.id = ${opts.id}::uuid` : sql``}
           ${
             opts.after
               ? sql`and (b.created_at, b.id) < (${opts.after.createdAt}::timestamptz, ${opts.after.id}::uuid)`
               : sql``
           }
         order by b.created_at desc, b.id desc
         limit ${opts.limit}`,
  );
}

export async function broadcastInScope(db: Handle, actor: Actor, id: string) {
  const [row] = await queryRows<{ in_scope: boolean }>(
    db,
    sql`select ${under(actor.orgPath, sql`o.path`)} as in_scope
          from sms_broadcast b join org o on o.id = b.org_id where b.id = ${id}`,
  );
  return row ?? null;
}

// ---------------------------------------------------------------------------------------------
// Outbox

export interface OutboxRow {
  id: string;
  phone_enc: string;
  recipient_name: string | null;
  body: string;
  status: SmsStatus;
  attempts: number;
  last_error: string | null;
  provider: string | null;
  created_at: Date | string;
  created_key: string;
  sent_at: Date | string | null;
}

/**
 * What an actor sees of the outbox: messages to members of its subtree (home side) or hosted
 * there, messages of broadcasts sent by orgs in its subtree, and messages to accounts (liaison
 * reminders) whose home org is in its subtree. An org admin also sees messages tied to nobody
 * (queued by a command, with no member, account or broadcast).
 */
function outboxVisible(actor: Actor): SQL {
  const s = actor.orgPath;
  return sql`(
      exists (select 1 from member mm left join org mo on mo.id = mm.org_id
               where mm.id = m.member_id
                 and (${under(s, sql`mo.path`)}
                      or exists (select 1 from mobility mb join org h on h.id = mb.host_org_id
                                  where mb.member_id = mm.id and mb.status not in (${closedStatuses})
                                    and ${under(s, sql`h.path`)})))
      or exists (select 1 from sms_broadcast b join org bo on bo.id = b.org_id
                  where b.id = m.broadcast_id and ${under(s, sql`bo.path`)})
      or exists (select 1 from account ac join org ao on ao.id = ac.home_org_id
                  where ac.id = m.account_id and ${under(s, sql`ao.path`)})
      ${
        actor.role === 'org_admin'
          ? sql`or (m.member_id is null and m.account_id is null and m.broadcast_id is null)`
          : sql``
      })`;
}

export async function listOutbox(
  db: Handle,
  actor: Actor,
  opts: {
    status?: SmsStatus;
    broadcastId?: string;
    after?: { createdAt: string; id: string };
    limit: number;
  },
) {
  return queryRows<OutboxRow>(
    db,
    sql`select m.id, m.phone_enc, coalesce(mem.name, acc.display_name) as recipient_name, m.body,
               m.status, m.attempts, m.last_error, m.provider, m.created_at,
               m.created_at::text as created_key, m.sent_at
          from sms_message m
          left join member mem on mem.id = m.member_id
          left join account acc on acc.id = m.account_id
         where ${outboxVisible(actor)}
           ${opts.status ? sql`and m.status = ${opts.status}` : sql``}
           ${opts.broadcastId ? sql`and m.broadcast_id = ${opts.broadcastId}::uuid` : sql``}
           ${
             opts.after
               ? sql`and (m.created_at, m.id) < (${opts.after.createdAt}::timestamptz, ${opts.after.id}::uuid)`
               : sql``
           }
         order by m.created_at desc, m.id desc
         limit ${opts.limit}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Opt-out

export async function insertOptOut(
  tx: Tx,
  o: { phoneBidx: string; memberId: string; createdBy: string; at: Date },
) {
  const rows = await queryRows<{ phone_bidx: string }>(
    tx,
    sql`insert into sms_opt_out (phone_bidx, member_id, source, created_by, created_at)
        values (${o.phoneBidx}, ${o.memberId}, 'officer', ${o.createdBy}, ${o.at.toISOString()}::timestamptz)
        on conflict (phone_bidx) do nothing
        returning phone_bidx`,
  );
  return rows.length > 0;
}

export async function deleteOptOut(tx: Tx, phoneBidx: string) {
  const rows = await queryRows<{ phone_bidx: string }>(
    tx,
    sql`delete from sms_opt_out where phone_bidx = ${phoneBidx} returning phone_bidx`,
  );
  return rows.length > 0;
}
