import { contact, participation } from '../../db/schema';
import type { Tx } from '../../platform/db';

export type ContactInsert = typeof contact.$inferInsert;

/**
 * Writes one contact and what the member reported with it (org life attended, dues paid) in the
 * caller's transaction. Shared by the contact log and census verification (issue 4 §2, §5), so a
 * census result counts exactly like a liaison's call for the queue and for lost contact.
 */
export async function insertContact(
  tx: Tx,
  values: ContactInsert,
  reported: { orgLifeOn?: string | null; duesPaidOn?: string | null } = {},
) {
  const [row] = await tx.insert(contact).values(values).returning();
  const rows: (typeof participation.$inferInsert)[] = [];
  const source = values.source === 'census' ? 'census' : 'contact';
  if (reported.orgLifeOn)
    rows.push({
      memberId: values.memberId,
      kind: 'org_life',
      on: reported.orgLifeOn,
      source,
      contactId: row!.id,
      recordedBy: values.recordedBy ?? null,
    });
  if (reported.duesPaidOn)
    rows.push({
      memberId: values.memberId,
      kind: 'dues',
      on: reported.duesPaidOn,
      source,
      contactId: row!.id,
      recordedBy: values.recordedBy ?? null,
    });
  if (rows.length) await tx.insert(participation).values(rows);
  return row!;
}
