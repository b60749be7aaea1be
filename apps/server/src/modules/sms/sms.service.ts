import { z } from 'zod';
import type {
  Broadcast,
  BroadcastInput,
  BroadcastListResponse,
  BroadcastPreview,
  OutboxQuery,
  OutboxResponse,
  PageQuery,
  SaveSmsTemplateInput,
  SendBroadcastInput,
  SmsStatusResponse,
  SmsTemplate,
} from '@liudong/contracts';
import {
  DEFAULT_SMS_TEMPLATES,
  SMS_MAX_CHARS,
  SMS_STATUS_LABELS,
  isRegionCode,
  maskName,
  maskPhone,
  renderTemplate,
  smsSegments,
  templateVariables,
  type SmsTemplateKind,
} from '@liudong/domain';
import { requireActor, type RequestContext } from '../../platform/actor';
import { auditDenied, writeAudit } from '../../platform/audit';
import { smsConfigOf, type AppConfig } from '../../platform/config';
import type { FieldCipher } from '../../platform/crypto';
import { decodeCursor, encodeCursor } from '../../platform/cursor';
import type { Db } from '../../platform/db';
import { AppError, invalidField, notFound, versionConflict } from '../../platform/errors';
import { FIELD } from '../members/member-fields';
import * as memberRepo from '../members/members.repository';
import * as orgRepo from '../orgs/orgs.repository';
import { countSentToday } from './sms.dispatch';
import { SMS_PHONE_CONTEXT } from './sms.outbox';
import * as repo from './sms.repository';

const TEMPLATE = '短信模板';
const ORG = '党组织';
const MEMBER = '党员';
const BROADCAST = '群发记录';
/** Rows per insert while a broadcast is written (the phone is re-encrypted in Node). */
export const BROADCAST_CHUNK = 1000;
/** The variable every broadcast fills per recipient. */
const RECIPIENT_VARIABLE = 'name';

// The same rule as packages/domain/src/sms.ts (templateVariables).
const WELL_FORMED_VARIABLE = /\$\{[A-Za-z_][A-Za-z0-9_]{0,29}\}/g;

const ListCursor = z.object({ createdAt: z.string().min(1).max(60), id: z.uuid() });

/**
 * Reminder and warning texts are filled by the daily job (modules/contacts/contacts.jobs.ts),
 * which knows only the variables of the default texts: an edited template may use those and no
 * other, or the job would send a text with a gap.
 */
const JOB_VARIABLES: Partial<Record<SmsTemplateKind, readonly string[]>> = Object.fromEntries(
  (['reminder', 'warning'] as const).map((k) => [
    k,
    DEFAULT_SMS_TEMPLATES.filter((t) => t.kind === k).flatMap((t) => templateVariables(t.body)),
  ]),
);

function toTemplate(r: repo.TemplateRow): SmsTemplate {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as SmsTemplateKind,
    body: r.body,
    variables: templateVariables(r.body),
    providerTemplateCode: r.provider_template_code,
    active: r.active,
    version: r.version,
  };
}

const iso = (v: Date | string) => new Date(v).toISOString();

