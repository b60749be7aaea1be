import { z } from 'zod';
import {
  CONTACT_CATEGORIES,
  CONTACT_CHANNELS,
  LOST_CONTACT_REASONS,
  MAX_CONTACT_INTERVAL_MONTHS,
  QUEUE_BUCKETS,
  SIGN_OF_LIFE_KINDS,
} from '@liudong/domain';
import { Id, IsoDate, IsoDateTime, PageQuery, Version, optionalText, pageOf, text } from './common';
import { RegionCode } from './orgs';

// Keeping in touch (issue 4; DOMAIN.md §4): liaisons and 三定, the contact log, queues, lost
// contact, notifications. Rules in packages/domain contact.ts.

export const ContactChannel = z.enum(CONTACT_CHANNELS);
export type ContactChannel = z.infer<typeof ContactChannel>;
export const ContactCategory = z.enum(CONTACT_CATEGORIES);
export type ContactCategory = z.infer<typeof ContactCategory>;
export const QueueBucket = z.enum(QUEUE_BUCKETS);
export type QueueBucket = z.infer<typeof QueueBucket>;
export const LostContactReason = z.enum(LOST_CONTACT_REASONS);
export type LostContactReason = z.infer<typeof LostContactReason>;
export const LostContactLevel = z.enum(['ok', 'warning', 'lost']);
export type LostContactLevel = z.infer<typeof LostContactLevel>;
export const SignOfLifeKind = z.enum(SIGN_OF_LIFE_KINDS);

const IntervalMonths = z
  .number()
  .int()
  .min(1, '联系周期至少1个月')
  .max(MAX_CONTACT_INTERVAL_MONTHS, `联系周期最长${MAX_CONTACT_INTERVAL_MONTHS}个月（条例第34条）`);

// ---------------------------------------------------------------------------------------------
// Liaisons (定人)

export const Liaison = z.object({
  id: Id,
  orgId: Id,
  orgName: z.string(),
  accountId: Id.nullable(),
  /** The account's username, when the liaison has one. */
  username: z.string().nullable(),
  name: z.string(),
  title: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  active: z.boolean(),
  leftOn: IsoDate.nullable(),
  /** Open assignments. */
  memberCount: z.number().int(),
  version: Version,
});
export type Liaison = z.infer<typeof Liaison>;

export const LiaisonListQuery = PageQuery.extend({
  /** Defaults to the actor's active org; its subtree is listed. */
  orgId: Id.optional(),
  /** Name or username. */
  q: z.string().trim().max(40).optional(),
  includeInactive: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export type LiaisonListQuery = z.infer<typeof LiaisonListQuery>;
export const LiaisonListResponse = pageOf(Liaison);
export type LiaisonListResponse = z.infer<typeof LiaisonListResponse>;

/**
 * A liaison is an account in scope (accountId) or a named person without one (name, phone). The
 * phone is where reminders go by SMS; it is stored encrypted.
 */
export const CreateLiaisonInput = z
  .object({
    orgId: Id,
    accountId: Id.nullable().optional(),
    name: optionalText(40),
    title: optionalText(40),
    phone: z.string().trim().max(20).nullable().optional(),
  })
  .strict()
  .refine((v) => !!v.accountId || !!v.name, {
    message: '请选择账号，或填写联络员姓名',
    path: ['name'],
  });
export type CreateLiaisonInput = z.infer<typeof CreateLiaisonInput>;

export const UpdateLiaisonInput = z
  .object({
    name: text(40).optional(),
    title: optionalText(40),
    phone: z.string().trim().max(20).nullable().optional(),
    version: Version,
  })
  .strict();
export type UpdateLiaisonInput = z.infer<typeof UpdateLiaisonInput>;

/**
 * Accounts a liaison officer may link as a liaison (定人): not disabled, holding a business role
 * (liaison, branch/committee officer, station staff, mobile-org secretary; never one of the 三员,
 * SECURITY.md 12) at an org of the actor's scope. Officers have no accounts list (account.read is
 * the security admin's), so this answers the few fields the pick needs and nothing more.
 */
export const LiaisonCandidatesQuery = z.object({
  /** Username or display name, part of either. */
  q: z.string().trim().max(40).optional(),
  /** Defaults to the actor's active org; accounts with a business role in its subtree. */
  orgId: Id.optional(),
});
export type LiaisonCandidatesQuery = z.infer<typeof LiaisonCandidatesQuery>;

export const LiaisonCandidate = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  /** Where the account holds its business role (its home org first, if that is one of them). */
  orgId: Id,
  orgName: z.string(),
  /** The account already has an active liaison record (naming it again answers 409). */
  activeLiaison: z.boolean(),
});
export type LiaisonCandidate = z.infer<typeof LiaisonCandidate>;

