/**
 * The physical limit for the import (issue 3 §10): PostgreSQL COPY of the same member rows, as
 * they are stored (encrypted fields, blind indexes, pinyin keys), into the same table. The rows
 * are prepared before the clock starts, so the figure is the database's ingest alone.
 */
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { FieldCipher } from '../../apps/server/src/platform/crypto';
import {
  FIELD,
  idNumberBlindIndex,
  nameKeys,
  phoneBlindIndex,
} from '../../apps/server/src/modules/members/member-fields';
import type { RosterRow } from './roster';

const COLUMNS = [
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
  'joined_on',
  'membership',
  'full_member_on',
];

/** COPY text format: tab-separated, \N for null, backslash and control characters escaped. */
function field(v: string | null): string {
  if (v === null) return '\\N';
  return v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

export function prepareCopyLines(
  rows: Iterable<RosterRow>,
  branchIds: ReadonlyMap<string, string>,
  cipher: FieldCipher,
): string[] {
  const lines: string[] = [];
  for (const r of rows) {
    const keys = nameKeys(r.name);
    lines.push(
      [
        randomUUID(),
        branchIds.get(r.orgName)!,
        r.name,
        keys.namePinyin,
        keys.nameInitials,
        r.gender,
        '汉族',
        r.birthDate,
        cipher.encrypt(r.idNumber, FIELD.idNumber.context),
        idNumberBlindIndex(cipher, r.idNumber),
        r.education,
        cipher.encrypt(r.phone, FIELD.phone.context),
        phoneBlindIndex(cipher, r.phone),
        cipher.encrypt(r.homeAddress, FIELD.homeAddress.context),
        r.joinedOn,
        r.membership,
        r.fullMemberOn,
      ]
        .map(field)
        .join('\t') + '\n',
    );
  }
  return lines;
}

/** Streams the prepared lines through COPY … FROM STDIN in one transaction; returns ms. */
export async function copyMembers(url: string, lines: readonly string[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    await client.query('begin');
    const sink = client.query(copyFrom(`copy member (${COLUMNS.join(', ')}) from stdin`));
    // Chunks of ~1,000 lines: fewer, larger writes, as a real loader would send them.
    async function* chunks() {
      for (let i = 0; i < lines.length; i += 1000) yield lines.slice(i, i + 1000).join('');
    }
    await pipeline(Readable.from(chunks()), sink);
    await client.query('commit');
    return performance.now() - started;
  } finally {
    await client.end();
  }
}
