import { describe, expect, it } from 'vitest';
import { IMPORT_STATUSES } from '@liudong/contracts';
import { ROLES, ROLE_PERMISSIONS, type Role } from '@liudong/domain';
import { importAbilities } from './imports.policy';

const actor = (role: Role) => ({ permissions: new Set(ROLE_PERMISSIONS[role]) });
const importers = ROLES.filter((r) => ROLE_PERMISSIONS[r].includes('member.import'));

describe('importAbilities', () => {
  const table = ROLES.flatMap((role) =>
    IMPORT_STATUSES.flatMap((status) =>
      [true, false].map(
        (inScope) =>
          [
            role,
            status,
            inScope,
            { undo: inScope && status === 'committed' && importers.includes(role) },
          ] as const,
      ),
    ),
  );
  it.each(table)('%s, batch %s, in scope %s', (role, status, inScope, expected) => {
    expect(importAbilities(actor(role), { status, inScope })).toEqual(expected);
  });

  it('lets exactly the three importing roles undo', () => {
    expect([...importers].sort()).toEqual(
      ['branch_officer', 'committee_officer', 'org_admin'].sort(),
    );
  });
});