/** At most LIAISON_CANDIDATE_LIMIT, best matches first (no paging: type more to narrow). */
export const LiaisonCandidatesResponse = z.object({ items: z.array(LiaisonCandidate) });
export type LiaisonCandidatesResponse = z.infer<typeof LiaisonCandidatesResponse>;
export const LIAISON_CANDIDATE_LIMIT = 20;

/** A liaison leaves: their open assignments move to `toLiaisonId` in the same step. */
export const RetireLiaisonInput = z
  .object({
    toLiaisonId: Id,
    leftOn: IsoDate,
    reason: text(200),
    version: Version,
  })
  .strict();
export type RetireLiaisonInput = z.infer<typeof RetireLiaisonInput>;
export const RetireLiaisonResponse = z.object({ moved: z.number().int() });
export type RetireLiaisonResponse = z.infer<typeof RetireLiaisonResponse>;

// ---------------------------------------------------------------------------------------------
// Assignments (定人·定时·定责)

/** Which members a bulk assignment covers: a list, or every outbound member matching a filter. */
export const AssignmentTarget = z.union([
  z.object({ memberIds: z.array(Id).min(1).max(5000) }).strict(),
  z
    .object({
      filter: z
        .object({
          orgId: Id,
          /** Only members who have no liaison yet (the usual first run). */
          unassignedOnly: z.boolean().default(true),
          /** Only members of this liaison (a reassignment of part of someone's list). */
          liaisonId: Id.optional(),
        })
        .strict(),
    })
    .strict(),
]);
export type AssignmentTarget = z.infer<typeof AssignmentTarget>;

export const AssignLiaisonInput = z
  .object({
    target: AssignmentTarget,
    liaisonId: Id,
    duty: text(300),
    /** The member's own interval; null to follow the org's rule for the category. */
    intervalMonths: IntervalMonths.nullable().optional(),
    /** Null: decided per member from the destination (71/81/82 → abroad). */
    category: ContactCategory.nullable().optional(),
    assignedOn: IsoDate.optional(),
  })
  .strict();
export type AssignLiaisonInput = z.infer<typeof AssignLiaisonInput>;
export const AssignLiaisonResponse = z.object({
  assigned: z.number().int(),
  /** Members already with this liaison, left as they were. */
  unchanged: z.number().int(),
});
export type AssignLiaisonResponse = z.infer<typeof AssignLiaisonResponse>;

export const Assignment = z.object({
  id: Id,
  memberId: Id,
  liaisonId: Id,
  liaisonName: z.string(),
  category: ContactCategory,
  /** The member's own interval, if set. */
  intervalMonths: z.number().int().nullable(),
  /** The interval that applies (own, org rule or default). */
  effectiveIntervalMonths: z.number().int(),
  duty: z.string(),
  assignedOn: IsoDate,
  endedOn: IsoDate.nullable(),
  version: Version,
});
export type Assignment = z.infer<typeof Assignment>;

export const UpdateAssignmentInput = z
  .object({
    duty: text(300).optional(),
    intervalMonths: IntervalMonths.nullable().optional(),
    category: ContactCategory.optional(),
    version: Version,
  })
  .strict();
export type UpdateAssignmentInput = z.infer<typeof UpdateAssignmentInput>;

