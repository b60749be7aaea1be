import { and, asc, eq, ilike, isNull, sql, type SQL } from 'drizzle-orm';
import type { Region } from '@liudong/contracts';
import { region } from '../../db/schema';
import { escapeLike, type Db, type Tx } from '../../platform/db';

type Handle = Db | Tx;

const regionColumns = {
  code: region.code,
  name: region.name,
  level: region.level,
  parentCode: region.parentCode,
  hasChildren: sql<boolean>`exists (select 1 from region c where c.parent_code = "region"."code")`,
};

/** A name search, the children of a code, or (neither) the provinces. */
export async function list(
  db: Handle,
  opts: { q?: string | undefined; parentCode?: string | undefined },
) {
  const where: SQL[] = [];
  if (opts.q) where.push(ilike(region.name, `%${escapeLike(opts.q)}%`));
  else if (opts.parentCode) where.push(eq(region.parentCode, opts.parentCode));
  else where.push(isNull(region.parentCode));
  const rows = await db
    .select(regionColumns)
    .from(region)
    .where(and(...where))
    .orderBy(asc(region.code))
    .limit(200);
  return rows as Region[];
}

export async function find(db: Handle, code: string) {
  const [row] = await db.select().from(region).where(eq(region.code, code));
  return row ?? null;
}

export async function findOut(db: Handle, code: string) {
  const [row] = await db.select(regionColumns).from(region).where(eq(region.code, code));
  return (row ?? null) as Region | null;
}

export async function insert(tx: Tx, values: typeof region.$inferInsert) {
  await tx.insert(region).values(values);
}

export async function rename(tx: Tx, code: string, name: string, at: Date) {
  await tx.update(region).set({ name, updatedAt: at }).where(eq(region.code, code));
}
