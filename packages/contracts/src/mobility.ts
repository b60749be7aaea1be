import { z } from 'zod';
import {
  INDUSTRIES,
  MOBILITY_RANGES,
  MOBILITY_REASONS,
  OCCUPATIONS,
  UNIT_TYPES,
} from '@liudong/domain';
import { Id, IsoDate, PageQuery, Version, optionalText, pageOf, text } from './common';
import { Membership, MobilityDirection, MobilityStatus, MobilityTimelineEntry } from './members';
import { RegionCode } from './orgs';

export const Industry = z.enum(INDUSTRIES);
export const UnitType = z.enum(UNIT_TYPES);
export const Occupation = z.enum(OCCUPATIONS);
export const MobilityReason = z.enum(MOBILITY_REASONS);
export const MobilityRange = z.enum(MOBILITY_RANGES);

const hostOrgExclusive = {
  check: (v: { hostOrgId?: string | null | undefined; hostOrgText?: string | null | undefined }) =>
    !(v.hostOrgId && v.hostOrgText),
  params: { message: '接收党组织请选择系统内组织或填写名称，二者只填其一', path: ['hostOrgText'] },
};

/**
 * 《流动党员情况登记表》, outflow part (issue 3 §2). The home org is the member's org of
 * affiliation; the range (跨省 / 省内跨市 / 市内跨县) is computed, never sent.
 */
export const RegisterOutflowInput = z
  .object({
    leftOn: IsoDate,
    /** Defaults to today (China date). */
    registeredOn: IsoDate.optional(),
    destinationRegionCode: RegionCode,
    destinationAddress: optionalText(200),
    employer: optionalText(100),
    industry: Industry.nullable().optional(),
    unitType: UnitType.nullable().optional(),
    originalOccupation: Occupation.nullable().optional(),
    reason: MobilityReason,
    reasonNote: optionalText(200),
    expectedMonths: z.number().int().min(1, '预计外出时间至少1个月').max(600).nullable().optional(),
    /** The host org when it is in the system (it may lie outside the actor's scope). */
    hostOrgId: Id.nullable().optional(),
    hostOrgText: optionalText(100),
  })
  .strict()
  .refine(hostOrgExclusive.check, hostOrgExclusive.params);
export type RegisterOutflowInput = z.infer<typeof RegisterOutflowInput>;

/**
 * A member arriving from elsewhere (inflow). The person is matched by ID number: an existing
 * record is linked, never duplicated or overwritten.
 */
export const RegisterInflowInput = z
  .object({
    name: text(40),
    idNumber: z.string().trim().min(1, '请填写身份证号码').max(40),
    phone: z.string().trim().max(40).nullable().optional(),
    membership: Membership.default('full'),
    /** The home org when it is in the system; else its name as written, with its region. */
    homeOrgId: Id.nullable().optional(),
    homeOrgText: optionalText(100),
    homeRegionCode: RegionCode.nullable().optional(),
    /** 流动党员活动证 number, as written on the certificate (its own register comes later). */
    certificateNumber: optionalText(40),
    /** The receiving org: the actor's org or a branch in its scope. */
    hostOrgId: Id,
    arrivedOn: IsoDate,
    registeredOn: IsoDate.optional(),
    currentAddress: optionalText(200),
    employer: optionalText(100),
    industry: Industry.nullable().optional(),
    unitType: UnitType.nullable().optional(),
    reason: MobilityReason,
    reasonNote: optionalText(200),
    expectedMonths: z.number().int().min(1).max(600).nullable().optional(),
    hostContact: optionalText(100),
  })
  .strict()
  .refine((v) => !(v.homeOrgId && v.homeOrgText), {
    message: '流出地党组织请选择系统内组织或填写名称，二者只填其一',
    path: ['homeOrgText'],
  })
  .refine((v) => !!v.homeOrgId || !!v.homeOrgText, {
    message: '请选择或填写流出地党组织',
    path: ['homeOrgText'],
  });
