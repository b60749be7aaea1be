import type {
  CancelCertificateInput,
  Certificate,
  CertificateActionInput,
  CertificateList,
  CertificateSettings,
  PublicCertificateCheck,
  ReissueCertificateInput,
  ReissueCertificateResponse,
} from '@liudong/contracts';
import {
  CERTIFICATE_STATUS_LABELS,
  DEFAULT_CERTIFICATE_GRACE_MONTHS,
  DEFAULT_CERTIFICATE_PATTERN,
  certificateValidThrough,
  chinaDateOf,
  checkCertificatePattern,
  formatCertificateNumber,
  isCertificateValid,
  maskName,
  type CertificateStatus,
} from '@liudong/domain';
import { requireActor, type RequestContext } from '../../platform/actor';
import { auditDenied, writeAudit } from '../../platform/audit';
import { takeNextNumber } from '../../platform/counters';
import type { Db, Tx } from '../../platform/db';
import { AppError, notFound, versionConflict } from '../../platform/errors';
import * as members from '../members/members.repository';
import * as repo from './certificates.repository';

const MEMBER = '党员';
const CERTIFICATE = '流动党员活动证';

export const CERTIFICATE_PATTERN_KEY = 'certificate_pattern';
export const CERTIFICATE_GRACE_KEY = 'certificate_grace_months';

/** What an issue or a reissue needs from the member, checked under the member's row lock. */
type IssueTarget = { memberId: string; orgId: string; label: string };

