import type { Permission } from '@liudong/domain';

export interface ContactPolicyActor {
  permissions: ReadonlySet<Permission>;
}

/**
 * Where a member lies relative to the actor's scope (contacts.repository memberAccess):
 * - memberOrgInScope: the org of affiliation is in the subtree (the home side);
 * - homeInScope / hostInScope: the open episode's home org / host org is in the subtree
 *   (a mobile Party org or a receiving branch is the host side, issue 3 §4);
 * - assignedToActor: the member's open assignment names the actor's own liaison record, and that
 *   record's org is in the subtree (the 三定 assignment is the delegation);
 * - openEpisode: the member is away now (an open outflow, or an inflow hosted here).
 */
export interface ContactPolicySubject {
  memberOrgInScope: boolean;
  homeInScope: boolean;
  hostInScope: boolean;
  assignedToActor: boolean;
  openEpisode: 'outflow' | 'inflow' | null;
}

export interface ContactAbilities {
  /** Seen at all: otherwise the member answers 404 like a missing one (SECURITY.md 9). */
  visible: boolean;
  /** Read the contact history, the 三定 and the lost-contact status (member.read). */
  readHistory: boolean;
  /** Log a contact (contact.log): only while the member is away. */
  logContact: boolean;
  /** Name or change the liaison (liaison.assign): the home side only, for an open outflow. */
  assign: boolean;
  /**
   * Record the lost-contact reason and the search (member.write): the home side only, also after
   * the episode ended (the found register keeps the reason).
   */
  recordLostNote: boolean;
}

/**
 * What an actor may do about keeping in touch with one member (issue 4 §1–§4). Pure, tested as a
 * table. The home side owns the member and the 三定; the host side and the assigned liaison may
 * log contacts and read the history, because they are the ones who talk to the member.
 */
export function contactAbilities(
  actor: ContactPolicyActor,
  s: ContactPolicySubject,
): ContactAbilities {
  const home = s.memberOrgInScope || s.homeInScope;
  const visible = home || s.hostInScope || s.assignedToActor;
  const has = (p: Permission) => actor.permissions.has(p);
  return {
    visible,
    readHistory: visible && has('member.read'),
    logContact: visible && s.openEpisode !== null && has('contact.log'),
    assign: home && s.openEpisode === 'outflow' && has('liaison.assign'),
    recordLostNote: home && has('member.write'),
  };
}
