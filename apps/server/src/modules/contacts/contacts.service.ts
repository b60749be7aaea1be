import { z } from 'zod';
import type {
  Contact,
  ContactSettings,
  CreateContactInput,
  CreateContactResponse,
  LostItem,
  LostListQuery,
  LostListResponse,
  LostNoteInput,
  LostRegisterItem,
  LostRegisterQuery,
  MemberContactsResponse,
  OrgSchedule,
  PageQuery,
  QueueItem,
  QueueQuery,
  QueueResponse,
  QueueSummary,
  QueueSummaryQuery,
  SetOrgScheduleInput,
} from '@liudong/contracts';
import {
  CONTACT_CHANNEL_LABELS,
  chinaDateOf,
  isValidWarningMonths,
  maskName,
  maskPhone,
  placeName,
  rate,
  suggestLostContactReason,
  type ContactChannel,
} from '@liudong/domain';
import { requireActor, type RequestContext } from '../../platform/actor';
import { auditDenied, writeAudit } from '../../platform/audit';
import type { FieldCipher } from '../../platform/crypto';
import { decodeCursor, encodeCursor } from '../../platform/cursor';
import type { Db } from '../../platform/db';
import { forbidden, invalidField, notFound } from '../../platform/errors';
import { writeSetting } from '../certificates/certificates.repository';
import { FIELD } from '../members/member-fields';
import { updateWhereabouts } from '../mobility/whereabouts';
import { insertContact } from './contact-log';
import { contactAbilities, type ContactPolicySubject } from './contacts.policy';
import * as repo from './contacts.repository';
import * as liaisonRepo from './liaisons.repository';

const MEMBER = '党员';
const ORG = '组织';

const QueueCursor = z.object({ dueOn: z.iso.date(), id: z.uuid() });
const LostCursor = z.object({ lastSignOn: z.iso.date(), id: z.uuid() });
const RegisterCursor = z.object({ on: z.iso.date(), id: z.uuid() });
const ContactCursor = z.object({ on: z.iso.date(), at: z.string().min(10).max(40), id: z.uuid() });

export const subjectOf = (m: repo.MemberAccessRow): ContactPolicySubject => ({
  memberOrgInScope: m.member_org_in_scope,
  homeInScope: m.home_in_scope,
  hostInScope: m.host_in_scope,
  assignedToActor: m.assigned_to_actor,
  openEpisode: m.direction,
});

/**
 * The subtree a list covers: the actor's active org, or an org inside it. An org outside answers
 * like a missing one and the attempt is audited (SECURITY.md 9).
 */
export async function subtreeOf(db: Db, ctx: RequestContext, orgId?: string) {
  return (await subtreeOrgOf(db, ctx, orgId)).path;
}

/** The same, with the org's id and name (the title of an export says whose list it is). */
export async function subtreeOrgOf(db: Db, ctx: RequestContext, orgId?: string) {
  const actor = requireActor(ctx);
  if (!orgId) return { id: actor.orgId, name: actor.orgName, path: actor.orgPath };
  const o = await repo.orgInScope(db, orgId, actor.orgPath);
  if (!o) throw notFound(ORG);
  if (!o.in_scope) {
    await auditDenied(db, ctx, 'org', orgId, 'out_of_scope');
    throw notFound(ORG);
  }
  return { id: o.id, name: o.name, path: o.path };
}

/** A row of the lost-contact list as the page and the export show it. */
export function toLostItem(r: repo.LostRow): LostItem {
  return {
    memberId: r.member_id,
    memberName: r.member_name,
    orgId: r.org_id,
    orgName: r.org_name,
    mobilityId: r.mobility_id,
    // As on a queue row: 登记联系 from this list may update the whereabouts with the episode's
    // version, without reading the member record (an audited view, DOMAIN.md §10).
    mobilityVersion: r.mobility_version,
    destinationRegionCode: r.destination_region_code,
    employer: r.employer,
    destinationName: placeName([r.region_grandparent_name, r.region_parent_name, r.region_name]),
    leftOn: r.left_on,
    level: r.lost_level,
    lastSignOn: r.last_sign_on,
    lastSignKind: r.last_sign_kind,
    monthsWithout: r.months_without,
    warningPoint: r.warning_point,
    lostOn: r.lost_on,
    lastOrgLifeOn: r.last_org_life_on,
    lastDuesOn: r.last_dues_on,
    lastReachedOn: r.last_reached_on,
    searchAttempts: r.search_attempts,
    reasonCode: r.reason_code,
    suggestedReason: suggestLostContactReason(r.reason, r.destination_region_code),
    note: r.note,
    liaisonName: r.liaison_name,
  };
}

