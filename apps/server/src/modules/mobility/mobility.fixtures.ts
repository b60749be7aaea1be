import { computeIdCheckChar } from '@liudong/domain';
import { mobility } from '../../db/schema';
import type { TestApp } from '../../test/harness';

/**
 * Test fixtures for the authorization matrix: an open outflow episode of a member whose home
 * org is given, written straight to the table, and fresh valid ID numbers.
 */
export async function addMobilityFixture(
  t: TestApp,
  homeOrgId: string,
  memberId: string,
  leftOn = '2026-10-01',
): Promise<string> {
  const [row] = await t.db
    .insert(mobility)
    .values({
      memberId,
      direction: 'outflow',
      status: 'registered',
      homeOrgId,
      registeredOn: leftOn,
      leftOn,
      destinationRegionCode: '440305',
      reason: 'work',
    })
    .returning({ id: mobility.id });
  return row!.id;
}

let serial = 0;
/** A valid GB 11643 number, different at each call within a test process. */
export function nextTestIdNumber(): string {
  serial += 1;
  const day = String(1 + (Math.floor(serial / 1000) % 28)).padStart(2, '0');
  const first17 = `510104198003${day}${String(serial % 1000).padStart(3, '0')}`;
  return first17 + computeIdCheckChar(first17);
}
