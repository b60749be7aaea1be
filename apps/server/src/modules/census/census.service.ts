import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import type {
  CensusCampaign,
  CensusListResponse,
  CensusProgressResponse,
  CensusTask,
  CensusTaskListResponse,
  CensusTaskQuery,
  CloseCensusInput,
  OpenCensusInput,
  PageQuery,
  VerifyCensusTaskInput,
} from '@liudong/contracts';
import {
  CENSUS_STATUS_LABELS,
  CENSUS_TASK_STATUS_LABELS,
  chinaDateOf,
  censusResultReached,
  isOpenMobilityStatus,
  maskName,
  maskPhone,
  placeName,
  type CensusStatus,
  type CensusTaskStatus,
  type MobilityStatus,
} from '@liudong/domain';
import { account } from '../../db/schema';
import { requireActor, type Actor, type RequestContext } from '../../platform/actor';
import { auditDenied, writeAudit, writeAuditAlone } from '../../platform/audit';
import type { FieldCipher } from '../../platform/crypto';
import { decodeCursor, encodeCursor } from '../../platform/cursor';
import type { Db, Tx } from '../../platform/db';
import { AppError, invalidField, notFound, versionConflict } from '../../platform/errors';
import { insertContact } from '../contacts/contact-log';
import { EXPORT_TMP_PREFIX, type ExportFile } from '../exports/exports.service';
import { FIELD } from '../members/member-fields';
import { memberSearchOf } from '../members/members.service';
import * as mobilityRepo from '../mobility/mobility.repository';
import { updateWhereabouts } from '../mobility/whereabouts';
import { censusAbilities } from './census.policy';
import { createRegisterWriter } from './census.register';
import * as repo from './census.repository';

const CAMPAIGN = '摸排';
const TASK = '核实任务';
const ORG = '组织';

/** The timeline note of an episode whose whereabouts a census verification changed. */
export const CENSUS_WHEREABOUTS_NOTE = '摸排核实：去向有变化';

/** Rows read per keyset page of the register: memory holds one page, whatever the campaign. */
export const REGISTER_PAGE_SIZE = 500;

const CampaignCursor = z.object({ startsOn: z.iso.date(), id: z.uuid() });
const TaskCursor = z.object({ namePinyin: z.string(), id: z.uuid() });

/** 2026-11-20 10:00:00, as seen in China (UTC+8), for the watermark. */
function chinaDateTimeOf(instant: Date): string {
  const shifted = new Date(instant.getTime() + 8 * 3600_000);
  return `${chinaDateOf(instant)} ${shifted.toISOString().slice(11, 19)}`;
}

const closedConflict = () =>
  new AppError('conflict', '该摸排已结束，不能再登记核实结果；如需补登，请发起新的摸排');

/**
 * Census campaigns (摸排 / 三找; issue 4 §5; DOMAIN.md §4). An officer opens a campaign for a
 * subtree and a period; every mobile member in it gets a verification task for the org that
 * answers for them (the home org of an outflow, the host org of an inflow from outside); the
 * orgs record unchanged / changed (the episode's whereabouts are updated in the same step) /
 * unreachable; closing keeps a summary; the register is the paper form as a spreadsheet.
 *
 * A verification writes a contact (source 'census') through the contact log's own insert, so it
 * counts exactly like a liaison's call: a reached member's schedule restarts and, since lost
 * contact is computed when read from the latest sign of life, a member found this way leaves
 * the lost-contact list at once (issue 4 §4, §5).
 *
 * Decided here: one OPEN campaign per org at a time (a second is refused with 409, naming the
 * open one); campaigns over overlapping subtrees (the county's and a town's) may run together,
 * and a member then has a task in each: each org's campaign is its own record.
 */