export type RegisterInflowInput = z.infer<typeof RegisterInflowInput>;

/**
 * One step along the life cycle (packages/domain mobility.ts `canTransition`). A return needs
 * its date and a note on the member's conduct while away; check-in data goes with settled or
 * serving.
 */
export const MobilityTransitionInput = z
  .object({
    to: MobilityStatus,
    note: optionalText(500),
    version: Version,
    endedOn: IsoDate.optional(),
    endNote: optionalText(1000),
    hostOrgId: Id.nullable().optional(),
    hostOrgText: optionalText(100),
    checkedInOn: IsoDate.nullable().optional(),
    hostContact: optionalText(100),
  })
  .strict()
  .refine(hostOrgExclusive.check, hostOrgExclusive.params);
export type MobilityTransitionInput = z.infer<typeof MobilityTransitionInput>;

export const MobilityListQuery = PageQuery.extend({
  direction: MobilityDirection.optional(),
  status: MobilityStatus.optional(),
  /** Narrows to the episodes whose home or host org lies in that org's subtree. */
  orgId: Id.optional(),
  /** true: only the episodes flagged "affiliation should be transferred"; false: the others. */
  shouldTransfer: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export type MobilityListQuery = z.infer<typeof MobilityListQuery>;

export const MobilityAbilities = z.object({ transition: z.boolean(), edit: z.boolean() });
export type MobilityAbilities = z.infer<typeof MobilityAbilities>;

/** One row of the mobility ledger (台账); personal fields masked (SECURITY.md 13). */
export const MobilityLedgerItem = z.object({
  id: Id,
  memberId: Id,
  memberName: z.string(),
  phoneMasked: z.string().nullable(),
  direction: MobilityDirection,
  status: MobilityStatus,
  homeOrgId: Id.nullable(),
  homeOrgName: z.string().nullable(),
  registeredOn: IsoDate,
  leftOn: IsoDate,
  destinationRegionCode: z.string().nullable(),
  /** Province / city / county names of the destination. */
  destinationName: z.string().nullable(),
  hostOrgId: Id.nullable(),
  hostOrgName: z.string().nullable(),
  checkedInOn: IsoDate.nullable(),
  endedOn: IsoDate.nullable(),
  reason: MobilityReason,
  mobilityRange: MobilityRange.nullable(),
  version: z.number().int(),
  warnings: z.object({ shouldTransfer: z.boolean() }),
  abilities: MobilityAbilities,
});
export type MobilityLedgerItem = z.infer<typeof MobilityLedgerItem>;
export const MobilityListResponse = pageOf(MobilityLedgerItem);
export type MobilityListResponse = z.infer<typeof MobilityListResponse>;

/** One episode with its registration fields and its timeline. */
export const MobilityDetail = MobilityLedgerItem.extend({
  employer: z.string().nullable(),
  industry: Industry.nullable(),
  unitType: UnitType.nullable(),
  originalOccupation: Occupation.nullable(),
  reasonNote: z.string().nullable(),
  expectedMonths: z.number().int().nullable(),
  hostContact: z.string().nullable(),
  endNote: z.string().nullable(),
  destinationAddressMasked: z.string().nullable(),
  timeline: z.array(MobilityTimelineEntry),
});
export type MobilityDetail = z.infer<typeof MobilityDetail>;

/** 3+ open outflows of one home org to one destination city → suggest a temporary branch. */
export const TemporaryBranchSuggestion = z.object({
  homeOrgId: Id,
  homeOrgName: z.string(),
  destinationCityCode: z.string(),
  destinationCityName: z.string().nullable(),
  members: z.array(z.object({ id: Id, name: z.string() })),
});
export type TemporaryBranchSuggestion = z.infer<typeof TemporaryBranchSuggestion>;
export const TemporaryBranchSuggestionsResponse = z.object({
  items: z.array(TemporaryBranchSuggestion),
});
export type TemporaryBranchSuggestionsResponse = z.infer<typeof TemporaryBranchSuggestionsResponse>;
