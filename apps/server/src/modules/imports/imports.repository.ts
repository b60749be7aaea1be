import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { CLOSED_MOBILITY_STATUSES } from '@liudong/domain';
import {
  account,
  importBatch,
  importFile,
  importMapping,
  member,
  mobility,
  org,
  region,
} from '../../db/schema';
import { withinScope, type Actor } from '../../platform/actor';
import { queryRows, type Db, type Tx } from '../../platform/db';

export type BatchRow = typeof importBatch.$inferSelect;
export type BatchInsert = typeof importBatch.$inferInsert;
export type MemberRow = typeof member.$inferSelect;
export type MobilityRow = typeof mobility.$inferSelect;
type Handle = Db | Tx;

const closedStatuses = sql.join(
  CLOSED_MOBILITY_STATUSES.map((s) => sql`${s}`),
  sql`, `,
);

// ---------------------------------------------------------------------------------------------
// Batches

export async function insertBatch(tx: Tx, values: BatchInsert) {
  const [row] = await tx.insert(importBatch).values(values).returning();
  return row!;
}

export async function insertFile(tx: Tx, batchId: string, contentEnc: string) {
  await tx.insert(importFile).values({ batchId, contentEnc });
}

export async function fileOf(handle: Handle, batchId: string) {
  const [row] = await handle
    .select({ contentEnc: importFile.contentEnc })
    .from(importFile)
    .where(eq(importFile.batchId, batchId));
  return row?.contentEnc ?? null;
}

export async function deleteFile(tx: Tx, batchId: string) {
  await tx.delete(importFile).where(eq(importFile.batchId, batchId));
}

const batchFields = (actor: Actor) => ({
  batch: importBatch,
  orgName: org.name,
  createdBy: account.displayName,
  inScope: sql<boolean>`${withinScope(actor, sql`"org"."path"`)}`,
});

/** A batch with its org's name and whether it lies in the actor's scope (SECURITY.md 9). */
export async function findWithScope(handle: Handle, actor: Actor, id: string) {
  const [row] = await handle
    .select(batchFields(actor))
    .from(importBatch)
    .innerJoin(org, eq(org.id, importBatch.orgId))
    .leftJoin(account, eq(account.id, importBatch.accountId))
    .where(eq(importBatch.id, id));
  return row ?? null;
}

export type BatchInScope = NonNullable<Awaited<ReturnType<typeof findWithScope>>>;

export async function lockBatch(tx: Tx, id: string) {
  const [row] = await tx.select().from(importBatch).where(eq(importBatch.id, id)).for('update');
  return row ?? null;
}

export async function updateBatch(tx: Handle, id: string, values: Partial<BatchInsert>) {
  const [row] = await tx
    .update(importBatch)
    .set({ ...values, version: sql`${importBatch.version} + 1` })
    .where(eq(importBatch.id, id))
    .returning();
  return row!;
}

/** The last committed import of the same file (by SHA-256) in the actor's scope. */
export async function previousCommit(handle: Handle, actor: Actor, sha256: string, kind: string) {
  const [row] = await handle
    .select({
      id: importBatch.id,
      committedAt: importBatch.committedAt,
      by: account.displayName,
    })
    .from(importBatch)
    .innerJoin(org, eq(org.id, importBatch.orgId))
    .leftJoin(account, eq(account.id, importBatch.accountId))
    .where(
      and(
        eq(importBatch.fileSha256, sha256),
        eq(importBatch.kind, kind),
        eq(importBatch.status, 'committed'),
        withinScope(actor, sql`"org"."path"`),
      ),
    )
    .orderBy(desc(importBatch.committedAt))
    .limit(1);
  return row ?? null;
}

/** Batches of the scope, newest first, keyset-paginated (SECURITY.md 27). */
export async function listBatches(
  handle: Handle,
  actor: Actor,
  opts: {
    kind?: string | undefined;
    after?: { createdAt: string; id: string } | undefined;
    limit: number;
  },
) {
  const where: (SQL | undefined)[] = [withinScope(actor, sql`"org"."path"`)];
  if (opts.kind) where.push(eq(importBatch.kind, opts.kind));
  if (opts.after)
    where.push(
      sql`(${importBatch.createdAt}, ${importBatch.id}) < (${opts.after.createdAt}::timestamptz, ${opts.after.id}::uuid)`,
    );
  return handle
    .select(batchFields(actor))
    .from(importBatch)
    .innerJoin(org, eq(org.id, importBatch.orgId))
    .leftJoin(account, eq(account.id, importBatch.accountId))
    .where(and(...where))
    .orderBy(desc(importBatch.createdAt), desc(importBatch.id))
    .limit(opts.limit + 1);
}

