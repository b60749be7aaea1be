/**
 * The county preset on PGlite (the embedded default): the tables of a generated PostgreSQL
 * database copied, row for row, into a fresh in-memory PGlite migrated with the same migrations
 * (COPY out of the server, COPY FROM '/dev/blob' into PGlite), then analyzed — the same data the
 * PostgreSQL run uses, on the engine a county office would run.
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { migrateDatabase, wrapPglite } from '../../apps/server/src/platform/db';

export async function pgliteCopyOf(databaseUrl: string): Promise<{ pglite: PGlite; rows: number }> {
  const pglite = new PGlite();
  await migrateDatabase(wrapPglite(pglite));
  const source = new pg.Client({ connectionString: databaseUrl });
  await source.connect();
  let rows = 0;
  try {
    const tables = (
      await source.query<{ tablename: string }>(
        "select tablename from pg_tables where schemaname = 'public' order by tablename",
      )
    ).rows.map((r) => r.tablename);
    await pglite.exec(`set session_replication_role = replica;
      truncate ${tables.map((t) => `"${t}"`).join(', ')} cascade;`);
    for (const table of tables) {
      const chunks: Buffer[] = [];
      for await (const chunk of source.query(copyTo(`copy "${table}" to stdout`)))
        chunks.push(chunk as Buffer);
      const data = Buffer.concat(chunks);
      if (data.length === 0) continue;
      const result = await pglite.query(`copy "${table}" from '/dev/blob'`, [], {
        blob: new Blob([data]),
      });
      rows += result.affectedRows ?? 0;
    }
    // Sequences (audit_log's serial and the like) continue after the copied rows.
    await pglite.exec(`set session_replication_role = origin;
      do $$ declare r record; begin
        for r in select s.relname as seq, t.relname as tbl, a.attname as col
                   from pg_class s join pg_depend d on d.objid = s.oid and d.deptype in ('a', 'i')
                   join pg_class t on t.oid = d.refobjid
                   join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
                  where s.relkind = 'S' and t.relnamespace = 'public'::regnamespace loop
          execute format('select setval(%L, coalesce((select max(%I) from %I), 0) + 1, false)',
                         r.seq, r.col, r.tbl);
        end loop;
      end $$;
      analyze;`);
  } finally {
    await source.end();
  }
  return { pglite, rows };
}
