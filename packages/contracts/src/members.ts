import { z } from 'zod';
import {
  EDUCATIONS,
  GENDERS,
  MEMBERSHIPS,
  MOBILITY_DIRECTIONS,
  MOBILITY_STATUSES,
} from '@liudong/domain';
import { Id, IsoDate, IsoDateTime, PageQuery, Version, optionalText, pageOf, text } from './common';

export const Gender = z.enum(GENDERS);
export const Membership = z.enum(MEMBERSHIPS);
export const Education = z.enum(EDUCATIONS);
export const MobilityDirection = z.enum(MOBILITY_DIRECTIONS);
export const MobilityStatus = z.enum(MOBILITY_STATUSES);

/**
 * Member lists (issue 3 §1). `q` is matched as: an exact ID number (18 or 15 characters) or
 * mobile phone (11 digits) through the blind index; otherwise a name substring, a full-pinyin
 * prefix (zhangsan) or an initials prefix (zsf). `orgId` narrows to that org's subtree.
 */
export const MemberListQuery = PageQuery.extend({
  q: z.string().trim().max(50).optional(),
  orgId: Id.optional(),
  membership: Membership.optional(),
  /** outflow: has an open outflow; inflow: has an open inflow; none: neither. */
  mobility: z.enum(['outflow', 'inflow', 'none']).optional(),
  sort: z.enum(['name', 'joinedOn']).default('name'),
});
export type MemberListQuery = z.infer<typeof MemberListQuery>;

export const MemberAbilities = z.object({
  update: z.boolean(),
  reveal: z.boolean(),
});
export type MemberAbilities = z.infer<typeof MemberAbilities>;

/** The member's open mobility episode, as lists show it. */
export const MobilityBrief = z.object({
  id: Id,
  direction: MobilityDirection,
  status: MobilityStatus,
  leftOn: IsoDate,
  destinationRegionCode: z.string().nullable(),
  /** Province / city / county names of the destination (or, for inflow, the home region). */
  destinationName: z.string().nullable(),
  hostOrgName: z.string().nullable(),
});
export type MobilityBrief = z.infer<typeof MobilityBrief>;

/** Personal fields are always masked here (SECURITY.md 13): list view of the mask. */
export const MemberSummary = z.object({
  id: Id,
  name: z.string(),
  gender: Gender,
  /**
   * Age in whole years, never the birth date: the birth date is the ID number's middle eight
   * digits, so beside even a masked ID number it would give the whole number back.
   */
  age: z.number().int().nullable(),
  orgId: Id.nullable(),
  orgName: z.string().nullable(),
  membership: Membership,
  joinedOn: IsoDate.nullable(),
  idNumberMasked: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  openMobility: MobilityBrief.nullable(),
  abilities: MemberAbilities,
});
export type MemberSummary = z.infer<typeof MemberSummary>;
export const MemberListResponse = pageOf(MemberSummary);
export type MemberListResponse = z.infer<typeof MemberListResponse>;

export const MobilityTimelineEntry = z.object({
  fromStatus: MobilityStatus.nullable(),
  toStatus: MobilityStatus,
  at: IsoDateTime,
  actorName: z.string().nullable(),
  note: z.string().nullable(),
});
export type MobilityTimelineEntry = z.infer<typeof MobilityTimelineEntry>;

export const MobilityRecord = MobilityBrief.extend({
  registeredOn: IsoDate,
  employer: z.string().nullable(),
  industry: z.string().nullable(),
  unitType: z.string().nullable(),
  originalOccupation: z.string().nullable(),
  reason: z.string(),
  reasonNote: z.string().nullable(),
  expectedMonths: z.number().int().nullable(),
  mobilityRange: z.string().nullable(),
  homeOrgName: z.string().nullable(),
  checkedInOn: IsoDate.nullable(),
  /** The host org's contact person as the host wrote it at check-in (an officer, not the member). */
  hostContact: z.string().nullable(),
  endedOn: IsoDate.nullable(),
  endNote: z.string().nullable(),
  destinationAddressMasked: z.string().nullable(),
  timeline: z.array(MobilityTimelineEntry),
  /** For the next transition (optimistic locking). */
  version: z.number().int(),
});
export type MobilityRecord = z.infer<typeof MobilityRecord>;

/** One member record, masked (detail view of the mask); viewing it is audited. */
export const MemberDetail = z.object({
  id: Id,
  name: z.string(),
  gender: Gender,
  ethnicity: z.string().nullable(),
  /** Age only; the birth date is revealed like the ID number (see MemberSummary.age). */
  age: z.number().int().nullable(),
  education: Education.nullable(),
  idNumberMasked: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  homeAddressMasked: z.string().nullable(),
  currentAddressMasked: z.string().nullable(),
  emergencyContactName: z.string().nullable(),
  emergencyContactPhoneMasked: z.string().nullable(),
  orgId: Id.nullable(),
  orgName: z.string().nullable(),
  membership: Membership,
  joinedOn: IsoDate.nullable(),
  fullMemberOn: IsoDate.nullable(),
  partyPosts: z.string().nullable(),
  mobilities: z.array(MobilityRecord),
  version: z.number().int(),
  updatedAt: IsoDateTime,
  abilities: MemberAbilities,
});
export type MemberDetail = z.infer<typeof MemberDetail>;

export const REVEALABLE_FIELDS = [
  'idNumber',
  'birthDate',
  'phone',
  'homeAddress',
  'currentAddress',
  'emergencyContactPhone',
] as const;
export const RevealField = z.enum(REVEALABLE_FIELDS);
export type RevealField = z.infer<typeof RevealField>;

/** Seeing one full value takes the permission and a recorded reason (SECURITY.md 14). */
export const RevealInput = z
  .object({
    field: RevealField,
    reason: z.string().trim().min(4, '请写明查看原因（至少4个字）').max(200),
  })
  .strict();
export type RevealInput = z.infer<typeof RevealInput>;
export const RevealResponse = z.object({ field: RevealField, value: z.string().nullable() });
export type RevealResponse = z.infer<typeof RevealResponse>;

const memberFields = {
  name: text(40),
  gender: Gender.optional(),
  ethnicity: optionalText(20),
  education: Education.nullable().optional(),
  /** Checked by GB 11643 (check character and birth date); 15-digit numbers are converted. */
  idNumber: z.string().trim().max(40).nullable().optional(),
  phone: z.string().trim().max(40).nullable().optional(),
  homeAddress: optionalText(200),
  currentAddress: optionalText(200),
  emergencyContactName: optionalText(40),
  emergencyContactPhone: z.string().trim().max(40).nullable().optional(),
  joinedOn: IsoDate.nullable().optional(),
  membership: Membership,
  fullMemberOn: IsoDate.nullable().optional(),
  partyPosts: optionalText(100),
};

export const CreateMemberInput = z.object({ orgId: Id, ...memberFields }).strict();
export type CreateMemberInput = z.infer<typeof CreateMemberInput>;

export const UpdateMemberInput = z
  .object({
    version: Version,
    ...memberFields,
    name: memberFields.name.optional(),
    membership: Membership.optional(),
  })
  .strict();
export type UpdateMemberInput = z.infer<typeof UpdateMemberInput>;