export function createCensusService(deps: { db: Db; cipher: FieldCipher }) {
  const { db, cipher } = deps;
  const todayOf = (ctx: RequestContext) => chinaDateOf(ctx.clock.now());

  function campaignDto(
    actor: Actor,
    r: repo.CampaignListRow,
    counts: repo.CountsRow | undefined,
  ): CensusCampaign {
    const c = r.campaign;
    const status = c.status as CensusStatus;
    return {
      id: c.id,
      orgId: c.orgId,
      orgName: r.orgName,
      name: c.name,
      startsOn: c.startsOn,
      endsOn: c.endsOn,
      status,
      statusLabel: CENSUS_STATUS_LABELS[status],
      openedByName: r.openedByName,
      closedOn: c.closedOn,
      counts: { ...(counts ?? repo.EMPTY_COUNTS) },
      version: c.version,
      abilities: censusAbilities(actor, { status, orgInScope: r.orgInScope }),
    };
  }

  /** The campaign as the actor sees it: counts over the actor's part only (SECURITY.md 9). */
  async function campaignOf(handle: Db | Tx, actor: Actor, id: string) {
    const r = await repo.findCampaign(handle, actor.orgPath, id);
    if (!r) throw notFound(CAMPAIGN);
    const counts = await repo.countsByCampaign(handle, [id], actor.orgPath);
    return campaignDto(actor, r, counts.get(id));
  }

  /**
   * A campaign the actor can see (its org in scope, or its subtree holding the actor's org).
   * Anything else answers like a missing one, and the attempt is logged (SECURITY.md 9).
   */
  async function loadVisible(ctx: RequestContext, id: string) {
    const actor = requireActor(ctx);
    const found = await repo.findCampaign(db, actor.orgPath, id);
    if (!found) throw notFound(CAMPAIGN);
    if (!found.visible) {
      await auditDenied(db, ctx, 'census_campaign', id, 'out_of_scope');
      throw notFound(CAMPAIGN);
    }
    return found;
  }

  /** An org named in a request, inside the actor's scope; else 404, logged. */
  async function orgInScope(ctx: RequestContext, orgId: string) {
    const actor = requireActor(ctx);
    const o = await repo.orgById(db, orgId);
    if (!o) throw notFound(ORG);
    if (!o.path.startsWith(actor.orgPath)) {
      await auditDenied(db, ctx, 'org', orgId, 'out_of_scope');
      throw notFound(ORG);
    }
    return o;
  }

  /**
   * 发起摸排: the campaign and all its tasks in ONE transaction; the tasks in one set-based
   * statement (thousands of members are one insert … select). The org row is locked first, so
   * two officers opening at once for the same org cannot both pass the one-open check.
   */
  async function open(ctx: RequestContext, input: OpenCensusInput): Promise<CensusCampaign> {
    const actor = requireActor(ctx);
    const o = await orgInScope(ctx, input.orgId);
    if (o.dissolvedOn) throw invalidField('orgId', '该组织已撤销，不能发起摸排');
    const now = ctx.clock.now();
    return db.transaction(async (tx) => {
      const locked = await repo.lockOrg(tx, o.id);
      if (!locked) throw notFound(ORG);
      const running = await repo.openCampaignOf(tx, o.id);
      if (running)
        throw new AppError(
          'conflict',
          `${locked.name}已有进行中的摸排“${running.name}”（${running.startsOn} 开始），请先结束该摸排再发起新的`,
        );
      const c = await repo.insertCampaign(tx, {
        orgId: o.id,
        name: input.name,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        status: 'open',
        openedBy: actor.accountId,
        createdAt: now,
      });
      const tasks = await repo.insertTasks(tx, c.id, locked.path);
      if (tasks === 0)
        // Thrown inside the transaction: the campaign row goes with it.
        throw invalidField(
          'orgId',
          `${locked.name}及其下级组织目前没有流动党员（未结束的流出登记或外来流入登记），无需发起摸排`,
        );
      await repo.notifyTaskOrgs(tx, { ...c, openedBy: actor.accountId });
      await writeAudit(tx, ctx, {
        action: 'census.open',
        result: 'success',
        targetType: 'census_campaign',
        targetId: c.id,
        targetLabel: c.name,
        after: {
          orgId: c.orgId,
          name: c.name,
          startsOn: c.startsOn,
          endsOn: c.endsOn,
          tasks,
        },
      });
      return campaignOf(tx, actor, c.id);
    });
  }

  async function list(ctx: RequestContext, q: PageQuery): Promise<CensusListResponse> {
    const actor = requireActor(ctx);
    const rows = await repo.listCampaigns(db, actor.orgPath, {
      after: decodeCursor(q.cursor, CampaignCursor),
      limit: q.limit,
    });
    const page = rows.slice(0, q.limit);
    const counts = await repo.countsByCampaign(
      db,
      page.map((r) => r.campaign.id),
      actor.orgPath,
    );
    const last = page.at(-1)?.campaign;
    return {
      items: page.map((r) => campaignDto(actor, r, counts.get(r.campaign.id))),
      nextCursor:
        rows.length > q.limit && last
          ? encodeCursor({ startsOn: last.startsOn, id: last.id })
          : null,
    };
  }

  /**
   * Where the actor's view of a campaign starts: the campaign's org when it is in scope, else
   * (seen from below) the actor's own org. Progress, counts and the register never show more.
   */
  function baseOf(actor: Actor, found: repo.CampaignListRow) {
    return found.orgInScope
      ? { id: found.campaign.orgId, path: found.orgPath }
      : { id: actor.orgId, path: actor.orgPath };
  }

  async function progress(ctx: RequestContext, id: string): Promise<CensusProgressResponse> {
    const actor = requireActor(ctx);
    const found = await loadVisible(ctx, id);
    const counts = await repo.countsByCampaign(db, [id], actor.orgPath);
    return {
      campaign: campaignDto(actor, found, counts.get(id)),
      byOrg: await repo.progressByOrg(db, id, baseOf(actor, found)),
    };
  }

  const decrypt = (value: string | null, context: string) =>
    value === null ? null : cipher.decrypt(value, context);

  function taskDto(r: repo.TaskListRow): CensusTask {
    const t = r.task;
    const status = t.status as CensusTaskStatus;
    const phone = decrypt(r.phoneEnc, FIELD.phone.context);
    return {
      id: t.id,
      campaignId: t.campaignId,
      memberId: t.memberId,
      memberName: r.memberName,
      orgId: t.orgId,
      orgName: r.orgName,
      direction: r.direction === 'inflow' ? 'inflow' : 'outflow',
      mobilityId: t.mobilityId,
      mobilityVersion: r.mobilityVersion,
      destinationName: placeName([r.regionGrandparentName, r.regionParentName, r.regionName]),
      destinationRegionCode: r.destinationRegionCode,
      employer: r.employer,
      // Lists show the masked phone only (SECURITY.md 13).
      phoneMasked: phone === null ? null : maskPhone(phone),
      status,
      statusLabel: CENSUS_TASK_STATUS_LABELS[status],
      verifiedOn: t.verifiedOn,
      verifiedByName: r.verifiedByName,
      note: t.note,
      version: t.version,
    };
  }

  /** The campaign's tasks in the actor's subtree (a branch sees its own; the county all). */
  async function tasks(
    ctx: RequestContext,
    id: string,
    q: CensusTaskQuery,
  ): Promise<CensusTaskListResponse> {
    const actor = requireActor(ctx);
    await loadVisible(ctx, id);
    const underPath = q.orgId ? (await orgInScope(ctx, q.orgId)).path : undefined;
    const rows = await repo.listTasks(db, actor.orgPath, id, {
      underPath,
      status: q.status,
      search: memberSearchOf(cipher, q.q, ctx.clock.now()),
      keyset: { sort: 'name', after: decodeCursor(q.cursor, TaskCursor) },
      limit: q.limit,
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
      items: page.map(taskDto),
      nextCursor:
        rows.length > q.limit && last
          ? encodeCursor({ namePinyin: last.namePinyin, id: last.task.id })
          : null,
    };
  }

  /** The audited fields of a task (the member is named by id; the label masks the name). */
  const taskAudit = (t: repo.TaskRow) => ({
    campaignId: t.campaignId,
    memberId: t.memberId,
    mobilityId: t.mobilityId,
    orgId: t.orgId,
    status: t.status,
    verifiedOn: t.verifiedOn,
    note: t.note,
    contactId: t.contactId,
    version: t.version,
  });

  /**
   * 登记核实结果. ONE transaction: the task, a contact (source 'census'; reached unless
   * unreachable) linked to it, and for 'changed' the episode's new whereabouts with a timeline
   * entry; then the audit record. Any refusal (a version that moved on, of the task or of the
   * episode) leaves all of it unwritten (SECURITY.md 26, 28). A task may be verified again while
   * the campaign is open: the new result replaces the old, and a new contact is written (the
   * old one stays in the member's history: it happened).
   */
  async function verify(
    ctx: RequestContext,
    id: string,
    taskId: string,
    input: VerifyCensusTaskInput,
  ): Promise<CensusTask> {
    const actor = requireActor(ctx);
    const campaign = await loadVisible(ctx, id);
    const found = await repo.findTask(db, actor.orgPath, id, taskId);
    if (!found) throw notFound(TASK);
    if (!found.inScope) {
      await auditDenied(db, ctx, 'census_task', taskId, 'out_of_scope');
      throw notFound(TASK);
    }
    const c = campaign.campaign;
    if (c.status !== 'open') throw closedConflict();
    const today = todayOf(ctx);
    if (input.verifiedOn < c.startsOn || input.verifiedOn > c.endsOn)
      throw invalidField('verifiedOn', `核实日期应在摸排期间（${c.startsOn} 至 ${c.endsOn}）之内`);
    if (input.verifiedOn > today) throw invalidField('verifiedOn', '核实日期不能晚于今天');
    const reached = censusResultReached(input.result);
    const now = ctx.clock.now();
    const liaisonId = await repo.liaisonOfAccount(db, actor.accountId);

    return db.transaction(async (tx) => {
      // Shared lock: a close waits for verifications in flight, and a verification that comes
      // after a close sees it.
      const locked = await repo.lockCampaign(tx, id, 'share');
      if (!locked) throw notFound(CAMPAIGN);
      if (locked.status !== 'open') throw closedConflict();
      const before = await repo.lockTask(tx, taskId);
      if (!before) throw notFound(TASK);
      if (before.version !== input.version) throw versionConflict();

      // The episode as it is now (a return or transfer may have ended it since the campaign
      // opened): a contact is linked to an open episode only, and only an open one moves.
      const episode = before.mobilityId
        ? await mobilityRepo.lockMobility(tx, before.mobilityId)
        : null;
      const episodeOpen = !!episode && isOpenMobilityStatus(episode.status as MobilityStatus);
      let whereabouts: Record<string, unknown> | null = null;
      if (input.result === 'changed') {
        if (!before.mobilityId || !episodeOpen)
          throw new AppError(
            'conflict',
            '该党员的流动登记已结束，不能再更新去向；请按“无变化”登记，或在流动管理中另行登记',
          );
        const w = input.whereabouts!;
        const { before: mb, after: ma } = await updateWhereabouts(tx, {
          cipher,
          mobilityId: before.mobilityId,
          version: input.mobilityVersion!,
          input: w,
          actorAccountId: actor.accountId,
          at: now,
          note: CENSUS_WHEREABOUTS_NOTE,
        });
        whereabouts = {
          mobilityId: ma.id,
          fromRegionCode: mb.destinationRegionCode,
          toRegionCode: ma.destinationRegionCode,
          fromEmployer: mb.employer,
          toEmployer: ma.employer,
          mobilityVersion: ma.version,
        };
      }

      // The officer's note goes where the contact history shows it: with what was found when
      // the member was reached; as the follow-up when not (三找: the search goes on).
      const label = CENSUS_TASK_STATUS_LABELS[input.result];
      const text = `摸排核实：${label}${input.note ? `。${input.note}` : ''}`;
      const contact = await insertContact(tx, {
        memberId: before.memberId,
        mobilityId: episodeOpen ? before.mobilityId : null,
        contactedOn: input.verifiedOn,
        channel: input.channel,
        reached,
        work: reached ? text : null,
        followUp: reached ? null : text,
        followUpNeeded: !reached,
        source: 'census',
        liaisonId,
        recordedBy: actor.accountId,
        createdAt: now,
      });

      const after = await repo.updateTask(tx, taskId, before.version, {
        status: input.result,
        verifiedOn: input.verifiedOn,
        verifiedBy: actor.accountId,
        note: input.note || null,
        contactId: contact.id,
      });
      if (!after) throw versionConflict();

      await writeAudit(tx, ctx, {
        action: 'census.verify',
        result: 'success',
        targetType: 'census_task',
        targetId: taskId,
        targetLabel: `${c.name}（${maskName(found.memberName)}）`,
        before: taskAudit(before),
        after: { ...taskAudit(after), channel: input.channel, reached, whereabouts },
      });
      const row = await repo.findTask(tx, actor.orgPath, id, taskId);
      return taskDto(row!);
    });
  }

  /**
   * 结束摸排: the counts by status and by org are kept in the campaign as they are at closing;
   * tasks still pending stay pending in the register. Only the campaign's own subtree's officers
   * close it: a campaign seen from below is not theirs to end, and answers like a missing one.
   */
  async function close(
    ctx: RequestContext,
    id: string,
    input: CloseCensusInput,
  ): Promise<CensusCampaign> {
    const actor = requireActor(ctx);
    const found = await loadVisible(ctx, id);
    if (!found.orgInScope) {
      await auditDenied(db, ctx, 'census_campaign', id, 'close_not_campaign_org');
      throw notFound(CAMPAIGN);
    }
    const today = todayOf(ctx);
    return db.transaction(async (tx) => {
      const before = await repo.lockCampaign(tx, id);
      if (!before) throw notFound(CAMPAIGN);
      if (before.version !== input.version) throw versionConflict();
      if (before.status !== 'open') throw new AppError('conflict', '该摸排已经结束');
      const base = { id: before.orgId, path: found.orgPath };
      const counts = (await repo.countsByCampaign(tx, [id], found.orgPath)).get(id);
      const summary = {
        closedOn: today,
        counts: { ...(counts ?? repo.EMPTY_COUNTS) },
        byOrg: await repo.progressByOrg(tx, id, base),
      };
      const after = await repo.updateCampaign(tx, id, before.version, {
        status: 'closed',
        closedOn: today,
        closedBy: actor.accountId,
        summary,
      });
      if (!after) throw versionConflict();
      await writeAudit(tx, ctx, {
        action: 'census.close',
        result: 'success',
        targetType: 'census_campaign',
        targetId: id,
        targetLabel: before.name,
        before: { status: before.status, version: before.version },
        after: { status: after.status, closedOn: today, version: after.version, summary },
      });
      return campaignOf(tx, actor, id);
    });
  }

  async function watermarkOf(actor: Actor, now: Date) {
    const [row] = await db
      .select({ displayName: account.displayName })
      .from(account)
      .where(eq(account.id, actor.accountId));
    const who = `${row?.displayName ?? actor.username}（${actor.username}）`;
    return `导出人：${who}  导出时间：${chinaDateTimeOf(now)}  仅限工作使用，请妥善保管`;
  }

  /**
   * 摸排登记表 as .xlsx (SECURITY.md 22, 23): the actor's part of the tasks (all of them for the
   * campaign's own officers), grouped by org, phone masked, the exporter's watermark, and a
   * summary sheet per org. As in modules/exports, it is written page by page into a private
   * temporary file that is unlinked before the download starts, and audited once complete
   * (a failure half-way is audited as such).
   */
  async function register(ctx: RequestContext, id: string): Promise<ExportFile> {
    const actor = requireActor(ctx);
    const found = await loadVisible(ctx, id);
    const c = found.campaign;
    const now = ctx.clock.now();
    const base = baseOf(actor, found);
    // "2026年春节流动党员集中摸排登记表", not "…集中摸排摸排登记表".
    const label = c.name.endsWith('摸排') ? `${c.name}登记表` : `${c.name}摸排登记表`;
    const auditAfter = (rows: number) => ({
      format: 'xlsx',
      masked: true,
      campaignId: id,
      orgId: base.id,
      rows,
    });
    const file = path.join(os.tmpdir(), `${EXPORT_TMP_PREFIX}${randomUUID()}.xlsx`);
    let count = 0;
    try {
      const summary = await repo.progressByOrg(db, id, base);
      const total = (await repo.countsByCampaign(db, [id], actor.orgPath)).get(id);
      const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
      try {
        const sheet = createRegisterWriter(out, {
          title: `${c.name}（${c.startsOn} 至 ${c.endsOn}）摸排登记表  ${found.orgName}  ${CENSUS_STATUS_LABELS[c.status as CensusStatus]}`,
          watermark: await watermarkOf(actor, now),
        });
        let keyset: repo.TaskKeyset = { sort: 'org' };
        for (;;) {
          const rows = await repo.listTasks(db, actor.orgPath, id, {
            keyset,
            limit: REGISTER_PAGE_SIZE,
          });
          const page = rows.slice(0, REGISTER_PAGE_SIZE);
          for (const r of page) {
            const t = taskDto(r);
            sheet.row([
              t.memberName,
              t.phoneMasked,
              t.orgName,
              t.direction === 'inflow'
                ? `流入本地${t.destinationName ? `（${t.destinationName}）` : ''}`
                : t.destinationName,
              t.employer,
              t.statusLabel,
              t.verifiedOn,
              t.verifiedByName,
              t.note,
            ]);
            count += 1;
          }
          const last = page.at(-1);
          if (rows.length <= REGISTER_PAGE_SIZE || !last) break;
          keyset = {
            sort: 'org',
            after: { orgPath: last.orgPath, namePinyin: last.namePinyin, id: last.task.id },
          };
        }
        await sheet.finish(summary, { orgName: '合计', ...(total ?? repo.EMPTY_COUNTS) });
        await finished(out);
      } catch (err) {
        out.destroy();
        throw err;
      }
      // Opened before it is unlinked (in `finally`): the download reads the open file.
      const handle = await fs.promises.open(file, 'r');
      const stream = handle.createReadStream();
      try {
        await writeAuditAlone(db, ctx, {
          action: 'census.export',
          result: 'success',
          targetType: 'census_campaign',
          targetId: id,
          targetLabel: label,
          after: auditAfter(count),
        });
      } catch (err) {
        stream.destroy();
        throw err;
      }
      return { fileName: `${label}-${chinaDateOf(now)}.xlsx`, stream, rows: count };
    } catch (err) {
      await writeAuditAlone(db, ctx, {
        action: 'census.export',
        result: 'failure',
        targetType: 'census_campaign',
        targetId: id,
        targetLabel: label,
        reason: 'export_failed',
        after: auditAfter(count),
      }).catch(() => undefined);
      throw err;
    } finally {
      await fs.promises.rm(file, { force: true });
    }
  }

  return { open, list, progress, tasks, verify, close, register };
}