/** A row of one of the two registers as the page and the export show it. */
export function toRegisterItem(r: repo.RegisterRow): LostRegisterItem {
  return {
    memberId: r.member_id,
    memberName: r.member_name,
    orgName: r.org_name ?? '',
    reasonCode: r.reason_code,
    lostSince: r.lost_since,
    foundOn: r.found_on,
    foundChannel: r.found_channel
      ? (CONTACT_CHANNEL_LABELS[r.found_channel as ContactChannel] ?? r.found_channel)
      : null,
    searchAttempts: r.search_attempts,
    note: r.note,
  };
}

const blankToNull = (v: string | null | undefined) => (v ? v : null);

export function createContactService(deps: { db: Db; cipher: FieldCipher }) {
  const { db, cipher } = deps;
  const todayOf = (ctx: RequestContext) => chinaDateOf(ctx.clock.now());

  const maskedPhone = (enc: string | null) =>
    enc === null ? null : maskPhone(cipher.decrypt(enc, FIELD.phone.context));

  /**
   * A member as this actor may see them; anything else answers like a missing member and the
   * attempt is logged (SECURITY.md 9). Runs before any write transaction.
   */
  async function loadMember(ctx: RequestContext, memberId: string) {
    const actor = requireActor(ctx);
    const m = await repo.memberAccess(db, actor, memberId);
    if (!m) throw notFound(MEMBER);
    const abilities = contactAbilities(actor, subjectOf(m));
    if (!abilities.visible) {
      await auditDenied(db, ctx, 'member', memberId, 'out_of_scope');
      throw notFound(MEMBER);
    }
    return { m, abilities };
  }

  function toContact(r: repo.ContactRow): Contact {
    return {
      id: r.id,
      memberId: r.member_id,
      mobilityId: r.mobility_id,
      contactedOn: r.contacted_on,
      channel: r.channel as ContactChannel,
      channelLabel: CONTACT_CHANNEL_LABELS[r.channel as ContactChannel] ?? r.channel,
      reached: r.reached,
      work: r.work,
      life: r.life,
      thinking: r.thinking,
      difficulties: r.difficulties,
      followUp: r.follow_up,
      followUpNeeded: r.follow_up_needed,
      source: r.source,
      liaisonName: r.liaison_name,
      recordedByName: r.recorded_by_name,
      createdAt: new Date(r.created_at).toISOString(),
    };
  }

  function toQueueItem(r: repo.QueueRow): QueueItem {
    return {
      memberId: r.member_id,
      memberName: r.member_name,
      mobilityId: r.mobility_id,
      orgId: r.org_id,
      orgName: r.org_name,
      // The episode's version and destination come with the row, so the contact form can update
      // the whereabouts without reading the member record (an audited view, DOMAIN.md §10).
      mobilityVersion: r.mobility_version,
      destinationRegionCode: r.destination_region_code,
      destinationName: placeName([r.region_grandparent_name, r.region_parent_name, r.region_name]),
      employer: r.employer,
      phoneMasked: maskedPhone(r.phone_enc),
      leftOn: r.left_on,
      liaisonId: r.liaison_id,
      liaisonName: r.liaison_name,
      category: r.category,
      intervalMonths: r.interval_months,
      lastContactOn: r.last_contact_on,
      lastReachedOn: r.last_reached_on,
      dueOn: r.due_on,
      bucket: r.bucket,
      overdueDays: r.overdue_days,
      lostLevel: r.lost_level,
    };
  }

  async function queueWhereOf(ctx: RequestContext, view: 'mine' | 'org', orgId?: string) {
    const actor = requireActor(ctx);
    const path = view === 'org' ? await subtreeOf(db, ctx, orgId) : actor.orgPath;
    return repo.queueWhere(view, { path, actor });
  }

  /**
   * The contact queue (issue 4 §3): "mine" for a liaison, "org" for an officer, ordered by the due
   * day (most overdue first), computed from the schedule when read.
   */
  async function queue(ctx: RequestContext, q: QueueQuery): Promise<QueueResponse> {
    const where = await queueWhereOf(ctx, q.view, q.orgId);
    const settings = await repo.loadContactSettings(db);
    const after = decodeCursor(q.cursor, QueueCursor);
    const rows = await repo.queue(db, {
      today: todayOf(ctx),
      settings,
      where,
      bucket: q.bucket,
      liaisonId: q.liaisonId,
      search: repo.nameSearchOf(q.q),
      after,
      limit: q.limit,
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
      items: page.map(toQueueItem),
      nextCursor:
        rows.length > q.limit && last
          ? encodeCursor({ dueOn: last.due_on, id: last.member_id })
          : null,
    };
  }

  async function summary(ctx: RequestContext, q: QueueSummaryQuery): Promise<QueueSummary> {
    const where = await queueWhereOf(ctx, q.view, q.orgId);
    const settings = await repo.loadContactSettings(db);
    const { whole: c, byLiaison } = await repo.queueCounts(db, {
      today: todayOf(ctx),
      settings,
      where,
      byLiaison: q.view === 'org',
    });
    return {
      total: c.mobile,
      overdue: c.overdue,
      week: c.week,
      unassigned: q.view === 'org' ? c.unassigned : 0,
      due: c.due,
      onTime: c.on_time,
      onTimeRate: rate(c.on_time, c.due),
      byLiaison: byLiaison.map((b) => ({
        liaisonId: b.liaison_id,
        liaisonName: b.liaison_name,
        total: b.mobile,
        overdue: b.overdue,
        week: b.week,
      })),
    };
  }

  /**
   * 联系记录 (issue 4 §2): one contact, what the member reported with it (org life, dues: signs of
   * life for §4), and, when the member is somewhere else now, the episode's whereabouts — all in
   * one transaction with its audit record; a version conflict on the episode writes nothing.
   */
  async function create(
    ctx: RequestContext,
    input: CreateContactInput,
  ): Promise<CreateContactResponse> {
    const actor = requireActor(ctx);
    const today = todayOf(ctx);
    const { m, abilities } = await loadMember(ctx, input.memberId);
    if (!m.mobility_id || !m.left_on)
      throw invalidField(
        'memberId',
        '该党员目前没有未结束的流动登记（外出或流入），不需要登记联系；如已再次外出，请先办理流出登记',
      );
    if (!abilities.logContact) throw forbidden();
    if (input.contactedOn > today) throw invalidField('contactedOn', '联系日期不能晚于今天');
    if (input.contactedOn < m.left_on)
      throw invalidField(
        'contactedOn',
        `联系日期不能早于本次外出（流入）日期 ${m.left_on}；更早的联系不属于本次流动`,
      );
    for (const [field, label] of [
      ['orgLifeOn', '最近一次参加组织生活'],
      ['duesPaidOn', '最近一次交纳党费'],
    ] as const) {
      const on = input[field];
      if (on && on > input.contactedOn)
        throw invalidField(field, `${label}的日期不能晚于本次联系日期 ${input.contactedOn}`);
    }
    const settings = await repo.loadContactSettings(db);
    const mobilityId = m.mobility_id;
    return db.transaction(async (tx) => {
      const row = await insertContact(
        tx,
        {
          memberId: m.id,
          mobilityId,
          contactedOn: input.contactedOn,
          channel: input.channel,
          reached: input.reached,
          work: blankToNull(input.work),
          life: blankToNull(input.life),
          thinking: blankToNull(input.thinking),
          difficulties: blankToNull(input.difficulties),
          followUp: blankToNull(input.followUp),
          followUpNeeded: input.followUpNeeded,
          source: input.channel === 'self_report' ? 'self_report' : 'liaison',
          liaisonId: m.actor_liaison_id,
          recordedBy: actor.accountId,
        },
        { orgLifeOn: input.orgLifeOn ?? null, duesPaidOn: input.duesPaidOn ?? null },
      );
      if (input.whereabouts)
        await updateWhereabouts(tx, {
          cipher,
          mobilityId,
          version: input.mobilityVersion!,
          input: input.whereabouts,
          actorAccountId: actor.accountId,
          at: ctx.clock.now(),
          note: '联系时更新去向',
        });
      // Dates, channel and outcome only: what the member said stays in the contact record.
      await writeAudit(tx, ctx, {
        action: 'contact.create',
        result: 'success',
        targetType: 'member',
        targetId: m.id,
        targetLabel: maskName(m.name),
        after: {
          contactId: row.id,
          mobilityId,
          contactedOn: input.contactedOn,
          channel: input.channel,
          reached: input.reached,
          followUpNeeded: input.followUpNeeded,
          orgLifeOn: input.orgLifeOn ?? null,
          duesPaidOn: input.duesPaidOn ?? null,
          whereabouts: input.whereabouts
            ? { destinationRegionCode: input.whereabouts.destinationRegionCode }
            : null,
        },
      });
      // One after the other: a transaction is one connection (pg deprecates overlapping queries).
      const contact = await repo.contactById(tx, row.id);
      const status = await repo.statusOfEpisode(tx, mobilityId, today, settings);
      return { contact: toContact(contact!), dueOn: status!.due_on, bucket: status!.bucket };
    });
  }

  function lostOf(s: repo.KitRow): MemberContactsResponse['lost'] {
    return {
      level: s.lost_level,
      lastSignOn: s.last_sign_on,
      lastSignKind: s.last_sign_kind,
      monthsWithout: s.months_without,
      warningPoint: s.warning_point,
      lostOn: s.lost_on,
    };
  }

  /** A member's contact page: the 三定, the due day, lost-contact status and the history. */
  async function memberContacts(
    ctx: RequestContext,
    memberId: string,
    q: PageQuery,
  ): Promise<MemberContactsResponse> {
    const actor = requireActor(ctx);
    const { m } = await loadMember(ctx, memberId);
    const after = decodeCursor(q.cursor, ContactCursor);
    const settings = await repo.loadContactSettings(db);
    const [assignment, status, rows, sms] = await Promise.all([
      liaisonRepo.openAssignmentOf(db, memberId, actor.orgPath, settings),
      m.mobility_id
        ? repo.statusOfEpisode(db, m.mobility_id, todayOf(ctx), settings)
        : Promise.resolve(null),
      repo.contactsOf(db, memberId, { after, limit: q.limit }),
      repo.smsStateOf(db, memberId),
    ]);
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
      assignment: assignment ? toAssignment(assignment) : null,
      dueOn: status?.due_on ?? null,
      bucket: status?.bucket ?? null,
      lost: status ? lostOf(status) : null,
      items: page.map(toContact),
      nextCursor:
        rows.length > q.limit && last
          ? encodeCursor({ on: last.contacted_on, at: last.created_key, id: last.id })
          : null,
      sms,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Lost contact (失联)

  async function lost(ctx: RequestContext, q: LostListQuery): Promise<LostListResponse> {
    const path = await subtreeOf(db, ctx, q.orgId);
    const settings = await repo.loadContactSettings(db);
    const after = decodeCursor(q.cursor, LostCursor);
    const rows = await repo.lostList(db, {
      today: todayOf(ctx),
      settings,
      path,
      level: q.level,
      search: repo.nameSearchOf(q.q),
      after,
      limit: q.limit,
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
      items: page.map(toLostItem),
      nextCursor:
        rows.length > q.limit && last
          ? encodeCursor({ lastSignOn: last.last_sign_on, id: last.member_id })
          : null,
    };
  }

  async function registers(
    ctx: RequestContext,
    q: LostRegisterQuery,
  ): Promise<{ items: LostRegisterItem[]; nextCursor: string | null }> {
    const path = await subtreeOf(db, ctx, q.orgId);
    const after = decodeCursor(q.cursor, RegisterCursor);
    const rows =
      q.kind === 'found'
        ? await repo.foundRegister(db, { path, since: q.since, after, limit: q.limit })
        : await repo.notFoundRegister(db, {
            today: todayOf(ctx),
            settings: await repo.loadContactSettings(db),
            path,
            after,
            limit: q.limit,
          });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
      items: page.map(toRegisterItem),
      nextCursor:
        rows.length > q.limit && last
          ? encodeCursor({
              on: q.kind === 'found' ? last.found_on : last.lost_since,
              id: last.member_id,
            })
          : null,
    };
  }

  /** The reason code ①–⑦ and the search notes of the official registers (home side). */
  async function setLostNote(ctx: RequestContext, memberId: string, input: LostNoteInput) {
    const actor = requireActor(ctx);
    const { m, abilities } = await loadMember(ctx, memberId);
    if (!abilities.recordLostNote) {
      await auditDenied(db, ctx, 'member', memberId, 'not_home_side', maskName(m.name));
      throw forbidden();
    }
    await db.transaction(async (tx) => {
      const before = await repo.lostNoteOf(tx, memberId);
      const row = await repo.upsertLostNote(tx, {
        memberId,
        reasonCode: input.reasonCode,
        note: blankToNull(input.note),
        by: actor.accountId,
        at: ctx.clock.now(),
      });
      // The note is the officer's search record; the trail keeps the code and that it changed.
      await writeAudit(tx, ctx, {
        action: 'lost_contact.note',
        result: 'success',
        targetType: 'member',
        targetId: memberId,
        targetLabel: maskName(m.name),
        before: before ? { reasonCode: before.reason_code, hasNote: before.note !== null } : null,
        after: { reasonCode: row.reason_code, hasNote: row.note !== null, version: row.version },
      });
    });
  }

  // -------------------------------------------------------------------------------------------
  // Settings (定时, warning points)

  const getSettings = () => repo.loadContactSettings(db);

  async function updateSettings(ctx: RequestContext, input: ContactSettings) {
    const actor = requireActor(ctx);
    if (!isValidWarningMonths(input.warningMonths))
      throw invalidField('warningMonths', '预警月份须为1至5之间的整数，从小到大排列且不重复');
    await db.transaction(async (tx) => {
      const before = await repo.loadContactSettings(tx);
      await writeSetting(tx, repo.CONTACT_SETTINGS_KEY, input, ctx.clock.now(), actor.accountId);
      await writeAudit(tx, ctx, {
        action: 'contact.settings.update',
        result: 'success',
        targetType: 'app_setting',
        targetId: repo.CONTACT_SETTINGS_KEY,
        before: { ...before },
        after: { ...input },
      });
    });
    return input;
  }

  async function schedules(ctx: RequestContext): Promise<{ items: OrgSchedule[] }> {
    const rows = await repo.schedulesUnder(db, requireActor(ctx).orgPath);
    return {
      items: rows.map((r) => ({
        orgId: r.org_id,
        orgName: r.org_name,
        category: r.category,
        intervalMonths: r.interval_months,
      })),
    };
  }

  async function setSchedule(ctx: RequestContext, input: SetOrgScheduleInput) {
    const actor = requireActor(ctx);
    await subtreeOf(db, ctx, input.orgId);
    await db.transaction(async (tx) => {
      const before = await repo.scheduleOf(tx, input.orgId, input.category);
      await repo.setSchedule(tx, {
        orgId: input.orgId,
        category: input.category,
        intervalMonths: input.intervalMonths,
        by: actor.accountId,
        at: ctx.clock.now(),
      });
      await writeAudit(tx, ctx, {
        action: 'contact.schedule.set',
        result: 'success',
        targetType: 'org',
        targetId: input.orgId,
        before: before
          ? { category: input.category, intervalMonths: before.interval_months }
          : null,
        after:
          input.intervalMonths === null
            ? null
            : { category: input.category, intervalMonths: input.intervalMonths },
      });
    });
  }

  return {
    queue,
    summary,
    create,
    memberContacts,
    lost,
    registers,
    setLostNote,
    getSettings,
    updateSettings,
    schedules,
    setSchedule,
  };
}

export function toAssignment(r: liaisonRepo.AssignmentRow) {
  return {
    id: r.id,
    memberId: r.member_id,
    liaisonId: r.liaison_id,
    liaisonName: r.liaison_name,
    category: r.category,
    intervalMonths: r.interval_months,
    effectiveIntervalMonths: r.effective_interval_months,
    duty: r.duty,
    assignedOn: r.assigned_on,
    endedOn: r.ended_on,
    version: r.version,
  };
}
