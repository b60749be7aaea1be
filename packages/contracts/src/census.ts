import { z } from 'zod';
import { CENSUS_RESULTS, CENSUS_STATUSES, CENSUS_TASK_STATUSES } from '@liudong/domain';
import { Id, IsoDate, PageQuery, Version, optionalText, pageOf, text } from './common';
import { ContactChannel, WhereaboutsUpdate } from './contacts';

// Census campaigns (摸排 / 三找; issue 4 §5; DOMAIN.md §4).

export const CensusStatus = z.enum(CENSUS_STATUSES);
export const CensusTaskStatus = z.enum(CENSUS_TASK_STATUSES);
export type CensusTaskStatus = z.infer<typeof CensusTaskStatus>;
export const CensusResult = z.enum(CENSUS_RESULTS);

/**
 * Opening a campaign creates one verification task for every mobile member in the subtree: each
 * open outflow whose home org is in it, and each open inflow hosted in it from outside.
 */
export const OpenCensusInput = z
  .object({
    orgId: Id,
    name: text(60),
    startsOn: IsoDate,
    endsOn: IsoDate,
  })
  .strict()
  .refine((v) => v.endsOn >= v.startsOn, {
    message: '结束日期不能早于开始日期',
    path: ['endsOn'],
  });
export type OpenCensusInput = z.infer<typeof OpenCensusInput>;

const Counts = z.object({
  total: z.number().int(),
  pending: z.number().int(),
  unchanged: z.number().int(),
  changed: z.number().int(),
  unreachable: z.number().int(),
});
export type CensusCounts = z.infer<typeof Counts>;

export const CensusCampaign = z.object({
  id: Id,
  orgId: Id,
  orgName: z.string(),
  name: z.string(),
  startsOn: IsoDate,
  endsOn: IsoDate,
  status: CensusStatus,
  statusLabel: z.string(),
  openedByName: z.string().nullable(),
  closedOn: IsoDate.nullable(),
  counts: Counts,
  version: Version,
  /**
   * close: census.manage and the campaign's org in scope, while open. verify: contact.log, while
   * open (on the actor's own part of the tasks). register: the 摸排登记表 download, a spreadsheet
   * export that needs member.export (SECURITY.md 23).
   */
  abilities: z.object({ close: z.boolean(), verify: z.boolean(), register: z.boolean() }),
});
export type CensusCampaign = z.infer<typeof CensusCampaign>;
export const CensusListResponse = pageOf(CensusCampaign);
export type CensusListResponse = z.infer<typeof CensusListResponse>;

/**
 * Progress per org directly under the campaign's root (and the root's own members). An actor who
 * sees the campaign from below (a branch in the county's campaign) gets the same view of their
 * own part: per org directly under the actor's org, and the actor's org itself.
 */
export const CensusProgressResponse = z.object({
  campaign: CensusCampaign,
  byOrg: z.array(z.object({ orgId: Id, orgName: z.string() }).extend(Counts.shape)),
});
export type CensusProgressResponse = z.infer<typeof CensusProgressResponse>;

export const CensusTaskQuery = PageQuery.extend({
  orgId: Id.optional(),
  status: CensusTaskStatus.optional(),
  q: z.string().trim().max(40).optional(),
});
export type CensusTaskQuery = z.infer<typeof CensusTaskQuery>;

export const CensusTask = z.object({
  id: Id,
  campaignId: Id,
  memberId: Id,
  memberName: z.string(),
  orgId: Id,
  orgName: z.string(),
  direction: z.enum(['outflow', 'inflow']),
  mobilityId: Id.nullable(),
  mobilityVersion: Version.nullable(),
  destinationName: z.string().nullable(),
  destinationRegionCode: z.string().nullable(),
  employer: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  status: CensusTaskStatus,
  statusLabel: z.string(),
  verifiedOn: IsoDate.nullable(),
  verifiedByName: z.string().nullable(),
  note: z.string().nullable(),
  version: Version,
});
export type CensusTask = z.infer<typeof CensusTask>;
export const CensusTaskListResponse = pageOf(CensusTask);
export type CensusTaskListResponse = z.infer<typeof CensusTaskListResponse>;

/**
 * Recording a verification. `unchanged` and `changed` reached the member and are logged as a
 * reached contact (the member leaves the lost-contact list); `changed` carries the new
 * whereabouts, which update the episode in the same step. `unreachable` is logged as an attempt.
 */
export const VerifyCensusTaskInput = z
  .object({
    result: CensusResult,
    verifiedOn: IsoDate,
    channel: ContactChannel,
    note: optionalText(300),
    whereabouts: WhereaboutsUpdate.nullable().optional(),
    version: Version,
    mobilityVersion: Version.optional(),
  })
  .strict()
  .refine((v) => v.result !== 'changed' || !!v.whereabouts, {
    message: '有变化时请填写现在的去向',
    path: ['whereabouts'],
  })
  .refine((v) => v.result === 'changed' || !v.whereabouts, {
    message: '只有“有变化”时才更新去向',
    path: ['whereabouts'],
  })
  .refine((v) => !v.whereabouts || v.mobilityVersion !== undefined, {
    message: '更新去向时请附带流动登记的版本号',
    path: ['mobilityVersion'],
  });
export type VerifyCensusTaskInput = z.infer<typeof VerifyCensusTaskInput>;

/** Closing keeps the counts as they are; tasks still pending stay pending in the register. */
export const CloseCensusInput = z.object({ version: Version }).strict();
export type CloseCensusInput = z.infer<typeof CloseCensusInput>;