// ---------------------------------------------------------------------------------------------
// Reference data

/** Every org of the scope, for matching the org column by name (one query, not one per row). */
export async function orgsInScope(handle: Handle, actor: Actor) {
  return handle
    .select({
      id: org.id,
      parentId: org.parentId,
      name: org.name,
      shortName: org.shortName,
      path: org.path,
      kind: org.kind,
      regionCode: org.regionCode,
      dissolvedOn: org.dissolvedOn,
    })
    .from(org)
    .where(withinScope(actor, org.path));
}

export async function allRegions(handle: Handle) {
  return handle
    .select({
      code: region.code,
      name: region.name,
      level: region.level,
      parentCode: region.parentCode,
    })
    .from(region);
}

/** The region of an org: its own code or its nearest ancestor's (as mobility.repository). */
export async function regionOfOrg(handle: Handle, path: string): Promise<string | null> {
  const [row] = await queryRows<{ region_code: string }>(
    handle,
    sql`select region_code from org
         where ${path} like path || '%' and region_code is not null
         order by depth desc limit 1`,
  );
  return row?.region_code ?? null;
}

// ---------------------------------------------------------------------------------------------
// Existing records, a chunk of rows at a time (no query per row)

/**
 * The members with these ID-number blind indexes. The indexes travel as one array parameter,
 * not one parameter each: building and binding a 2,000-value IN list cost this process about
 * 6 ms more per chunk (0.3 s over a 100,000-row import, bench/); the database's work is the same.
 */
export async function membersByIdNumberBidx(handle: Handle, actor: Actor, bidxs: string[]) {
  if (bidxs.length === 0) return [];
  return handle
    .select({
      member,
      homeInScope: sql<boolean>`coalesce(${withinScope(actor, sql`"org"."path"`)}, false)`,
    })
    .from(member)
    .leftJoin(org, eq(org.id, member.orgId))
    .where(sql`${member.idNumberBidx} = any(${sql.param(bidxs)}::text[])`);
}

export async function openOutflowsOf(handle: Handle, memberIds: string[]) {
  if (memberIds.length === 0) return [];
  return handle
    .select()
    .from(mobility)
    .where(
      and(
        inArray(mobility.memberId, memberIds),
        eq(mobility.direction, 'outflow'),
        sql`${mobility.status} not in (${closedStatuses})`,
      ),
    );
}

// ---------------------------------------------------------------------------------------------
// Set-based writes: one statement per chunk, the rows travelling as one JSON parameter
// (json_populate_recordset types each value by the table's own column types).

/** Columns of member an import writes on an update (and an undo restores). */
export const MEMBER_UPDATE_COLUMNS = [
  'name',
  'name_pinyin',
  'name_initials',
  'birth_date',
  'ethnicity',
  'education',
  'phone_enc',
  'phone_bidx',
  'home_address_enc',
  'current_address_enc',
  'emergency_contact_name',
  'emergency_contact_phone_enc',
  'joined_on',
  'membership',
  'full_member_on',
  'party_posts',
] as const;
export type MemberColumn = (typeof MEMBER_UPDATE_COLUMNS)[number];

export const MOBILITY_UPDATE_COLUMNS = [
  'left_on',
  'destination_region_code',
  'destination_address_enc',
  'employer',
  'industry',
  'reason',
  'mobility_range',
  'host_org_text',
  'checked_in_on',
] as const;
export type MobilityColumn = (typeof MOBILITY_UPDATE_COLUMNS)[number];

