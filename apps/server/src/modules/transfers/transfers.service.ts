import { z } from 'zod';
import {
  TransferSettings,
  type CancelTransferInput,
  type DecideTransferInput,
  type ReceiveTransferInput,
  type RequestTransferInput,
  type Transfer,
  type TransferLetter,
  type TransferListQuery,
  type TransferListResponse,
} from '@liudong/contracts';
import {
  DEFAULT_TRANSFER_LIMITS,
  GENDER_LABELS,
  MEMBERSHIP_LABELS,
  TRANSFER_RECEIVING_ORG_KINDS,
  TRANSFER_STATUS_LABELS,
  ageOn,
  canTransferTransition,
  chinaDateOf,
  formatLetterNumber,
  isTransferOverdue,
  letterDueOn,
  letterPrefixOf,
  maskIdNumber,
  maskName,
  receiptDateProblem,
  transferOverdueDays,
  transferRange,
  type Gender,
  type Membership,
  type OrgKind,
  type TransferStatus,
  placeName,
} from '@liudong/domain';
import { requireActor, type Actor, type RequestContext } from '../../platform/actor';
import { auditDenied, writeAudit, writeAuditAlone } from '../../platform/audit';
import type { FieldCipher } from '../../platform/crypto';
import { decodeCursor, encodeCursor } from '../../platform/cursor';
import { takeNextNumber } from '../../platform/counters';
import type { Db, Tx } from '../../platform/db';
import {
  AppError,
  forbidden,
  notFound,
  versionConflict,
  invalidField,
} from '../../platform/errors';
import * as certificateRepo from '../certificates/certificates.repository';
import { FIELD } from '../members/member-fields';
import * as memberRepo from '../members/members.repository';
import * as mobilityRepo from '../mobility/mobility.repository';
import { transferAbilities, type TransferPolicySubject } from './transfers.policy';
import * as repo from './transfers.repository';

const MEMBER = '党员';
const TRANSFER = '组织关系转接记录';

/** app_setting key of the letters' validity limits (DOMAIN.md §3: configurable). */
export const TRANSFER_LIMITS_KEY = 'transfer_limits';
/** Why a certificate ends when the affiliation moves (DOMAIN.md §3). */
export const CERTIFICATE_END_REASON = '组织关系已转接';

const ListCursor = z.object({ requestedOn: z.iso.date(), id: z.uuid() });

const invalid = invalidField;

/** A step refused because of the transfer's state (e.g. approving a cancelled one). */
const stateConflict = (status: string, step: string) =>
  new AppError(
    'conflict',
    `该转接${TRANSFER_STATUS_LABELS[status as TransferStatus] ?? '已办结'}，不能再${step}`,
  );

