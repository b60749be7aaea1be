import { describe, expect, it } from 'vitest';
import {
  ROLES,
  ROLE_PERMISSIONS,
  TRANSFER_STATUSES,
  type Role,
  type TransferStatus,
} from '@liudong/domain';
import {
  mayRecordReceipt,
  transferAbilities,
  type TransferPolicySubject,
} from './transfers.policy';

const actor = (role: Role) => ({ permissions: new Set(ROLE_PERMISSIONS[role]) });
const can = (role: Role, p: 'member.write' | 'transfer.approve') =>
  ROLE_PERMISSIONS[role].includes(p);

const subject = (side: 'from' | 'to' | 'both', status: TransferStatus): TransferPolicySubject => ({
  status,
  fromInScope: side !== 'to',
  toInScope: side !== 'from',
});

describe('transferAbilities', () => {
  const table = ROLES.flatMap((role) => {
    const w = can(role, 'member.write');
    const a = can(role, 'transfer.approve');
    const none = { decide: false, receive: false, recordPaperReceipt: false, cancel: false };
    return [
      // Requested: the sending committee decides; the sending side may withdraw.
      [role, 'from', 'requested', { ...none, decide: a, cancel: w }],
      // The receiving side waits: it neither decides nor withdraws the other side's request.
      [role, 'to', 'requested', none],
      [role, 'both', 'requested', { ...none, decide: a, cancel: w }],
      // Approved: the receiving org confirms; the sending side records a paper receipt.
      [role, 'from', 'approved', { ...none, recordPaperReceipt: w, cancel: w }],
      [role, 'to', 'approved', { ...none, receive: w }],
      [role, 'both', 'approved', { ...none, receive: w, recordPaperReceipt: w, cancel: w }],
      // Closed transfers are history, whoever looks.
      [role, 'both', 'completed', none],
      [role, 'from', 'rejected', none],
      [role, 'both', 'cancelled', none],
    ] as const;
  });
  it.each(table)('%s seen from the %s side, %s', (role, side, status, expected) => {
    expect(transferAbilities(actor(role), subject(side, status))).toEqual(expected);
  });

  it('gives nothing to a role without member.write or transfer.approve, in any state', () => {
    for (const role of ['liaison', 'station_staff', 'auditor', 'system_admin'] as const)
      for (const status of TRANSFER_STATUSES)
        expect(Object.values(transferAbilities(actor(role), subject('both', status)))).toEqual([
          false,
          false,
          false,
          false,
        ]);
  });
});

describe('mayRecordReceipt', () => {
  const officer = actor('committee_officer');
  it.each([
    ['to', 'system', true],
    ['to', 'paper', false],
    ['from', 'paper', true],
    ['from', 'system', false],
    ['both', 'system', true],
    ['both', 'paper', true],
  ] as const)('approved, seen from the %s side, %s receipt: %s', (side, source, expected) => {
    expect(mayRecordReceipt(officer, subject(side, 'approved'), source)).toBe(expected);
  });

  it('refuses a receipt before the letter is issued and after the end', () => {
    for (const status of ['requested', 'completed', 'rejected', 'cancelled'] as const)
      expect(mayRecordReceipt(officer, subject('both', status), 'paper')).toBe(false);
  });
});
