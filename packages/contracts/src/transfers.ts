import { z } from 'zod';
import { TRANSFER_MAX_DAYS, TRANSFER_STATUSES } from '@liudong/domain';
import { Id, IsoDate, IsoDateTime, PageQuery, Version, optionalText, pageOf, text } from './common';
import { RegionCode } from './orgs';

// 组织关系转接 (issue 3 §5; DOMAIN.md §3). Life cycle in packages/domain transfer.ts.

export const TransferStatus = z.enum(TRANSFER_STATUSES);
export type TransferStatus = z.infer<typeof TransferStatus>;

/**
 * A request names the member and where the affiliation goes: an org in the system (any county:
 * the receiving side need not be in the requester's scope) or, outside the system, its name as
 * written with its region. The sending org is the member's org of affiliation, never sent.
 */
export const RequestTransferInput = z
  .object({
    memberId: Id,
    toOrgId: Id.nullable().optional(),
    toOrgText: optionalText(100),
    toRegionCode: RegionCode.nullable().optional(),
    reason: text(200),
  })
  .strict()
  .refine((v) => !(v.toOrgId && v.toOrgText), {
    message: '接收党组织请选择系统内组织或填写名称，二者只填其一',
    path: ['toOrgText'],
  })
  .refine((v) => !!v.toOrgId || !!v.toOrgText, {
    message: '请选择或填写接收党组织',
    path: ['toOrgText'],
  })
  .refine((v) => !v.toOrgText || !!v.toRegionCode, {
    message: '系统外的接收党组织请选择所在行政区划',
    path: ['toRegionCode'],
  });
export type RequestTransferInput = z.infer<typeof RequestTransferInput>;

/** Approve (issues the numbered letter, valid per the settings) or reject with a reason. */
export const DecideTransferInput = z
  .object({
    decision: z.enum(['approve', 'reject']),
    note: optionalText(200),
    version: Version,
  })
  .strict()
  .refine((v) => v.decision === 'approve' || !!v.note, {
    message: '不予批准时请写明原因',
    path: ['note'],
  });
export type DecideTransferInput = z.infer<typeof DecideTransferInput>;

/**
 * 回执. `system`: an officer of the receiving org (in the system) confirms. `paper`: the sending
 * side records the paper receipt that came back. The receipt date may not precede the letter.
 */
export const ReceiveTransferInput = z
  .object({
    source: z.enum(['system', 'paper']),
    receivedOn: IsoDate,
    note: optionalText(200),
    version: Version,
  })
  .strict();
export type ReceiveTransferInput = z.infer<typeof ReceiveTransferInput>;

export const CancelTransferInput = z.object({ reason: text(200), version: Version }).strict();
export type CancelTransferInput = z.infer<typeof CancelTransferInput>;

export const TransferListQuery = PageQuery.extend({
  /** out: sent from the actor's scope; in: received into it; default both. */
  side: z.enum(['out', 'in']).optional(),
  status: TransferStatus.optional(),
  /** Only letters past their last valid day without a receipt. */
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  /** Name, pinyin or initials of the member, or the letter number. */
  q: z.string().trim().max(50).optional(),
  memberId: Id.optional(),
});
export type TransferListQuery = z.infer<typeof TransferListQuery>;

export const TransferAbilities = z.object({
  decide: z.boolean(),
  receive: z.boolean(),
  recordPaperReceipt: z.boolean(),
  cancel: z.boolean(),
});
export type TransferAbilities = z.infer<typeof TransferAbilities>;

export const Transfer = z.object({
  id: Id,
  memberId: Id,
  memberName: z.string(),
  mobilityId: Id.nullable(),
  fromOrgId: Id,
  fromOrgName: z.string(),
  toOrgId: Id.nullable(),
  /** The org's name in the system, or the name as written. */
  toOrgName: z.string(),
  toRegionCode: z.string().nullable(),
  toRegionName: z.string().nullable(),
  reason: z.string(),
  status: TransferStatus,
  statusLabel: z.string(),
  requestedOn: IsoDate,
  decidedOn: IsoDate.nullable(),
  decisionNote: z.string().nullable(),
  letterNumber: z.string().nullable(),
  letterIssuedOn: IsoDate.nullable(),
  dueOn: IsoDate.nullable(),
  overdue: z.boolean(),
  overdueDays: z.number().int(),
  receivedOn: IsoDate.nullable(),
  receiptSource: z.enum(['system', 'paper']).nullable(),
  receiptNote: z.string().nullable(),
  cancelledOn: IsoDate.nullable(),
  cancelReason: z.string().nullable(),
  version: Version,
  updatedAt: IsoDateTime,
  abilities: TransferAbilities,
});
export type Transfer = z.infer<typeof Transfer>;
export const TransferListResponse = pageOf(Transfer);
export type TransferListResponse = z.infer<typeof TransferListResponse>;

/**
 * What the printed letter (介绍信: 存根, 介绍信, 回执) shows. Personal data as the paper form
 * requires it is the member's name, gender, age, membership and the masked ID number; the
 * printing officer reveals nothing more here.
 */
export const TransferLetter = z.object({
  transfer: Transfer,
  member: z.object({
    name: z.string(),
    gender: z.string(),
    age: z.number().int().nullable(),
    ethnicity: z.string().nullable(),
    membership: z.string(),
    idNumberMasked: z.string().nullable(),
  }),
  /** The issuing committee (the approving org) as printed under the seal. */
  issuingOrgName: z.string(),
});
export type TransferLetter = z.infer<typeof TransferLetter>;

export const TransferSettings = z
  .object({
    withinCityDays: z.number().int().min(1).max(TRANSFER_MAX_DAYS),
    elsewhereDays: z.number().int().min(1).max(TRANSFER_MAX_DAYS),
  })
  .strict();
export type TransferSettings = z.infer<typeof TransferSettings>;