export function createCertificateService(deps: { db: Db }) {
  const { db } = deps;

  async function settingsOf(handle: Db | Tx): Promise<CertificateSettings> {
    const pattern = await repo.readSetting(handle, CERTIFICATE_PATTERN_KEY);
    const grace = await repo.readSetting(handle, CERTIFICATE_GRACE_KEY);
    return {
      pattern:
        typeof pattern === 'string' && checkCertificatePattern(pattern).length === 0
          ? pattern
          : DEFAULT_CERTIFICATE_PATTERN,
      graceMonths:
        typeof grace === 'number' && Number.isInteger(grace) && grace >= 0 && grace <= 12
          ? grace
          : DEFAULT_CERTIFICATE_GRACE_MONTHS,
    };
  }

  function statusLabel(
    c: { status: string; issuedOn: string; lastReviewedOn: string | null },
    valid: boolean,
  ): string {
    if (c.status === 'issued') return valid ? '有效' : '未按期年审，已失效';
    return CERTIFICATE_STATUS_LABELS[c.status as CertificateStatus] ?? '无效';
  }

  function toDto(
    row: repo.CertificateWithOrg,
    opts: { asOf: string; graceMonths: number },
  ): Certificate {
    const c = row.certificate;
    const valid = isCertificateValid(c, opts);
    return {
      id: c.id,
      number: c.number,
      countyCode: c.countyCode,
      year: c.year,
      seq: c.seq,
      memberId: c.memberId,
      mobilityId: c.mobilityId,
      status: c.status as CertificateStatus,
      statusLabel: statusLabel(c, valid),
      valid,
      validThrough: c.status === 'issued' ? certificateValidThrough(c, opts.graceMonths) : null,
      issuedOn: c.issuedOn,
      issuedByOrgId: c.issuedByOrgId,
      issuedByOrgName: row.issuedByOrgName,
      lastReviewedOn: c.lastReviewedOn,
      endedOn: c.endedOn,
      endReason: c.endReason,
      replacedById: c.replacedById,
      version: c.version,
      updatedAt: c.updatedAt.toISOString(),
    };
  }

  async function dtoOf(handle: Db | Tx, id: string, today: string) {
    const { graceMonths } = await settingsOf(handle);
    const row = await repo.getWithOrg(handle, id);
    return toDto(row!, { asOf: today, graceMonths });
  }

  /** The audited view of a certificate: numbers, dates and ids, no personal data. */
  function auditView(c: repo.CertificateRow) {
    return {
      number: c.number,
      memberId: c.memberId,
      mobilityId: c.mobilityId,
      status: c.status,
      issuedOn: c.issuedOn,
      issuedByOrgId: c.issuedByOrgId,
      lastReviewedOn: c.lastReviewedOn,
      endedOn: c.endedOn,
      endReason: c.endReason,
      replacedById: c.replacedById,
      version: c.version,
    };
  }

  /**
   * The member on the home side of the actor's scope (the org of affiliation is in it). Anything
   * else answers like a missing member, and the attempt is logged (SECURITY.md 9). `read` also
   * lets the host side see the certificates of a member it hosts.
   */
  async function loadMember(ctx: RequestContext, id: string, mode: 'read' | 'write') {
    const actor = requireActor(ctx);
    const found = await members.findWithScope(db, actor, id);
    if (!found) throw notFound(MEMBER);
    const visible = found.homeInScope || (mode === 'read' && found.hostInScope);
    if (!visible) {
      await auditDenied(db, ctx, 'member', id);
      throw notFound(MEMBER);
    }
    return found;
  }

  async function loadCertificate(ctx: RequestContext, id: string) {
    const actor = requireActor(ctx);
    const found = await repo.findWithScope(db, actor, id);
    if (!found) throw notFound(CERTIFICATE);
    if (!found.homeInScope) {
      await auditDenied(db, ctx, 'certificate', id);
      throw notFound(CERTIFICATE);
    }
    return found.certificate;
  }

  /**
   * Issues a new number to a member inside `tx`: the member's row is locked (one issue at a
   * time per member), the open outflow and the absence of a certificate in hand are checked, and
   * the number is allocated from the county's counter. Everything rolls back together.
   */
  async function issueIn(
    tx: Tx,
    ctx: RequestContext,
    target: IssueTarget,
    today: string,
  ): Promise<repo.CertificateRow> {
    const actor = requireActor(ctx);
    const owned = await members.findOwnedForUpdate(tx, actor, target.memberId);
    // Moved out of the scope since it was loaded.
    if (!owned?.orgId) throw notFound(MEMBER);
    const outflow = await repo.openOutflowOf(tx, target.memberId);
    if (!outflow)
      throw new AppError('conflict', '该党员没有正在进行的流出登记，不能发放流动党员活动证');
    const held = await repo.findIssuedOf(tx, target.memberId);
    if (held)
      throw new AppError(
        'conflict',
        `该党员已持有流动党员活动证（编号 ${held.number}），如已遗失请办理补办`,
      );
    const { pattern } = await settingsOf(tx);
    const { countyCode, stampingOrgId } = await repo.issuersOf(tx, owned.orgId);
    const year = Number(today.slice(0, 4));
    const seq = await takeNextNumber(tx, 'certificate_counter', countyCode, year);
    let number: string;
    try {
      number = formatCertificateNumber(pattern, { county: countyCode, year, seq });
    } catch {
      throw new AppError(
        'conflict',
        `${year}年度的活动证编号已用完，请组织部调整编号格式的序号位数`,
      );
    }
    const now = ctx.clock.now();
    const row = await repo.insertCertificate(tx, {
      number,
      countyCode,
      year,
      seq,
      memberId: target.memberId,
      mobilityId: outflow.id,
      status: 'issued',
      issuedOn: today,
      issuedByOrgId: stampingOrgId,
      createdAt: now,
      updatedAt: now,
    });
    await writeAudit(tx, ctx, {
      action: 'certificate.issue',
      result: 'success',
      targetType: 'certificate',
      targetId: row.id,
      targetLabel: `${number}（${target.label}）`,
      after: auditView(row),
    });
    return row;
  }

  const alreadyHeld = () =>
    new AppError('conflict', '该党员已持有流动党员活动证，如已遗失请办理补办');

  async function issue(ctx: RequestContext, memberId: string): Promise<Certificate> {
    const found = await loadMember(ctx, memberId, 'write');
    const today = chinaDateOf(ctx.clock.now());
    try {
      return await db.transaction(async (tx) => {
        const row = await issueIn(
          tx,
          ctx,
          { memberId, orgId: found.member.orgId!, label: maskName(found.member.name) },
          today,
        );
        return dtoOf(tx, row.id, today);
      });
    } catch (err) {
      if (repo.isDuplicateIssued(err)) throw alreadyHeld();
      throw err;
    }
  }

  async function listOfMember(ctx: RequestContext, memberId: string): Promise<CertificateList> {
    await loadMember(ctx, memberId, 'read');
    const today = chinaDateOf(ctx.clock.now());
    const { graceMonths } = await settingsOf(db);
    const rows = await repo.listOfMember(db, memberId);
    return { items: rows.map((r) => toDto(r, { asOf: today, graceMonths })) };
  }

  /**
   * One change of a certificate in hand: locked, version-checked (SECURITY.md 26), changed and
   * audited in one transaction.
   */
  async function change(
    ctx: RequestContext,
    id: string,
    version: number,
    action: 'review' | 'return' | 'cancel',
    values: (today: string) => Partial<repo.CertificateInsert>,
    reason?: string,
  ): Promise<Certificate> {
    await loadCertificate(ctx, id);
    const today = chinaDateOf(ctx.clock.now());
    return db.transaction(async (tx) => {
      const before = await repo.lockForUpdate(tx, id);
      if (!before) throw notFound(CERTIFICATE);
      if (before.version !== version) throw versionConflict();
      if (before.status !== 'issued') throw notInHand(before.status);
      const after = await repo.updateCertificate(tx, id, version, values(today), ctx.clock.now());
      if (!after) throw versionConflict();
      await writeAudit(tx, ctx, {
        action: `certificate.${action}`,
        result: 'success',
        targetType: 'certificate',
        targetId: id,
        targetLabel: after.number,
        reason: reason ?? null,
        before: auditView(before),
        after: auditView(after),
      });
      return dtoOf(tx, id, today);
    });
  }

  const notInHand = (status: string) =>
    new AppError(
      'conflict',
      `该活动证${CERTIFICATE_STATUS_LABELS[status as CertificateStatus] ?? '已失效'}，不能再办理此项`,
    );

  const review = (ctx: RequestContext, id: string, input: CertificateActionInput) =>
    change(ctx, id, input.version, 'review', (today) => ({ lastReviewedOn: today }));

  const returnCertificate = (ctx: RequestContext, id: string, input: CertificateActionInput) =>
    change(ctx, id, input.version, 'return', (today) => ({ status: 'returned', endedOn: today }));

  const cancel = (ctx: RequestContext, id: string, input: CancelCertificateInput) =>
    change(
      ctx,
      id,
      input.version,
      'cancel',
      (today) => ({ status: 'cancelled', endedOn: today, endReason: input.reason }),
      input.reason,
    );

  /** Lost: the old number is voided and a new one issued and linked, in one transaction. */
  async function reissue(
    ctx: RequestContext,
    id: string,
    input: ReissueCertificateInput,
  ): Promise<ReissueCertificateResponse> {
    const old = await loadCertificate(ctx, id);
    const found = await loadMember(ctx, old.memberId, 'write');
    const today = chinaDateOf(ctx.clock.now());
    return db.transaction(async (tx) => {
      const before = await repo.lockForUpdate(tx, id);
      if (!before) throw notFound(CERTIFICATE);
      if (before.version !== input.version) throw versionConflict();
      if (before.status !== 'issued') throw notInHand(before.status);
      const voided = await repo.updateCertificate(
        tx,
        id,
        input.version,
        { status: 'void', endedOn: today, endReason: input.reason },
        ctx.clock.now(),
      );
      if (!voided) throw versionConflict();
      const fresh = await issueIn(
        tx,
        ctx,
        { memberId: old.memberId, orgId: found.member.orgId!, label: maskName(found.member.name) },
        today,
      );
      const linked = await repo.updateCertificate(
        tx,
        id,
        voided.version,
        { replacedById: fresh.id },
        ctx.clock.now(),
      );
      await writeAudit(tx, ctx, {
        action: 'certificate.reissue',
        result: 'success',
        targetType: 'certificate',
        targetId: id,
        targetLabel: `${before.number} → ${fresh.number}`,
        reason: input.reason,
        before: auditView(before),
        after: auditView(linked!),
      });
      return { old: await dtoOf(tx, id, today), new: await dtoOf(tx, fresh.id, today) };
    });
  }

  /**
   * The public check of a number (no session): whether it is valid and its status, nothing
   * about the holder or the issuing org.
   */
  async function verify(ctx: RequestContext, number: string): Promise<PublicCertificateCheck> {
    const row = await repo.findByNumber(db, number.trim());
    if (!row) throw new AppError('not_found', '未查到该活动证编号，请核对后重试');
    const { graceMonths } = await settingsOf(db);
    const valid = isCertificateValid(row, { asOf: chinaDateOf(ctx.clock.now()), graceMonths });
    return { number: row.number, valid, statusLabel: statusLabel(row, valid) };
  }

  const getSettings = () => settingsOf(db);

  /** A config change, audited with before and after (SECURITY.md 18). */
  async function updateSettings(
    ctx: RequestContext,
    input: CertificateSettings,
  ): Promise<CertificateSettings> {
    const actor = requireActor(ctx);
    const problems = checkCertificatePattern(input.pattern);
    if (problems.length > 0)
      throw new AppError(
        'validation_failed',
        problems.join('；'),
        problems.map((message) => ({ path: 'pattern', message })),
      );
    const before = await settingsOf(db);
    const now = ctx.clock.now();
    await db.transaction(async (tx) => {
      await repo.writeSetting(tx, CERTIFICATE_PATTERN_KEY, input.pattern, now, actor.accountId);
      await repo.writeSetting(tx, CERTIFICATE_GRACE_KEY, input.graceMonths, now, actor.accountId);
      await writeAudit(tx, ctx, {
        action: 'config.change',
        result: 'success',
        targetType: 'app_setting',
        targetId: CERTIFICATE_PATTERN_KEY,
        targetLabel: '流动党员活动证设置',
        before: { ...before },
        after: { ...input },
      });
    });
    return input;
  }

  return {
    issue,
    listOfMember,
    review,
    return: returnCertificate,
    cancel,
    reissue,
    verify,
    getSettings,
    updateSettings,
  };
}
