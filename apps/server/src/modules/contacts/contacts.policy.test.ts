import { describe, expect, it } from 'vitest';
import { ROLES, ROLE_PERMISSIONS, type Permission, type Role } from '@liudong/domain';
import { contactAbilities, type ContactPolicySubject } from './contacts.policy';

const actor = (role: Role) => ({ permissions: new Set(ROLE_PERMISSIONS[role]) });
const can = (role: Role, p: Permission) => ROLE_PERMISSIONS[role].includes(p);

type Where = 'home' | 'episode-home' | 'host' | 'assigned' | 'elsewhere';
const subject = (
  where: Where,
  openEpisode: ContactPolicySubject['openEpisode'],
): ContactPolicySubject => ({
  memberOrgInScope: where === 'home',
  homeInScope: where === 'episode-home',
  hostInScope: where === 'host',
  assignedToActor: where === 'assigned',
  openEpisode,
});

describe('contactAbilities', () => {
  const table = ROLES.flatMap((role) => {
    const read = can(role, 'member.read');
    const log = can(role, 'contact.log');
    const assign = can(role, 'liaison.assign');
    const write = can(role, 'member.write');
    const none = {
      visible: false,
      readHistory: false,
      logContact: false,
      assign: false,
      recordLostNote: false,
    };
    const seen = { ...none, visible: true, readHistory: read };
    return [
      // The home side: everything, while the member is away.
      [role, 'home', 'outflow', { ...seen, logContact: log, assign, recordLostNote: write }],
      [
        role,
        'episode-home',
        'outflow',
        { ...seen, logContact: log, assign, recordLostNote: write },
      ],
      // Back home (no open episode): history and the lost-contact note; nobody is due a contact.
      [role, 'home', null, { ...seen, recordLostNote: write }],
      // The host side (a mobile Party org, a receiving branch) talks to the member but does not
      // name the home side's liaison nor record its lost-contact reasons.
      [role, 'host', 'outflow', { ...seen, logContact: log }],
      [role, 'host', 'inflow', { ...seen, logContact: log }],
      // The liaison named by the home side, whatever org their role is at.
      [role, 'assigned', 'outflow', { ...seen, logContact: log }],
      // Anyone else: not there at all.
      [role, 'elsewhere', 'outflow', none],
      [role, 'elsewhere', null, none],
    ] as const;
  });

  it.each(table)('%s, member %s with episode %s', (role, where, episode, expected) => {
    expect(contactAbilities(actor(role), subject(where, episode))).toEqual(expected);
  });

  it('gives liaisons logging without assigning, and branch officers both', () => {
    const liaison = contactAbilities(actor('liaison'), subject('assigned', 'outflow'));
    expect(liaison).toMatchObject({ logContact: true, assign: false, recordLostNote: false });
    const officer = contactAbilities(actor('branch_officer'), subject('home', 'outflow'));
    expect(officer).toMatchObject({ logContact: true, assign: true, recordLostNote: true });
    // 三员: the system administrator sees no member data at all.
    const admin = contactAbilities(actor('system_admin'), subject('home', 'outflow'));
    expect(admin).toMatchObject({ readHistory: false, logContact: false, assign: false });
  });
});