const MEMBER_INSERT_COLUMNS = [
  'id',
  'org_id',
  'name',
  'name_pinyin',
  'name_initials',
  'gender',
  'ethnicity',
  'birth_date',
  'id_number_enc',
  'id_number_bidx',
  'education',
  'phone_enc',
  'phone_bidx',
  'home_address_enc',
  'current_address_enc',
  'emergency_contact_name',
  'emergency_contact_phone_enc',
  'joined_on',
  'membership',
  'full_member_on',
  'party_posts',
  'version',
  'created_at',
  'updated_at',
] as const;

const MOBILITY_INSERT_COLUMNS = [
  'id',
  'member_id',
  'direction',
  'status',
  'home_org_id',
  'registered_on',
  'left_on',
  'destination_region_code',
  'destination_address_enc',
  'employer',
  'industry',
  'reason',
  'mobility_range',
  'host_org_text',
  'checked_in_on',
  'version',
  'created_at',
  'updated_at',
] as const;

const TRANSITION_INSERT_COLUMNS = [
  'mobility_id',
  'from_status',
  'to_status',
  'at',
  'actor_account_id',
  'note',
] as const;

const ITEM_INSERT_COLUMNS = [
  'batch_id',
  'entity',
  'entity_id',
  'action',
  'before',
  'version_after',
  'sheet_row',
] as const;

function columnList(columns: readonly string[]) {
  return sql.raw(columns.map((c) => `"${c}"`).join(', '));
}

async function insertJson(
  tx: Tx,
  table: string,
  columns: readonly string[],
  rows: readonly object[],
) {
  if (rows.length === 0) return;
  const list = columnList(columns);
  await tx.execute(
    sql`insert into ${sql.identifier(table)} (${list})
        select ${list} from json_populate_recordset(null::${sql.identifier(table)}, ${JSON.stringify(rows)}::json)`,
  );
}

export type MemberJson = Partial<Record<(typeof MEMBER_INSERT_COLUMNS)[number], unknown>>;
export type MobilityJson = Partial<Record<(typeof MOBILITY_INSERT_COLUMNS)[number], unknown>>;

export const insertMembers = (tx: Tx, rows: MemberJson[]) =>
  insertJson(tx, 'member', MEMBER_INSERT_COLUMNS, rows);
export const insertMobilities = (tx: Tx, rows: MobilityJson[]) =>
  insertJson(tx, 'mobility', MOBILITY_INSERT_COLUMNS, rows);
export const insertTransitions = (tx: Tx, rows: object[]) =>
  insertJson(tx, 'mobility_transition', TRANSITION_INSERT_COLUMNS, rows);
export const insertItems = (tx: Tx, rows: object[]) =>
  insertJson(tx, 'import_batch_item', ITEM_INSERT_COLUMNS, rows);

/**
 * Updates rows to the given column values where their version is still the one read (optimistic
 * locking, SECURITY.md 26). Returns how many rows changed: fewer than sent means someone else
 * changed a record meanwhile.
 */
async function updateJson(
  tx: Tx,
  table: 'member' | 'mobility',
  columns: readonly string[],
  rows: readonly object[],
  at: Date,
): Promise<number> {
  if (rows.length === 0) return 0;
  const set = sql.raw(columns.map((c) => `"${c}" = j."${c}"`).join(', '));
  const result = await queryRows<{ id: string }>(
    tx,
    sql`update ${sql.identifier(table)} t
           set ${set}, "version" = t."version" + 1, "updated_at" = ${at.toISOString()}::timestamptz
          from json_populate_recordset(null::${sql.identifier(table)}, ${JSON.stringify(rows)}::json) j
         where t."id" = j."id" and t."version" = j."version"
     returning t."id"`,
  );
  return result.length;
}

export const updateMembers = (tx: Tx, rows: object[], at: Date) =>
  updateJson(tx, 'member', MEMBER_UPDATE_COLUMNS, rows, at);
export const updateMobilities = (tx: Tx, rows: object[], at: Date) =>
  updateJson(tx, 'mobility', MOBILITY_UPDATE_COLUMNS, rows, at);

// ---------------------------------------------------------------------------------------------
// Undo

export interface UndoConflict {
  entity: string;
  id: string;
  name: string | null;
  reason: string;
}

/**
 * What stands in the way of undoing a batch: records changed since (version moved on), created
 * members that meanwhile got other episodes, certificates or transfers, created episodes with
 * certificates or transfers or further steps. Set-based, one query per kind of obstacle.
 */