export function createTransferService(deps: { db: Db; cipher: FieldCipher }) {
  const { db, cipher } = deps;
  const todayOf = (ctx: RequestContext) => chinaDateOf(ctx.clock.now());

  async function settingsOf(handle: Db | Tx): Promise<TransferSettings> {
    const parsed = TransferSettings.safeParse(
      await certificateRepo.readSetting(handle, TRANSFER_LIMITS_KEY),
    );
    return parsed.success ? parsed.data : { ...DEFAULT_TRANSFER_LIMITS };
  }

  const subjectOf = (r: repo.TransferListRow): TransferPolicySubject => ({
    status: r.transfer.status as TransferStatus,
    fromInScope: r.fromInScope,
    toInScope: r.toInScope,
  });

  function toDto(actor: Actor, r: repo.TransferListRow, today: string): Transfer {
    const t = r.transfer;
    const status = t.status as TransferStatus;
    const due = { status, dueOn: t.dueOn };
    return {
      id: t.id,
      memberId: t.memberId,
      memberName: r.memberName,
      mobilityId: t.mobilityId,
      fromOrgId: t.fromOrgId,
      fromOrgName: r.fromOrgName,
      toOrgId: t.toOrgId,
      toOrgName: r.toOrgName,
      toRegionCode: t.toRegionCode,
      toRegionName: placeName([r.regionGrandparentName, r.regionParentName, r.regionName]),
      reason: t.reason,
      status,
      statusLabel: TRANSFER_STATUS_LABELS[status],
      requestedOn: t.requestedOn,
      decidedOn: t.decidedOn,
      decisionNote: t.decisionNote,
      letterNumber: t.letterNumber,
      letterIssuedOn: t.letterIssuedOn,
      dueOn: t.dueOn,
      overdue: isTransferOverdue(due, today),
      overdueDays: transferOverdueDays(due, today),
      receivedOn: t.receivedOn,
      receiptSource: (t.receiptSource as 'system' | 'paper' | null) ?? null,
      receiptNote: t.receiptNote,
      cancelledOn: t.cancelledOn,
      cancelReason: t.cancelReason,
      version: t.version,
      updatedAt: t.updatedAt.toISOString(),
      abilities: transferAbilities(actor, subjectOf(r)),
    };
  }

  async function dtoOf(handle: Db | Tx, actor: Actor, id: string, today: string) {
    const row = await repo.findWithScope(handle, actor, id);
    if (!row) throw notFound(TRANSFER);
    return toDto(actor, row, today);
  }

  /**
   * The audited fields of a transfer: ids, dates, codes and the officers' notes; the member is
   * named by id only (the label carries the masked name).
   */
  function auditView(t: repo.TransferRow) {
    return {
      memberId: t.memberId,
      mobilityId: t.mobilityId,
      fromOrgId: t.fromOrgId,
      toOrgId: t.toOrgId,
      toOrgText: t.toOrgText,
      toRegionCode: t.toRegionCode,
      reason: t.reason,
      status: t.status,
      requestedOn: t.requestedOn,
      decidedOn: t.decidedOn,
      decisionNote: t.decisionNote,
      letterNumber: t.letterNumber,
      letterIssuedOn: t.letterIssuedOn,
      dueOn: t.dueOn,
      receivedOn: t.receivedOn,
      receiptSource: t.receiptSource,
      receiptNote: t.receiptNote,
      cancelledOn: t.cancelledOn,
      cancelReason: t.cancelReason,
      version: t.version,
    };
  }

  /**
   * A transfer seen from either side of the actor's scope. Anything else answers like a missing
   * one, and the attempt is logged (SECURITY.md 9). Runs before any write transaction.
   */
  async function loadVisible(ctx: RequestContext, id: string) {
    const found = await repo.findWithScope(db, requireActor(ctx), id);
    if (!found) throw notFound(TRANSFER);
    if (!found.fromInScope && !found.toInScope) {
      await auditDenied(db, ctx, 'transfer', id, 'out_of_scope');
      throw notFound(TRANSFER);
    }
    return found;
  }

  /**
   * A visible transfer on which this side may not act: it was shown to the actor, so a 404 would
   * hide nothing; a 403, logged like any denial.
   */
  async function refuse(ctx: RequestContext, found: repo.TransferListRow, reason: string) {
    await auditDenied(db, ctx, 'transfer', found.transfer.id, reason, maskName(found.memberName));
    return forbidden();
  }

  const openTransferConflict = (open: { status: string; requestedOn: string } | null) =>
    new AppError(
      'conflict',
      `该党员已有正在办理的组织关系转接（${
        open
          ? `${TRANSFER_STATUS_LABELS[open.status as TransferStatus]}，${open.requestedOn} 申请`
          : '刚刚由他人申请'
      }），请先办结或撤销后再申请`,
    );

  /**
   * 申请转接: the sending side asks for the member's affiliation to move. Nothing about the
   * member changes here: the home org stays responsible until the receipt (条例 Art. 25).
   */
  async function request(ctx: RequestContext, input: RequestTransferInput): Promise<Transfer> {
    const actor = requireActor(ctx);
    const found = await memberRepo.findWithScope(db, actor, input.memberId);
    if (!found) throw notFound(MEMBER);
    if (!found.homeInScope) {
      if (!found.hostInScope) {
        await auditDenied(db, ctx, 'member', input.memberId, 'out_of_scope');
        throw notFound(MEMBER);
      }
      // The host side sees the record but the affiliation is the home org's to give away.
      await auditDenied(
        db,
        ctx,
        'member',
        input.memberId,
        'host_side_request_transfer',
        maskName(found.member.name),
      );
      throw forbidden();
    }
    const fromOrgId = found.member.orgId!;
    const destination = await destinationOf(input, fromOrgId);
    const today = todayOf(ctx);
    const now = ctx.clock.now();
    try {
      return await db.transaction(async (tx) => {
        // One request per member at a time: a concurrent second one waits here, then sees the
        // first (the unique partial index is the last line, see the catch below).
        const locked = await repo.lockMember(tx, input.memberId);
        if (!locked || locked.orgId !== fromOrgId) throw notFound(MEMBER);
        const open = await repo.openTransferOf(tx, input.memberId);
        if (open) throw openTransferConflict(open);
        const outflow = await mobilityRepo.openOutflowOf(tx, input.memberId);
        const row = await repo.insertTransfer(tx, {
          memberId: input.memberId,
          mobilityId: outflow?.id ?? null,
          fromOrgId,
          ...destination,
          reason: input.reason,
          status: 'requested',
          requestedOn: today,
          requestedBy: actor.accountId,
          createdAt: now,
          updatedAt: now,
        });
        await writeAudit(tx, ctx, {
          action: 'transfer.request',
          result: 'success',
          targetType: 'transfer',
          targetId: row.id,
          targetLabel: maskName(found.member.name),
          after: auditView(row),
        });
        return dtoOf(tx, actor, row.id, today);
      });
    } catch (err) {
      if (repo.isSecondOpenTransfer(err))
        throw openTransferConflict(await repo.openTransferOf(db, input.memberId));
      throw err;
    }
  }

  /**
   * The receiving side: an org of the system (any county; it must exist, be active, hold
   * members and not be the sending org) or, outside the system, a name with its region.
   */
  async function destinationOf(input: RequestTransferInput, fromOrgId: string) {
    if (input.toOrgId) {
      const to = await repo.orgById(db, input.toOrgId);
      if (!to) throw invalid('toOrgId', '所选接收党组织不存在');
      if (to.dissolvedOn) throw invalid('toOrgId', '所选接收党组织已撤销');
      if (to.id === fromOrgId)
        throw invalid('toOrgId', '接收党组织不能是党员现在的组织关系所在党组织');
      if (!TRANSFER_RECEIVING_ORG_KINDS.includes(to.kind as OrgKind))
        throw invalid(
          'toOrgId',
          '组织关系应转入党支部、党总支或流动党员党组织（临时党支部、网上党支部不接收组织关系）',
        );
      const orgRegion = await mobilityRepo.regionOfOrg(db, to.path);
      const written = input.toRegionCode ?? null;
      if (!orgRegion && written) await requireRegion(written);
      return { toOrgId: to.id, toOrgText: null, toRegionCode: orgRegion ?? written };
    }
    await requireRegion(input.toRegionCode!);
    return { toOrgId: null, toOrgText: input.toOrgText!, toRegionCode: input.toRegionCode! };
  }

  async function requireRegion(code: string) {
    if (!(await mobilityRepo.regionExists(db, code)))
      throw invalid('toRegionCode', `行政区划代码 ${code} 不存在`);
  }

  /**
   * 审批: the sending committee approves (issuing the numbered letter) or rejects. The letter
   * number comes from the county's counter under a row lock in this very transaction, so a
   * failed approval gives its number back and numbers never skip (issue 3 §5).
   */
  async function decide(
    ctx: RequestContext,
    id: string,
    input: DecideTransferInput,
  ): Promise<Transfer> {
    const actor = requireActor(ctx);
    const found = await loadVisible(ctx, id);
    if (!found.fromInScope) throw await refuse(ctx, found, 'decide_not_sending_side');
    const today = todayOf(ctx);
    const now = ctx.clock.now();
    const to: TransferStatus = input.decision === 'approve' ? 'approved' : 'rejected';
    return db.transaction(async (tx) => {
      const before = await repo.lockForUpdate(tx, id);
      if (!before) throw notFound(TRANSFER);
      if (before.version !== input.version) throw versionConflict();
      if (!canTransferTransition(before.status as TransferStatus, to))
        throw stateConflict(before.status, '审批');
      const values: Partial<repo.TransferInsert> = {
        status: to,
        decidedOn: today,
        decidedBy: actor.accountId,
        decisionNote: input.note || null,
      };
      if (to === 'approved') Object.assign(values, await letterFor(tx, before, today));
      const after = await repo.updateTransfer(tx, id, input.version, values, now);
      if (!after) throw versionConflict();
      await writeAudit(tx, ctx, {
        action: to === 'approved' ? 'transfer.approve' : 'transfer.reject',
        result: 'success',
        targetType: 'transfer',
        targetId: id,
        targetLabel: after.letterNumber
          ? `${after.letterNumber}（${maskName(found.memberName)}）`
          : maskName(found.memberName),
        reason: input.note || null,
        before: auditView(before),
        after: auditView(after),
      });
      return dtoOf(tx, actor, id, today);
    });
  }

  /** The letter's number and validity (DOMAIN.md §3), allocated inside the approving `tx`. */
  async function letterFor(tx: Tx, t: repo.TransferRow, today: string) {
    const from = await repo.orgById(tx, t.fromOrgId);
    let toRegion = t.toRegionCode;
    if (t.toOrgId) {
      const dest = await repo.orgById(tx, t.toOrgId);
      if (!dest || dest.dissolvedOn)
        throw new AppError(
          'conflict',
          '接收党组织已撤销，不能开具介绍信，请撤销本次转接后重新申请',
        );
      toRegion = (await mobilityRepo.regionOfOrg(tx, dest.path)) ?? t.toRegionCode;
    }
    const issuers = await repo.issuersOf(tx, from!.path);
    const year = Number(today.slice(0, 4));
    const seq = await takeNextNumber(tx, 'transfer_letter_counter', issuers.countyCode, year);
    const fromRegion = await mobilityRepo.regionOfOrg(tx, from!.path);
    return {
      letterNumber: formatLetterNumber(letterPrefixOf(issuers.countyName), year, seq),
      letterCountyCode: issuers.countyCode,
      letterYear: year,
      letterSeq: seq,
      letterIssuedOn: today,
      dueOn: letterDueOn(today, transferRange(fromRegion, toRegion), await settingsOf(tx)),
    };
  }

  /**
   * 回执: the transfer completes in ONE transaction (SECURITY.md 28: a failure anywhere leaves
   * everything as it was). Only now does the member's affiliation move (条例 Art. 25): the org
   * of affiliation becomes the receiving org (none when it is outside the system: the member
   * leaves our scopes and keeps the history), the open outflow ends as transferred with its
   * timeline entry, and a certificate in hand is handed back (DOMAIN.md §3).
   */
  async function receive(
    ctx: RequestContext,
    id: string,
    input: ReceiveTransferInput,
  ): Promise<Transfer> {
    const actor = requireActor(ctx);
    const found = await loadVisible(ctx, id);
    if (input.source === 'system') {
      if (!found.transfer.toOrgId)
        throw invalid('source', '接收党组织不在系统内，请由转出方登记纸质回执');
      if (!found.toInScope) throw await refuse(ctx, found, 'receive_not_receiving_side');
    } else if (!found.fromInScope) {
      throw await refuse(ctx, found, 'paper_receipt_not_sending_side');
    }
    const today = todayOf(ctx);
    const now = ctx.clock.now();
    return db.transaction(async (tx) => {
      const before = await repo.lockForUpdate(tx, id);
      if (!before) throw notFound(TRANSFER);
      if (before.version !== input.version) throw versionConflict();
      if (!canTransferTransition(before.status as TransferStatus, 'completed'))
        throw stateConflict(before.status, '登记回执');
      const problem = receiptDateProblem(input.receivedOn, before.letterIssuedOn, today);
      if (problem) throw invalid('receivedOn', problem);

      const m = await repo.lockMember(tx, before.memberId);
      if (!m || m.orgId !== before.fromOrgId)
        throw new AppError('conflict', '该党员的组织关系已不在转出党组织，不能登记回执');
      let toName = before.toOrgText ?? '';
      if (before.toOrgId) {
        const dest = await repo.orgById(tx, before.toOrgId);
        if (!dest || dest.dissolvedOn)
          throw new AppError('conflict', '接收党组织已撤销，不能登记回执，请撤销本次转接');
        toName = dest.name;
      }
      const outflow = await mobilityRepo.openOutflowOf(tx, m.id);

      const after = await repo.updateTransfer(
        tx,
        id,
        before.version,
        {
          status: 'completed',
          receivedOn: input.receivedOn,
          receivedBy: actor.accountId,
          receiptSource: input.source,
          receiptNote: input.note || null,
          // The outflow this transfer settles: the one linked at the request, or the one open now.
          mobilityId: outflow?.id ?? before.mobilityId,
        },
        now,
      );
      if (!after) throw versionConflict();

      const moved = await memberRepo.updateMember(
        tx,
        m.id,
        m.version,
        { orgId: before.toOrgId },
        now,
      );
      if (!moved) throw versionConflict();

      let endedMobilityId: string | null = null;
      if (outflow) {
        const mob = await mobilityRepo.lockMobility(tx, outflow.id);
        const endedOn = input.receivedOn < mob!.leftOn ? mob!.leftOn : input.receivedOn;
        const ended = await mobilityRepo.updateMobility(
          tx,
          mob!.id,
          mob!.version,
          { status: 'transferred', endedOn },
          now,
        );
        if (!ended) throw versionConflict();
        await mobilityRepo.insertTransition(tx, {
          mobilityId: mob!.id,
          fromStatus: mob!.status,
          toStatus: 'transferred',
          at: now,
          actorAccountId: actor.accountId,
          note: `组织关系已转入${toName}（介绍信 ${before.letterNumber}）`,
        });
        endedMobilityId = mob!.id;
      }

      let returnedCertificateId: string | null = null;
      const held = await certificateRepo.findIssuedOf(tx, m.id);
      if (held) {
        const returned = await certificateRepo.updateCertificate(
          tx,
          held.id,
          held.version,
          { status: 'returned', endedOn: input.receivedOn, endReason: CERTIFICATE_END_REASON },
          now,
        );
        if (!returned) throw versionConflict();
        returnedCertificateId = held.id;
      }

      await writeAudit(tx, ctx, {
        action: 'transfer.receive',
        result: 'success',
        targetType: 'transfer',
        targetId: id,
        targetLabel: `${before.letterNumber}（${maskName(m.name)}）`,
        reason: input.note || null,
        before: { ...auditView(before), memberOrgId: m.orgId },
        after: {
          ...auditView(after),
          memberOrgId: moved.orgId,
          endedMobilityId,
          returnedCertificateId,
        },
      });
      return dtoOf(tx, actor, id, today);
    });
  }

  /** 撤销: the sending side withdraws a request or an unused letter; the member stays. */
  async function cancel(
    ctx: RequestContext,
    id: string,
    input: CancelTransferInput,
  ): Promise<Transfer> {
    const actor = requireActor(ctx);
    const found = await loadVisible(ctx, id);
    if (!found.fromInScope) throw await refuse(ctx, found, 'cancel_not_sending_side');
    const today = todayOf(ctx);
    return db.transaction(async (tx) => {
      const before = await repo.lockForUpdate(tx, id);
      if (!before) throw notFound(TRANSFER);
      if (before.version !== input.version) throw versionConflict();
      if (!canTransferTransition(before.status as TransferStatus, 'cancelled'))
        throw stateConflict(before.status, '撤销');
      const after = await repo.updateTransfer(
        tx,
        id,
        input.version,
        { status: 'cancelled', cancelledOn: today, cancelReason: input.reason },
        ctx.clock.now(),
      );
      if (!after) throw versionConflict();
      await writeAudit(tx, ctx, {
        action: 'transfer.cancel',
        result: 'success',
        targetType: 'transfer',
        targetId: id,
        targetLabel: maskName(found.memberName),
        reason: input.reason,
        before: auditView(before),
        after: auditView(after),
      });
      return dtoOf(tx, actor, id, today);
    });
  }

  async function get(ctx: RequestContext, id: string): Promise<Transfer> {
    const found = await loadVisible(ctx, id);
    return toDto(requireActor(ctx), found, todayOf(ctx));
  }

  async function list(ctx: RequestContext, q: TransferListQuery): Promise<TransferListResponse> {
    const actor = requireActor(ctx);
    const today = todayOf(ctx);
    const search = !q.q
      ? undefined
      : /^[a-z]+$/i.test(q.q)
        ? ({ kind: 'pinyin', value: q.q } as const)
        : ({ kind: 'text', value: q.q } as const);
    const rows = await repo.list(db, actor, today, {
      side: q.side,
      status: q.status,
      overdue: q.overdue,
      search,
      memberId: q.memberId,
      after: decodeCursor(q.cursor, ListCursor),
      limit: q.limit,
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1)?.transfer;
    return {
      items: page.map((r) => toDto(actor, r, today)),
      nextCursor:
        rows.length > q.limit && last
          ? encodeCursor({ requestedOn: last.requestedOn, id: last.id })
          : null,
    };
  }

  /**
   * The printed letter (介绍信 with its stub and receipt). It shows personal data as the paper
   * form requires it, the ID number masked, so viewing it is audited like a member view
   * (SECURITY.md 18).
   */
  async function letter(ctx: RequestContext, id: string): Promise<TransferLetter> {
    const actor = requireActor(ctx);
    const found = await loadVisible(ctx, id);
    const t = found.transfer;
    if (t.status !== 'approved' && t.status !== 'completed')
      throw new AppError(
        'conflict',
        t.status === 'requested'
          ? '该转接尚未批准，还没有介绍信'
          : `该转接${TRANSFER_STATUS_LABELS[t.status as TransferStatus]}，没有可打印的介绍信`,
      );
    const m = await repo.memberForLetter(db, t.memberId);
    if (!m) throw notFound(MEMBER);
    const issuers = await repo.issuersOf(db, (await repo.orgById(db, t.fromOrgId))!.path);
    const idNumber =
      m.idNumberEnc === null ? null : cipher.decrypt(m.idNumberEnc, FIELD.idNumber.context);
    const result: TransferLetter = {
      transfer: toDto(actor, found, todayOf(ctx)),
      member: {
        name: m.name,
        gender: GENDER_LABELS[m.gender as Gender] ?? m.gender,
        // The age as printed on the day the letter was issued.
        age: m.birthDate ? ageOn(m.birthDate, t.letterIssuedOn ?? todayOf(ctx)) : null,
        ethnicity: m.ethnicity,
        membership: MEMBERSHIP_LABELS[m.membership as Membership] ?? m.membership,
        idNumberMasked: idNumber === null ? null : maskIdNumber(idNumber, 'detail'),
      },
      issuingOrgName: issuers.issuingOrgName,
    };
    // Its own transaction, like the member view; if it fails, the letter is not shown
    // (SECURITY.md 20).
    await writeAuditAlone(db, ctx, {
      action: 'member.view',
      result: 'success',
      targetType: 'member',
      targetId: t.memberId,
      targetLabel: maskName(m.name),
      after: { via: 'transfer_letter', transferId: t.id, letterNumber: t.letterNumber },
    });
    return result;
  }

  const getSettings = () => settingsOf(db);

  /** A config change, audited with before and after (SECURITY.md 18). */
  async function updateSettings(
    ctx: RequestContext,
    input: TransferSettings,
  ): Promise<TransferSettings> {
    const actor = requireActor(ctx);
    const before = await settingsOf(db);
    const value = { withinCityDays: input.withinCityDays, elsewhereDays: input.elsewhereDays };
    const now = ctx.clock.now();
    await db.transaction(async (tx) => {
      await certificateRepo.writeSetting(tx, TRANSFER_LIMITS_KEY, value, now, actor.accountId);
      await writeAudit(tx, ctx, {
        action: 'config.change',
        result: 'success',
        targetType: 'app_setting',
        targetId: TRANSFER_LIMITS_KEY,
        targetLabel: '组织关系介绍信有效期',
        before: { ...before },
        after: { ...value },
      });
    });
    return value;
  }

  return { request, decide, receive, cancel, get, list, letter, getSettings, updateSettings };
}
