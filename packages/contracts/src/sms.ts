import { z } from 'zod';
import { SMS_MAX_CHARS, SMS_STATUSES, SMS_TEMPLATE_KINDS } from '@liudong/domain';
import { Id, IsoDateTime, PageQuery, Version, optionalText, pageOf, text } from './common';

// SMS (issue 4 §6): templates, the outbox, broadcasts (红色短信), opt-out.

export const SmsStatus = z.enum(SMS_STATUSES);
export type SmsStatus = z.infer<typeof SmsStatus>;
export const SmsTemplateKind = z.enum(SMS_TEMPLATE_KINDS);
export type SmsTemplateKind = z.infer<typeof SmsTemplateKind>;

export const SmsTemplate = z.object({
  id: Id,
  name: z.string(),
  kind: SmsTemplateKind,
  body: z.string(),
  /** The variables the body uses (`${name}`). */
  variables: z.array(z.string()),
  providerTemplateCode: z.string().nullable(),
  active: z.boolean(),
  version: Version,
});
export type SmsTemplate = z.infer<typeof SmsTemplate>;
export const SmsTemplateListResponse = z.object({ items: z.array(SmsTemplate) });

export const SaveSmsTemplateInput = z
  .object({
    name: text(40),
    kind: SmsTemplateKind,
    body: text(SMS_MAX_CHARS),
    providerTemplateCode: optionalText(40),
    active: z.boolean().default(true),
    /** Required when editing. */
    version: Version.optional(),
  })
  .strict();
export type SaveSmsTemplateInput = z.infer<typeof SaveSmsTemplateInput>;

/**
 * The group a broadcast goes to: mobile members of a subtree, optionally only outbound or inbound,
 * only those in one destination province or city (region code prefix). Members without a phone
 * and opted-out numbers are counted, never sent to.
 */
export const BroadcastFilter = z
  .object({
    orgId: Id,
    direction: z.enum(['outflow', 'inflow', 'all']).default('all'),
    destinationRegionCode: z
      .string()
      .regex(/^\d{6}$/, '行政区划代码为6位数字')
      .nullable()
      .optional(),
  })
  .strict();
export type BroadcastFilter = z.infer<typeof BroadcastFilter>;

/** `${name}` is filled per recipient; other variables come from `params`. */
export const BroadcastInput = z
  .object({
    templateId: Id,
    filter: BroadcastFilter,
    params: z.record(z.string(), z.string().max(100)).default({}),
  })
  .strict();
export type BroadcastInput = z.infer<typeof BroadcastInput>;

export const BroadcastPreview = z.object({
  recipients: z.number().int(),
  withoutPhone: z.number().int(),
  optedOut: z.number().int(),
  /** The text for the first recipient, as it will be sent. */
  sample: z.string(),
  segments: z.number().int(),
  missingVariables: z.array(z.string()),
  /** What is left of today's installation-wide limit. */
  remainingToday: z.number().int(),
});
export type BroadcastPreview = z.infer<typeof BroadcastPreview>;

/** Sending repeats the preview's count: if the group changed meanwhile, it is refused (409). */
export const SendBroadcastInput = BroadcastInput.safeExtend({
  confirmRecipients: z.number().int().min(1),
});
export type SendBroadcastInput = z.infer<typeof SendBroadcastInput>;

export const Broadcast = z.object({
  id: Id,
  templateName: z.string(),
  orgName: z.string(),
  recipientCount: z.number().int(),
  createdByName: z.string().nullable(),
  createdAt: IsoDateTime,
  counts: z.object({
    queued: z.number().int(),
    sent: z.number().int(),
    failed: z.number().int(),
    suppressed: z.number().int(),
  }),
});
export type Broadcast = z.infer<typeof Broadcast>;
export const BroadcastListResponse = pageOf(Broadcast);

export const OutboxQuery = PageQuery.extend({
  status: SmsStatus.optional(),
  broadcastId: Id.optional(),
});
export type OutboxQuery = z.infer<typeof OutboxQuery>;

export const OutboxItem = z.object({
  id: Id,
  phoneMasked: z.string(),
  recipientName: z.string().nullable(),
  body: z.string(),
  status: SmsStatus,
  statusLabel: z.string(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  provider: z.string().nullable(),
  createdAt: IsoDateTime,
  sentAt: IsoDateTime.nullable(),
});
export type OutboxItem = z.infer<typeof OutboxItem>;
export const OutboxResponse = pageOf(OutboxItem);
export type OutboxResponse = z.infer<typeof OutboxResponse>;

export const OptOutInput = z.object({ memberId: Id }).strict();
export type OptOutInput = z.infer<typeof OptOutInput>;
export const SmsStatusResponse = z.object({
  /** record: kept in the outbox, never sent; aliyun: sent through Aliyun SMS. */
  driver: z.enum(['record', 'aliyun']),
  sentToday: z.number().int(),
  dailyLimit: z.number().int(),
});
export type SmsStatusResponse = z.infer<typeof SmsStatusResponse>;

/** DELETE /api/sms/opt-outs/:memberId (additive, issue 4 §6). */
export const OptOutParams = z.object({ memberId: Id });
export type OptOutParams = z.infer<typeof OptOutParams>;

/** GET /api/sms/broadcasts: keyset pages, newest first. */
export const BroadcastListQuery = PageQuery;
export type BroadcastListQuery = z.infer<typeof BroadcastListQuery>;
export type BroadcastListResponse = z.infer<typeof BroadcastListResponse>;