export async function undoConflicts(tx: Tx, batchId: string): Promise<UndoConflict[]> {
  return queryRows<UndoConflict>(
    tx,
    sql`
    select 'member' as entity, m.id, m.name, 'changed' as reason
      from import_batch_item i join member m on m.id = i.entity_id
     where i.batch_id = ${batchId} and i.entity = 'member' and m.version <> i.version_after
    union all
    select 'mobility', mb.id, m.name, 'changed'
      from import_batch_item i join mobility mb on mb.id = i.entity_id join member m on m.id = mb.member_id
     where i.batch_id = ${batchId} and i.entity = 'mobility' and mb.version <> i.version_after
    union all
    select 'member', m.id, m.name, 'other_episode'
      from import_batch_item i join member m on m.id = i.entity_id
     where i.batch_id = ${batchId} and i.entity = 'member' and i.action = 'created'
       and exists (select 1 from mobility mb where mb.member_id = m.id
                     and not exists (select 1 from import_batch_item j
                                      where j.batch_id = ${batchId} and j.entity = 'mobility'
                                        and j.action = 'created' and j.entity_id = mb.id))
    union all
    select 'member', m.id, m.name, 'certificate'
      from import_batch_item i join member m on m.id = i.entity_id
     where i.batch_id = ${batchId} and i.action = 'created'
       and i.entity = 'member' and exists (select 1 from certificate c where c.member_id = m.id)
    union all
    select 'mobility', mb.id, m.name, 'certificate'
      from import_batch_item i join mobility mb on mb.id = i.entity_id join member m on m.id = mb.member_id
     where i.batch_id = ${batchId} and i.action = 'created' and i.entity = 'mobility'
       and exists (select 1 from certificate c where c.mobility_id = mb.id)
    union all
    select 'member', m.id, m.name, 'transfer'
      from import_batch_item i join member m on m.id = i.entity_id
     where i.batch_id = ${batchId} and i.action = 'created'
       and i.entity = 'member' and exists (select 1 from transfer x where x.member_id = m.id)
    union all
    select 'mobility', mb.id, m.name, 'transfer'
      from import_batch_item i join mobility mb on mb.id = i.entity_id join member m on m.id = mb.member_id
     where i.batch_id = ${batchId} and i.action = 'created' and i.entity = 'mobility'
       and exists (select 1 from transfer x where x.mobility_id = mb.id)
    union all
    select 'mobility', mb.id, m.name, 'steps'
      from import_batch_item i join mobility mb on mb.id = i.entity_id join member m on m.id = mb.member_id
     where i.batch_id = ${batchId} and i.action = 'created' and i.entity = 'mobility'
       and (select count(*) from mobility_transition t where t.mobility_id = mb.id) > 1`,
  );
}

/** Locks every record the batch touched, in id order (no deadlock with another undo). */
export async function lockBatchRecords(tx: Tx, batchId: string) {
  await tx.execute(sql`select m.id from member m join import_batch_item i on i.entity_id = m.id
    where i.batch_id = ${batchId} and i.entity = 'member' order by m.id for update of m`);
  await tx.execute(sql`select mb.id from mobility mb join import_batch_item i on i.entity_id = mb.id
    where i.batch_id = ${batchId} and i.entity = 'mobility' order by mb.id for update of mb`);
}

/** "col = previous value when the batch changed it, else as it is", for each restorable column. */
function restoreSet(columns: readonly string[], types: Record<string, string>) {
  return sql.raw(
    columns
      .map(
        (c) =>
          `"${c}" = case when i."before" ? '${c}' then (i."before"->>'${c}')::${types[c] ?? 'text'} else t."${c}" end`,
      )
      .join(', '),
  );
}

const DATE_COLUMNS = {
  birth_date: 'date',
  joined_on: 'date',
  full_member_on: 'date',
  left_on: 'date',
  checked_in_on: 'date',
};