// ---------------------------------------------------------------------------------------------
// Queues

export const QueueQuery = PageQuery.extend({
  /** mine: members assigned to the actor as liaison; org: everyone in the org's subtree. */
  view: z.enum(['mine', 'org']).default('mine'),
  orgId: Id.optional(),
  /** overdue / week (due within 7 days) / all; `unassigned` lists members without a liaison. */
  bucket: z.enum(['overdue', 'week', 'all', 'unassigned']).default('overdue'),
  liaisonId: Id.optional(),
  /** Name, pinyin or initials. */
  q: z.string().trim().max(40).optional(),
});
export type QueueQuery = z.infer<typeof QueueQuery>;

/** One outbound member in a queue, ordered by due day (most overdue first), then name. */
export const QueueItem = z.object({
  memberId: Id,
  memberName: z.string(),
  mobilityId: Id,
  orgId: Id,
  orgName: z.string(),
  /** The open episode's version: what a contact that updates the whereabouts sends back. */
  mobilityVersion: Version,
  destinationRegionCode: z.string().nullable(),
  destinationName: z.string().nullable(),
  employer: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  leftOn: IsoDate,
  liaisonId: Id.nullable(),
  liaisonName: z.string().nullable(),
  category: ContactCategory,
  intervalMonths: z.number().int(),
  lastContactOn: IsoDate.nullable(),
  lastReachedOn: IsoDate.nullable(),
  dueOn: IsoDate,
  bucket: QueueBucket,
  overdueDays: z.number().int(),
  lostLevel: LostContactLevel,
});
export type QueueItem = z.infer<typeof QueueItem>;
export const QueueResponse = pageOf(QueueItem);
export type QueueResponse = z.infer<typeof QueueResponse>;

export const QueueSummaryQuery = z.object({
  view: z.enum(['mine', 'org']).default('mine'),
  orgId: Id.optional(),
});
export type QueueSummaryQuery = z.infer<typeof QueueSummaryQuery>;

export const QueueSummary = z.object({
  /** Outbound members in view (open outflows). */
  total: z.number().int(),
  overdue: z.number().int(),
  week: z.number().int(),
  unassigned: z.number().int(),
  /** 按时联系率 parts (DOMAIN.md §9). */
  due: z.number().int(),
  onTime: z.number().int(),
  onTimeRate: z.number().nullable(),
  /** Per liaison (org view only; empty for "mine"). */
  byLiaison: z.array(
    z.object({
      liaisonId: Id,
      liaisonName: z.string(),
      total: z.number().int(),
      overdue: z.number().int(),
      week: z.number().int(),
    }),
  ),
});
export type QueueSummary = z.infer<typeof QueueSummary>;

// ---------------------------------------------------------------------------------------------
// Contacts (联系记录)

/** Where the member is now, when the contact found it changed (updates the open episode). */
export const WhereaboutsUpdate = z
  .object({
    destinationRegionCode: RegionCode,
    destinationAddress: optionalText(200),
    employer: optionalText(100),
  })
  .strict();
export type WhereaboutsUpdate = z.infer<typeof WhereaboutsUpdate>;

export const CreateContactInput = z
  .object({
    memberId: Id,
    contactedOn: IsoDate,
    channel: ContactChannel,
    reached: z.boolean(),
    work: optionalText(500),
    life: optionalText(500),
    thinking: optionalText(500),
    difficulties: optionalText(500),
    followUp: optionalText(500),
    followUpNeeded: z.boolean().default(false),
    /** Reported by the member in this contact: the last org life attended and dues paid. */
    orgLifeOn: IsoDate.nullable().optional(),
    duesPaidOn: IsoDate.nullable().optional(),
    whereabouts: WhereaboutsUpdate.nullable().optional(),
    /** The episode's version, required with `whereabouts` (optimistic locking). */
    mobilityVersion: Version.optional(),
  })
  .strict()
  .refine((v) => v.reached || (!v.orgLifeOn && !v.duesPaidOn && !v.whereabouts), {
    message: '未联系上本人时，不能同时登记组织生活、党费或去向变化',
    path: ['reached'],
  })
  .refine((v) => !v.whereabouts || v.mobilityVersion !== undefined, {
    message: '更新去向时请附带流动登记的版本号',
    path: ['mobilityVersion'],
  });
