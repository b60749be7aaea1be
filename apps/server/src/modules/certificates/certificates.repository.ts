import { and, asc, desc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { CLOSED_MOBILITY_STATUSES, pathIds } from '@liudong/domain';
import { appSetting, certificate, member, mobility, org } from '../../db/schema';
import type { Actor } from '../../platform/actor';
import { withinScope } from '../../platform/actor';
import type { Db, Tx } from '../../platform/db';

export type CertificateRow = typeof certificate.$inferSelect;
export type CertificateInsert = typeof certificate.$inferInsert;
type Handle = Db | Tx;

/** The county code used when the member's tree root has no region code (GB/T 2260). */
export const FALLBACK_COUNTY_CODE = '000000';

const fields = { certificate, issuedByOrgName: org.name };
export type CertificateWithOrg = { certificate: CertificateRow; issuedByOrgName: string | null };

/** Every certificate of a member, newest first, with the name of the stamping committee. */
export async function listOfMember(db: Handle, memberId: string): Promise<CertificateWithOrg[]> {
  return db
    .select(fields)
    .from(certificate)
    .leftJoin(org, eq(org.id, certificate.issuedByOrgId))
    .where(eq(certificate.memberId, memberId))
    .orderBy(desc(certificate.issuedOn), desc(certificate.createdAt), asc(certificate.id));
}

export async function getWithOrg(db: Handle, id: string): Promise<CertificateWithOrg | null> {
  const [row] = await db
    .select(fields)
    .from(certificate)
    .leftJoin(org, eq(org.id, certificate.issuedByOrgId))
    .where(eq(certificate.id, id));
  return row ?? null;
}

/**
 * A certificate with whether its member's org of affiliation lies in the actor's scope (the home
 * side owns the certificate, like the member record), in one query, so that a missing and an
 * out-of-scope id answer alike (SECURITY.md 9).
 */
export async function findWithScope(db: Handle, actor: Actor, id: string) {
  const [row] = await db
    .select({
      certificate,
      homeInScope: sql<boolean>`coalesce(${withinScope(actor, sql`"org"."path"`)}, false)`,
    })
    .from(certificate)
    .innerJoin(member, eq(member.id, certificate.memberId))
    .leftJoin(org, eq(org.id, member.orgId))
    .where(eq(certificate.id, id));
  return row ?? null;
}

/** Locks a certificate for a change, if it still has the version the client read. */
export async function lockForUpdate(tx: Tx, id: string) {
  const [row] = await tx.select().from(certificate).where(eq(certificate.id, id)).for('update');
  return row ?? null;
}

export async function findByNumber(db: Handle, number: string) {
  const [row] = await db
    .select({
      number: certificate.number,
      status: certificate.status,
      issuedOn: certificate.issuedOn,
      lastReviewedOn: certificate.lastReviewedOn,
    })
    .from(certificate)
    .where(eq(certificate.number, number));
  return row ?? null;
}

export async function findIssuedOf(tx: Tx, memberId: string) {
  const [row] = await tx
    .select()
    .from(certificate)
    .where(and(eq(certificate.memberId, memberId), eq(certificate.status, 'issued')));
  return row ?? null;
}

/** The member's open outflow (at most one: mobility_one_open_outflow), or null. */
export async function openOutflowOf(tx: Tx, memberId: string) {
  const [row] = await tx
    .select({ id: mobility.id })
    .from(mobility)
    .where(
      and(
        eq(mobility.memberId, memberId),
        eq(mobility.direction, 'outflow'),
        notInArray(mobility.status, [...CLOSED_MOBILITY_STATUSES]),
      ),
    );
  return row ?? null;
}

/**
 * Who numbers and who stamps, from the member's org path: the county code is the region code of
 * the tree's root (the county-level org department), the stamping org the nearest committee or
 * working committee above the member's branch (基层党委), else the branch itself.
 */
export async function issuersOf(tx: Tx, memberOrgId: string) {
  const [home] = await tx.select({ path: org.path }).from(org).where(eq(org.id, memberOrgId));
  const ids = pathIds(home!.path);
  const rows = await tx
    .select({ id: org.id, kind: org.kind, depth: org.depth, regionCode: org.regionCode })
    .from(org)
    .where(inArray(org.id, ids));
  const root = rows.find((r) => r.id === ids[0]);
  const committees = rows
    .filter((r) => r.kind === 'committee' || r.kind === 'working_committee')
    .sort((a, b) => b.depth - a.depth);
  return {
    countyCode: root?.regionCode ?? FALLBACK_COUNTY_CODE,
    stampingOrgId: committees[0]?.id ?? ids.at(-1)!,
  };
}

export async function insertCertificate(tx: Tx, values: CertificateInsert) {
  const [row] = await tx.insert(certificate).values(values).returning();
  return row!;
}

export async function updateCertificate(
  tx: Tx,
  id: string,
  version: number,
  values: Partial<CertificateInsert>,
  at: Date,
) {
  const [row] = await tx
    .update(certificate)
    .set({ ...values, version: version + 1, updatedAt: at })
    .where(and(eq(certificate.id, id), eq(certificate.version, version)))
    .returning();
  return row ?? null;
}

export async function readSetting(db: Handle, key: string): Promise<unknown> {
  const [row] = await db.select().from(appSetting).where(eq(appSetting.key, key));
  return row?.value;
}

export async function writeSetting(tx: Tx, key: string, value: unknown, at: Date, by: string) {
  await tx
    .insert(appSetting)
    .values({ key, value, updatedAt: at, updatedBy: by })
    .onConflictDoUpdate({ target: appSetting.key, set: { value, updatedAt: at, updatedBy: by } });
}

/** True for the one-issued-certificate-per-member index (a concurrent issue won). */
export function isDuplicateIssued(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown; cause?: unknown };
  const c = (e.cause ?? e) as { code?: unknown; constraint?: unknown };
  return c.code === '23505' && c.constraint === 'certificate_one_issued_per_member';
}