export async function undoBatchWrites(tx: Tx, batchId: string, at: Date) {
  const now = at.toISOString();
  // Updated records get their previous state back exactly: the changed columns as stored
  // (ciphertext stays ciphertext), and the version and time they had. The version check before
  // (nothing changed since) makes this the very row a client may hold from before the import,
  // and lets batches be undone one after the other, newest first.
  const previous = sql.raw(`"version" = coalesce((i."before"->>'version')::int, t."version" + 1),
          "updated_at" = coalesce((i."before"->>'updated_at')::timestamptz, `);
  const restoredMembers = await queryRows<{ id: string }>(
    tx,
    sql`update member t set ${restoreSet(MEMBER_UPDATE_COLUMNS, DATE_COLUMNS)},
          ${previous}${now}::timestamptz)
        from import_batch_item i
       where i.batch_id = ${batchId} and i.entity = 'member' and i.action = 'updated'
         and i.entity_id = t.id
   returning t.id`,
  );
  const restoredEpisodes = await queryRows<{ id: string }>(
    tx,
    sql`update mobility t set ${restoreSet(MOBILITY_UPDATE_COLUMNS, DATE_COLUMNS)},
          ${previous}${now}::timestamptz)
        from import_batch_item i
       where i.batch_id = ${batchId} and i.entity = 'mobility' and i.action = 'updated'
         and i.entity_id = t.id
   returning t.id`,
  );
  // Created records go, children first.
  await tx.execute(sql`delete from mobility_transition where mobility_id in (
      select entity_id from import_batch_item
       where batch_id = ${batchId} and entity = 'mobility' and action = 'created')`);
  const deletedEpisodes = await queryRows<{ id: string }>(
    tx,
    sql`delete from mobility where id in (
      select entity_id from import_batch_item
       where batch_id = ${batchId} and entity = 'mobility' and action = 'created') returning id`,
  );
  const deletedMembers = await queryRows<{ id: string }>(
    tx,
    sql`delete from member where id in (
      select entity_id from import_batch_item
       where batch_id = ${batchId} and entity = 'member' and action = 'created') returning id`,
  );
  return {
    membersDeleted: deletedMembers.length,
    membersRestored: restoredMembers.length,
    episodesDeleted: deletedEpisodes.length,
    episodesRestored: restoredEpisodes.length,
  };
}

// ---------------------------------------------------------------------------------------------
// Saved mappings

const mappingInScope = (actor: Actor) => sql`exists (select 1 from org mo
  where mo.id = ${importMapping.orgId} and ${withinScope(actor, sql`mo.path`)})`;

export async function listMappings(handle: Handle, actor: Actor, kind?: string) {
  const where: (SQL | undefined)[] = [mappingInScope(actor)];
  if (kind) where.push(eq(importMapping.kind, kind));
  return handle
    .select()
    .from(importMapping)
    .where(and(...where))
    .orderBy(desc(importMapping.updatedAt), desc(importMapping.id));
}

export async function findMappingWithScope(handle: Handle, actor: Actor, id: string) {
  const [row] = await handle
    .select({ mapping: importMapping, inScope: sql<boolean>`${mappingInScope(actor)}` })
    .from(importMapping)
    .where(eq(importMapping.id, id));
  return row ?? null;
}

/** Saves under (org, kind, name): the same name again replaces the columns. */
export async function upsertMapping(
  tx: Tx,
  values: {
    orgId: string;
    accountId: string;
    kind: string;
    name: string;
    columns: { title: string; field: string }[];
    at: Date;
  },
) {
  const [row] = await tx
    .insert(importMapping)
    .values({
      orgId: values.orgId,
      accountId: values.accountId,
      kind: values.kind,
      name: values.name,
      columns: values.columns,
      createdAt: values.at,
      updatedAt: values.at,
    })
    .onConflictDoUpdate({
      target: [importMapping.orgId, importMapping.kind, importMapping.name],
      set: { columns: values.columns, accountId: values.accountId, updatedAt: values.at },
    })
    .returning();
  return row!;
}

export async function deleteMapping(tx: Tx, id: string) {
  await tx.delete(importMapping).where(eq(importMapping.id, id));
}

/** A foreign key refused a delete: something else now refers to the record. */
export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { cause?: unknown };
  const c = (e?.cause ?? e) as { code?: unknown } | null;
  return c?.code === '23503';
}

/** A unique index refused a row: another officer registered the same person or episode meanwhile. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { cause?: unknown };
  const c = (e?.cause ?? e) as { code?: unknown } | null;
  return c?.code === '23505';
}
