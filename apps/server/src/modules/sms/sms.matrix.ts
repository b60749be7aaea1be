import { sql } from 'drizzle-orm';
import type { BroadcastFilter } from '@liudong/contracts';
import { smsBroadcast, smsTemplate } from '../../db/schema';
import { queryRows } from '../../platform/db';
import { outboundAt, type Entry, type Fixture, type Position } from '../../test/matrix';
import { queueSms } from './sms.outbox';
import { countRecipients } from './sms.repository';
import { ensureDefaultSmsTemplates } from './sms.templates';

let seq = 0;
/** What the last list request planted, for its `shows` check. */
let planted = '';

/** The default broadcast template 节日问候 (created on first use). */
async function greetingTemplate(fx: Fixture) {
  await ensureDefaultSmsTemplates(fx.t.db);
  const [row] = await queryRows<{ id: string }>(
    fx.t.db,
    sql`select id from sms_template where name = '节日问候'`,
  );
  return row!.id;
}

/**
 * A member at the position with a phone of its own: opting it out must not touch the shared
 * number of the other fixtures' members (that would empty every broadcast group).
 */
async function memberWithOwnPhone(p: Position, fx: Fixture) {
  const n = ++seq;
  return fx.t.addMember(await fx.orgAt(p), {
    name: `矩阵短信党员甲${n}乙`,
    phone: `1370000${String(n).padStart(4, '0')}`,
  });
}

/** Authorization matrix entries (SECURITY.md 8) for the sms routes; merged in authorization-matrix.test.ts. */
export const SMS_MATRIX: Record<string, Entry> = {
  'GET /api/sms/templates': {
    auth: 'active',
    permission: 'sms.send',
    target: 'none',
    ok: 200,
    request: async () => ({ method: 'GET', url: '/api/sms/templates' }),
  },
  'POST /api/sms/templates': {
    auth: 'active',
    permission: 'sms.configure',
    target: 'none',
    ok: 200,
    request: async () => ({
      method: 'POST',
      url: '/api/sms/templates',
      body: { name: `矩阵模板${++seq}`, kind: 'notice', body: '${name}同志：${topic}' },
    }),
  },
  'PUT /api/sms/templates/:id': {
    auth: 'active',
    permission: 'sms.configure',
    target: 'none',
    ok: 200,
    request: async (_p, fx) => {
      const name = `矩阵待改模板${++seq}`;
      const [row] = await fx.t.db
        .insert(smsTemplate)
        .values({ name, kind: 'notice', body: '通知：${topic}' })
        .returning();
      return {
        method: 'PUT',
        url: `/api/sms/templates/${row!.id}`,
        body: { name, kind: 'notice', body: '新通知：${topic}', version: 1 },
      };
    },
  },
  'GET /api/sms/outbox': {
    auth: 'active',
    permission: 'sms.send',
    target: 'none',
    ok: 200,
    request: async (p, fx) => {
      const m = await fx.memberAt(p);
      planted = `矩阵发件箱短信${++seq}`;
      await queueSms(fx.t.db, fx.t.cipher, { phone: '13800000000', body: planted, memberId: m.id });
      return { method: 'GET', url: '/api/sms/outbox?status=queued&limit=200' };
    },
    shows: (body) => (body as { items: { body: string }[] }).items.some((i) => i.body === planted),
  },
  'POST /api/sms/broadcasts/preview': {
    auth: 'active',
    permission: 'sms.send',
    target: 'record',
    ok: 200,
    request: async (p, fx) => ({
      method: 'POST',
      url: '/api/sms/broadcasts/preview',
      body: {
        templateId: await greetingTemplate(fx),
        filter: { orgId: (await fx.orgAt(p)).id },
        params: { festival: '春节' },
      },
    }),
  },
  'POST /api/sms/broadcasts': {
    auth: 'active',
    permission: 'sms.send',
    target: 'record',
    ok: 200,
    request: async (p, fx) => {
      // At least one recipient at the position, and the count as a preview would show it.
      await outboundAt(p, fx);
      const o = await fx.orgAt(p);
      const filter: BroadcastFilter = { orgId: o.id, direction: 'all' };
      const { recipients } = await countRecipients(fx.t.db, filter, o.path);
      return {
        method: 'POST',
        url: '/api/sms/broadcasts',
        body: {
          templateId: await greetingTemplate(fx),
          filter,
          params: { festival: '春节' },
          confirmRecipients: recipients,
        },
      };
    },
  },
  'GET /api/sms/broadcasts': {
    auth: 'active',
    permission: 'sms.send',
    target: 'none',
    ok: 200,
    request: async (p, fx) => {
      const o = await fx.orgAt(p);
      const [b] = await fx.t.db
        .insert(smsBroadcast)
        .values({
          templateId: await greetingTemplate(fx),
          orgId: o.id,
          filter: { orgId: o.id },
          recipientCount: 0,
          createdAt: new Date(Date.now() + ++seq * 1000),
        })
        .returning();
      planted = b!.id;
      return { method: 'GET', url: '/api/sms/broadcasts?limit=200' };
    },
    shows: (body) => (body as { items: { id: string }[] }).items.some((i) => i.id === planted),
  },
  'POST /api/sms/opt-outs': {
    auth: 'active',
    permission: 'member.write',
    target: 'record',
    ok: 204,
    request: async (p, fx) => ({
      method: 'POST',
      url: '/api/sms/opt-outs',
      body: { memberId: (await memberWithOwnPhone(p, fx)).id },
    }),
  },
  'DELETE /api/sms/opt-outs/:memberId': {
    auth: 'active',
    permission: 'member.write',
    target: 'record',
    ok: 204,
    request: async (p, fx) => ({
      method: 'DELETE',
      url: `/api/sms/opt-outs/${(await memberWithOwnPhone(p, fx)).id}`,
    }),
  },
  'GET /api/sms/status': {
    auth: 'active',
    permission: 'sms.send',
    target: 'none',
    ok: 200,
    request: async () => ({ method: 'GET', url: '/api/sms/status' }),
  },
};
