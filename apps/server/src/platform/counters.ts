import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from './db';

/** Counter tables keyed by (county_code, year), each with a unique index on that pair. */
export type CounterTable = 'certificate_counter' | 'transfer_letter_counter';

/**
 * The next number of a county and year, without gaps (issue 3 §3 and §5). One upsert creates the
 * row at its first use or increments it, holding the row lock until the caller's transaction
 * ends: concurrent callers queue on it, and a failed caller rolls its increment back with
 * everything else, so its number goes to the next one.
 */
export async function takeNextNumber(
  tx: Tx,
  table: CounterTable,
  countyCode: string,
  year: number,
): Promise<number> {
  const t = sql.identifier(table);
  const [row] = await queryRows<{ seq: number }>(
    tx,
    sql`insert into ${t} (county_code, year, next_seq) values (${countyCode}, ${year}, 2)
        on conflict (county_code, year) do update set next_seq = ${t}.next_seq + 1
        returning next_seq - 1 as seq`,
  );
  return Number(row!.seq);
}