export type CreateContactInput = z.infer<typeof CreateContactInput>;

export const Contact = z.object({
  id: Id,
  memberId: Id,
  mobilityId: Id.nullable(),
  contactedOn: IsoDate,
  channel: ContactChannel,
  channelLabel: z.string(),
  reached: z.boolean(),
  work: z.string().nullable(),
  life: z.string().nullable(),
  thinking: z.string().nullable(),
  difficulties: z.string().nullable(),
  followUp: z.string().nullable(),
  followUpNeeded: z.boolean(),
  source: z.enum(['liaison', 'census', 'self_report', 'import']),
  liaisonName: z.string().nullable(),
  recordedByName: z.string().nullable(),
  createdAt: IsoDateTime,
});
export type Contact = z.infer<typeof Contact>;

export const CreateContactResponse = z.object({
  contact: Contact,
  /** The member's queue position after this contact. */
  dueOn: IsoDate,
  bucket: QueueBucket,
});
export type CreateContactResponse = z.infer<typeof CreateContactResponse>;

/** A member's contact page: history and the current 三定 and lost-contact status. */
export const MemberContactsResponse = z.object({
  assignment: Assignment.nullable(),
  dueOn: IsoDate.nullable(),
  bucket: QueueBucket.nullable(),
  lost: z
    .object({
      level: LostContactLevel,
      lastSignOn: IsoDate,
      lastSignKind: SignOfLifeKind,
      monthsWithout: z.number().int(),
      warningPoint: z.number().int().nullable(),
      lostOn: IsoDate,
    })
    .nullable(),
  items: z.array(Contact),
  nextCursor: z.string().nullable(),
  /**
   * Whether texts reach the member (issue 4 §6: opt-out respected): a phone on record, and
   * whether that number asked not to be texted (退订, sms_opt_out by the phone's blind index).
   */
  sms: z.object({ hasPhone: z.boolean(), optedOut: z.boolean() }),
});
export type MemberContactsResponse = z.infer<typeof MemberContactsResponse>;

// ---------------------------------------------------------------------------------------------
// Lost contact (失联)

export const LostListQuery = PageQuery.extend({
  orgId: Id.optional(),
  /** warning: past a warning point, not yet 6 months; lost: 6 months or more. */
  level: z.enum(['warning', 'lost']).default('lost'),
  q: z.string().trim().max(40).optional(),
});
export type LostListQuery = z.infer<typeof LostListQuery>;

/** The lost-contact list as .xlsx: every member of the level in the subtree (no search, no page). */
export const LostExportQuery = z.object({
  orgId: Id.optional(),
  level: z.enum(['warning', 'lost']).default('lost'),
});
export type LostExportQuery = z.infer<typeof LostExportQuery>;

export const LostItem = z.object({
  memberId: Id,
  memberName: z.string(),
  orgId: Id,
  orgName: z.string(),
  mobilityId: Id,
  /**
   * The open episode's version, destination code and employer, as a queue row carries them: a
   * contact logged from this list can update the whereabouts without reading the member record.
   */
  mobilityVersion: Version,
  destinationRegionCode: z.string().nullable(),
  employer: z.string().nullable(),
  destinationName: z.string().nullable(),
  leftOn: IsoDate,
  level: LostContactLevel,
  lastSignOn: IsoDate,
  lastSignKind: SignOfLifeKind,
  monthsWithout: z.number().int(),
  warningPoint: z.number().int().nullable(),
  lostOn: IsoDate,
  lastOrgLifeOn: IsoDate.nullable(),
  lastDuesOn: IsoDate.nullable(),
  lastReachedOn: IsoDate.nullable(),
  /** Attempts that did not reach the member since the last sign of life (the search). */
  searchAttempts: z.number().int(),
  reasonCode: LostContactReason.nullable(),
  /** Suggested from the episode when no reason is recorded yet. */
  suggestedReason: LostContactReason,
  note: z.string().nullable(),
  liaisonName: z.string().nullable(),
});
export type LostItem = z.infer<typeof LostItem>;
export const LostListResponse = pageOf(LostItem);
export type LostListResponse = z.infer<typeof LostListResponse>;