export function createSmsService(deps: { db: Db; cipher: FieldCipher; config: AppConfig }) {
  const { db, cipher } = deps;
  const sms = smsConfigOf(deps.config);
  /** The sign is part of the text the provider bills (【签名】 counts towards the 70). */
  const signPrefix = sms.aliyun ? `【${sms.aliyun.signName}】` : '';

  // -------------------------------------------------------------------------------------------
  // Templates

  async function listTemplates() {
    return { items: (await repo.listTemplates(db)).map(toTemplate) };
  }

  /** Checks the body's variables: well-formed, and for job texts only those the job fills. */
  function checkTemplate(input: SaveSmsTemplateInput) {
    // Every "${" must open a well-formed variable (the domain's `${name}` rule).
    const opened = input.body.split('${').length - 1;
    if (opened !== [...input.body.matchAll(WELL_FORMED_VARIABLE)].length) {
      throw invalidField(
        'body',
        '模板变量写法应为 ${名称}，名称由字母、数字和下划线组成并以字母开头，例如 ${name}',
      );
    }
    const allowed = JOB_VARIABLES[input.kind];
    if (allowed) {
      const extra = templateVariables(input.body).filter((v) => !allowed.includes(v));
      if (extra.length > 0) {
        throw invalidField(
          'body',
          `此类模板由系统自动填写，只能使用变量 ${allowed.map((v) => `\${${v}}`).join('、')}；请删去 ${extra
            .map((v) => `\${${v}}`)
            .join('、')}`,
        );
      }
    }
  }

  const duplicateName = () => new AppError('conflict', '已有同名的短信模板，请换一个名称');

  async function createTemplate(ctx: RequestContext, input: SaveSmsTemplateInput) {
    const actor = requireActor(ctx);
    checkTemplate(input);
    if (await repo.templateByName(db, input.name)) throw duplicateName();
    const values = {
      name: input.name,
      kind: input.kind,
      body: input.body,
      providerTemplateCode: input.providerTemplateCode || null,
      active: input.active,
    };
    try {
      return await db.transaction(async (tx) => {
        const row = await repo.insertTemplate(tx, values, actor.accountId, ctx.clock.now());
        await writeAudit(tx, ctx, {
          action: 'sms.template.create',
          result: 'success',
          targetType: 'sms_template',
          targetId: row.id,
          targetLabel: row.name,
          after: { ...values },
        });
        return toTemplate(row);
      });
    } catch (err) {
      if (repo.isDuplicateTemplateName(err)) throw duplicateName();
      throw err;
    }
  }

  async function updateTemplate(ctx: RequestContext, id: string, input: SaveSmsTemplateInput) {
    const actor = requireActor(ctx);
    if (input.version === undefined) throw invalidField('version', '修改模板时须提供版本号');
    const before = await repo.templateById(db, id);
    if (!before) throw notFound(TEMPLATE);
    checkTemplate(input);
    const other = await repo.templateByName(db, input.name);
    if (other && other.id !== id) throw duplicateName();
    const values = {
      name: input.name,
      kind: input.kind,
      body: input.body,
      providerTemplateCode: input.providerTemplateCode || null,
      active: input.active,
    };
    try {
      return await db.transaction(async (tx) => {
        const row = await repo.updateTemplate(
          tx,
          id,
          input.version!,
          values,
          actor.accountId,
          ctx.clock.now(),
        );
        if (!row) throw versionConflict();
        await writeAudit(tx, ctx, {
          action: 'sms.template.update',
          result: 'success',
          targetType: 'sms_template',
          targetId: id,
          targetLabel: row.name,
          before: {
            name: before.name,
            kind: before.kind,
            body: before.body,
            providerTemplateCode: before.provider_template_code,
            active: before.active,
            version: before.version,
          },
          after: { ...values, version: row.version },
        });
        return toTemplate(row);
      });
    } catch (err) {
      if (repo.isDuplicateTemplateName(err)) throw duplicateName();
      throw err;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Broadcasts

  /**
   * The template and the subtree of a broadcast, both checked: an org outside the actor's scope
   * answers like a missing one and is logged (SECURITY.md 9).
   */
  async function loadBroadcastTarget(ctx: RequestContext, input: BroadcastInput) {
    const actor = requireActor(ctx);
    const found = await orgRepo.findWithScope(db, actor, input.filter.orgId);
    if (!found) throw notFound(ORG);
    if (!found.inScope) {
      await auditDenied(db, ctx, 'org', input.filter.orgId, 'out_of_scope');
      throw notFound(ORG);
    }
    const code = input.filter.destinationRegionCode;
    if (code && !isRegionCode(code)) {
      throw invalidField('filter.destinationRegionCode', '目的地行政区划代码无效，请从列表中选择');
    }
    const template = await repo.templateById(db, input.templateId);
    if (!template) throw invalidField('templateId', '短信模板不存在，请重新选择');
    if (!template.active) throw invalidField('templateId', '该短信模板已停用，请选择其他模板');
    if (template.kind !== 'broadcast' && template.kind !== 'notice') {
      throw invalidField('templateId', '群发只能使用“群发”或“通知”类模板');
    }
    return { org: found.org, template };
  }

  /** The variables a broadcast must fill from `params` (name is filled per recipient). */
  function missingOf(body: string, params: Record<string, string>) {
    return templateVariables(body).filter(
      (v) => v !== RECIPIENT_VARIABLE && !(params[v] ?? '').trim(),
    );
  }

  /** The text one recipient gets, and the params the provider's template is filled with. */
  function renderFor(body: string, params: Record<string, string>, name: string) {
    const vars = templateVariables(body);
    const values: Record<string, string> = {};
    for (const v of vars) values[v] = v === RECIPIENT_VARIABLE ? name : (params[v] ?? '').trim();
    return { text: renderTemplate(body, values).text, values };
  }

  async function preview(ctx: RequestContext, input: BroadcastInput): Promise<BroadcastPreview> {
    const { org, template } = await loadBroadcastTarget(ctx, input);
    const counts = await repo.countRecipients(db, input.filter, org.path);
    const [first] = await repo.recipientChunk(db, input.filter, org.path, null, 1);
    const { text } = renderFor(template.body, input.params, first?.name ?? '某某');
    const sentToday = await countSentToday(db, ctx.clock.now());
    return {
      ...counts,
      sample: text,
      segments: smsSegments(signPrefix + text),
      missingVariables: missingOf(template.body, input.params),
      remainingToday: Math.max(0, sms.dailyLimitTotal - sentToday),
    };
  }

  async function send(ctx: RequestContext, input: SendBroadcastInput): Promise<Broadcast> {
    const actor = requireActor(ctx);
    const { org, template } = await loadBroadcastTarget(ctx, input);
    if (sms.driver === 'aliyun' && !template.provider_template_code) {
      // Aliyun sends approved templates only: without the code every message would fail.
      throw invalidField(
        'templateId',
        '该模板未填写阿里云模板编号（模板 CODE），请组织部在短信模板中填写后再群发',
      );
    }
    const missing = missingOf(template.body, input.params);
    if (missing.length > 0) {
      throw invalidField(
        'params',
        `请先填写模板变量：${missing.map((v) => `\${${v}}`).join('、')}`,
      );
    }
    const now = ctx.clock.now();
    const params = Object.fromEntries(
      Object.entries(input.params)
        .filter(([k]) => templateVariables(template.body).includes(k) && k !== RECIPIENT_VARIABLE)
        .map(([k, v]) => [k, v.trim()]),
    );
    const { text: longest } = renderFor(template.body, params, '某某某某');
    if ([...longest].length > SMS_MAX_CHARS) {
      throw invalidField('params', `短信内容超过${SMS_MAX_CHARS}字，请缩短变量内容`);
    }
    const id = await db.transaction(async (tx) => {
      // The count is taken again inside the transaction that writes the messages: what is sent
      // is exactly the group that was confirmed, or nothing (issue 4 §6: count before sending).
      const { recipients } = await repo.countRecipients(tx, input.filter, org.path);
      if (recipients !== input.confirmRecipients) {
        throw new AppError('conflict', '收件人数已变化，请重新预览', {
          recipients,
          confirmed: input.confirmRecipients,
        });
      }
      const broadcastId = await repo.insertBroadcast(tx, {
        templateId: template.id,
        orgId: org.id,
        filter: input.filter,
        params,
        recipientCount: recipients,
        createdBy: actor.accountId,
        createdAt: now,
      });
      let after: string | null = null;
      let written = 0;
      for (;;) {
        const chunk = await repo.recipientChunk(tx, input.filter, org.path, after, BROADCAST_CHUNK);
        if (chunk.length === 0) break;
        await repo.insertMessages(
          tx,
          chunk.map((r) => {
            // Decrypted under the member's context, stored under the outbox's own.
            const phone = cipher.decrypt(r.phone_enc, FIELD.phone.context);
            const { text, values } = renderFor(template.body, params, r.name);
            return {
              phoneEnc: cipher.encrypt(phone, SMS_PHONE_CONTEXT),
              phoneBidx: r.phone_bidx,
              memberId: r.id,
              templateId: template.id,
              broadcastId,
              params: values,
              body: text,
            };
          }),
          now,
        );
        written += chunk.length;
        after = chunk[chunk.length - 1]!.id;
      }
      if (written !== recipients) {
        // Cannot happen inside one transaction unless the data changed under a weaker isolation:
        // refuse rather than send to a group nobody confirmed.
        throw new AppError('conflict', '收件人数已变化，请重新预览');
      }
      await writeAudit(tx, ctx, {
        action: 'sms.broadcast',
        result: 'success',
        targetType: 'sms_broadcast',
        targetId: broadcastId,
        targetLabel: `${template.name} → ${org.name}`,
        after: {
          templateId: template.id,
          templateName: template.name,
          filter: input.filter,
          params,
          recipientCount: recipients,
        },
      });
      return broadcastId;
    });
    const [row] = await repo.listBroadcasts(db, actor, { id, limit: 1 });
    return toBroadcast(row!);
  }

  function toBroadcast(r: repo.BroadcastRow): Broadcast {
    return {
      id: r.id,
      templateName: r.template_name,
      orgName: r.org_name,
      recipientCount: r.recipient_count,
      createdByName: r.created_by_name,
      createdAt: iso(r.created_at),
      counts: { queued: r.queued, sent: r.sent, failed: r.failed, suppressed: r.suppressed },
    };
  }

  async function listBroadcasts(ctx: RequestContext, q: PageQuery): Promise<BroadcastListResponse> {
    const actor = requireActor(ctx);
    const after = decodeCursor(q.cursor, ListCursor);
    const rows = await repo.listBroadcasts(db, actor, { after, limit: q.limit + 1 });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toBroadcast),
      nextCursor:
        rows.length > q.limit && last
          ? encodeCursor({ createdAt: last.created_key, id: last.id })
          : null,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Outbox

  async function outbox(ctx: RequestContext, q: OutboxQuery): Promise<OutboxResponse> {
    const actor = requireActor(ctx);
    if (q.broadcastId) {
      const b = await repo.broadcastInScope(db, actor, q.broadcastId);
      if (!b) throw notFound(BROADCAST);
      if (!b.in_scope) {
        await auditDenied(db, ctx, 'sms_broadcast', q.broadcastId, 'out_of_scope');
        throw notFound(BROADCAST);
      }
    }
    const after = decodeCursor(q.cursor, ListCursor);
    const rows = await repo.listOutbox(db, actor, {
      status: q.status,
      broadcastId: q.broadcastId,
      after,
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => {
        let phoneMasked = '***';
        try {
          // Masked on the way out (SECURITY.md 13); the full number never leaves the server.
          phoneMasked = maskPhone(cipher.decrypt(r.phone_enc, SMS_PHONE_CONTEXT));
        } catch {
          // A value under an unknown key shows as masked stars rather than failing the page.
        }
        return {
          id: r.id,
          phoneMasked,
          recipientName: r.recipient_name,
          body: r.body,
          status: r.status,
          statusLabel: SMS_STATUS_LABELS[r.status],
          attempts: r.attempts,
          lastError: r.last_error,
          provider: r.provider,
          createdAt: iso(r.created_at),
          sentAt: r.sent_at ? iso(r.sent_at) : null,
        };
      }),
      nextCursor:
        rows.length > q.limit && last
          ? encodeCursor({ createdAt: last.created_key, id: last.id })
          : null,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Opt-out (退订)

  /**
   * A member of the actor's scope (home or host side), with a phone to opt out. The route asks
   * for member.write: the officers who keep the record, on either side, since the member tells
   * whichever branch they are in touch with (issue 4 §6).
   */
  async function memberWithPhone(ctx: RequestContext, memberId: string) {
    const found = await memberRepo.findWithScope(db, requireActor(ctx), memberId);
    if (!found) throw notFound(MEMBER);
    if (!found.homeInScope && !found.hostInScope) {
      await auditDenied(db, ctx, 'member', memberId, 'out_of_scope');
      throw notFound(MEMBER);
    }
    if (!found.member.phoneBidx) {
      throw invalidField('memberId', '该党员没有登记手机号码，无需退订');
    }
    return { member: found.member, phoneBidx: found.member.phoneBidx };
  }

  async function optOut(ctx: RequestContext, memberId: string) {
    const actor = requireActor(ctx);
    const { member, phoneBidx } = await memberWithPhone(ctx, memberId);
    await db.transaction(async (tx) => {
      const added = await repo.insertOptOut(tx, {
        phoneBidx,
        memberId,
        createdBy: actor.accountId,
        at: ctx.clock.now(),
      });
      await writeAudit(tx, ctx, {
        action: 'sms.opt_out',
        result: 'success',
        targetType: 'member',
        targetId: memberId,
        targetLabel: maskName(member.name),
        reason: added ? null : 'already_opted_out',
      });
    });
  }

  async function optIn(ctx: RequestContext, memberId: string) {
    const { member, phoneBidx } = await memberWithPhone(ctx, memberId);
    await db.transaction(async (tx) => {
      const removed = await repo.deleteOptOut(tx, phoneBidx);
      await writeAudit(tx, ctx, {
        action: 'sms.opt_in',
        result: 'success',
        targetType: 'member',
        targetId: memberId,
        targetLabel: maskName(member.name),
        reason: removed ? null : 'was_not_opted_out',
      });
    });
  }

  async function status(ctx: RequestContext): Promise<SmsStatusResponse> {
    return {
      driver: sms.driver,
      sentToday: await countSentToday(db, ctx.clock.now()),
      dailyLimit: sms.dailyLimitTotal,
    };
  }

  return {
    listTemplates,
    createTemplate,
    updateTemplate,
    preview,
    send,
    listBroadcasts,
    outbox,
    optOut,
    optIn,
    status,
  };
}
