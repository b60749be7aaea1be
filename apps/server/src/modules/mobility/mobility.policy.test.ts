import { describe, expect, it } from 'vitest';
import { ROLES, ROLE_PERMISSIONS, type MobilityStatus, type Role } from '@liudong/domain';
import { mayMoveTo, mobilityAbilities, type MobilityPolicySubject } from './mobility.policy';

const actor = (role: Role) => ({ permissions: new Set(ROLE_PERMISSIONS[role]) });
const writers = ROLES.filter((r) => ROLE_PERMISSIONS[r].includes('member.write'));

const subject = (
  direction: 'outflow' | 'inflow',
  side: 'home' | 'host' | 'both',
  status: MobilityStatus = 'registered',
): MobilityPolicySubject => ({
  direction,
  status,
  homeInScope: side !== 'host',
  hostInScope: side !== 'home',
});

describe('mobilityAbilities', () => {
  const table = ROLES.flatMap((role) => {
    const w = writers.includes(role);
    return [
      [role, 'outflow', 'home', 'registered', { transition: w, edit: w }],
      [role, 'outflow', 'host', 'settled', { transition: w, edit: false }],
      [role, 'outflow', 'both', 'serving', { transition: w, edit: w }],
      [role, 'inflow', 'host', 'registered', { transition: w, edit: w }],
      // The home side of an inflow (a member of ours hosted elsewhere in the system) looks only.
      [role, 'inflow', 'home', 'registered', { transition: false, edit: false }],
      // Closed episodes are history, whoever looks.
      [role, 'outflow', 'home', 'returned', { transition: false, edit: false }],
      [role, 'inflow', 'host', 'transferred', { transition: false, edit: false }],
      [role, 'outflow', 'both', 'ended', { transition: false, edit: false }],
    ] as const;
  });
  it.each(table)('%s, %s seen from the %s side, %s', (role, direction, side, status, expected) => {
    expect(mobilityAbilities(actor(role), subject(direction, side, status))).toEqual(expected);
  });
});

describe('mayMoveTo', () => {
  const officer = actor('branch_officer');
  it.each([
    ['outflow', 'home', 'informed', true],
    ['outflow', 'home', 'returned', true],
    ['outflow', 'host', 'settled', true],
    ['outflow', 'host', 'serving', true],
    ['outflow', 'host', 'informed', false],
    ['outflow', 'host', 'returned', false],
    ['outflow', 'host', 'transferred', false],
    ['inflow', 'host', 'returned', true],
    ['inflow', 'home', 'settled', false],
  ] as const)('%s from the %s side → %s: %s', (direction, side, to, expected) => {
    expect(mayMoveTo(officer, subject(direction, side), to)).toBe(expected);
  });

  it('refuses everything without member.write', () => {
    expect(mayMoveTo(actor('liaison'), subject('outflow', 'home'), 'informed')).toBe(false);
  });
});