/**
 * The two official registers (DOMAIN.md §4): 经查找取得联系党员 (found: lost for 6+ months, then
 * reached) and 经查找仍然无法取得联系党员 (not found: lost now, with at least one search attempt).
 */
export const LostRegisterQuery = PageQuery.extend({
  orgId: Id.optional(),
  kind: z.enum(['found', 'not_found']),
  /** Found on or after this day (found register only). */
  since: IsoDate.optional(),
});
export type LostRegisterQuery = z.infer<typeof LostRegisterQuery>;
/** A register as .xlsx: the same filters, every row. */
export const LostRegisterExportQuery = LostRegisterQuery.omit({ cursor: true, limit: true });
export type LostRegisterExportQuery = z.infer<typeof LostRegisterExportQuery>;
export const LostRegisterItem = z.object({
  memberId: Id,
  memberName: z.string(),
  orgName: z.string(),
  reasonCode: LostContactReason.nullable(),
  lostSince: IsoDate,
  /** found: the reached contact that ended it; not_found: null. */
  foundOn: IsoDate.nullable(),
  foundChannel: z.string().nullable(),
  searchAttempts: z.number().int(),
  note: z.string().nullable(),
});
export type LostRegisterItem = z.infer<typeof LostRegisterItem>;
export const LostRegisterResponse = pageOf(LostRegisterItem);
export type LostRegisterResponse = z.infer<typeof LostRegisterResponse>;

export const LostNoteInput = z
  .object({
    reasonCode: LostContactReason,
    note: optionalText(500),
  })
  .strict();
export type LostNoteInput = z.infer<typeof LostNoteInput>;

// ---------------------------------------------------------------------------------------------
// Settings (定时, warning points)

export const ContactSettings = z
  .object({
    /** The installation's defaults per category (an org rule overrides them for its subtree). */
    defaultIntervalMonths: z.object({ domestic: IntervalMonths, abroad: IntervalMonths }).strict(),
    /** Warning points in months before the 6-month mark, ascending (default 3 and 5). */
    warningMonths: z
      .array(z.number().int().min(1).max(5))
      .min(1)
      .max(5)
      .refine((a) => a.every((p, i) => i === 0 || p > a[i - 1]!), {
        message: '预警月份须从小到大排列且不重复',
      }),
  })
  .strict();
export type ContactSettings = z.infer<typeof ContactSettings>;

export const OrgSchedule = z.object({
  orgId: Id,
  orgName: z.string(),
  category: ContactCategory,
  intervalMonths: z.number().int(),
});
export type OrgSchedule = z.infer<typeof OrgSchedule>;
export const OrgScheduleListResponse = z.object({ items: z.array(OrgSchedule) });
export type OrgScheduleListResponse = z.infer<typeof OrgScheduleListResponse>;
export const SetOrgScheduleInput = z
  .object({
    orgId: Id,
    category: ContactCategory,
    /** Null removes the org's rule (the parent's or the default applies again). */
    intervalMonths: IntervalMonths.nullable(),
  })
  .strict();
export type SetOrgScheduleInput = z.infer<typeof SetOrgScheduleInput>;

// ---------------------------------------------------------------------------------------------
// Notifications (the bell)

export const Notification = z.object({
  id: Id,
  kind: z.enum(['reminder', 'warning', 'census', 'system']),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  readAt: IsoDateTime.nullable(),
  createdAt: IsoDateTime,
});
export type Notification = z.infer<typeof Notification>;
export const NotificationListResponse = z.object({
  items: z.array(Notification),
  unread: z.number().int(),
});
export type NotificationListResponse = z.infer<typeof NotificationListResponse>;
