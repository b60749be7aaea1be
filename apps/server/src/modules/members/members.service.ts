import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type {
  CreateMemberInput,
  MemberDetail,
  MemberListQuery,
  MemberListResponse,
  MemberSummary,
  MobilityBrief,
  MobilityRecord,
  RevealField,
  RevealInput,
  RevealResponse,
  UpdateMemberInput,
} from '@liudong/contracts';
import {
  maskAddress,
  maskIdNumber,
  maskName,
  maskPhone,
  ageOn,
  parseIdNumber,
  parsePhone,
  type Education,
  type Gender,
  type Membership,
  type MobilityDirection,
  type MobilityStatus,
  type OrgKind,
  placeName,
} from '@liudong/domain';
import { requireActor, type Actor, type RequestContext } from '../../platform/actor';
import { auditDenied, writeAudit, writeAuditAlone } from '../../platform/audit';
import type { FieldCipher } from '../../platform/crypto';
import { decodeCursor, encodeCursor } from '../../platform/cursor';
import type { Db, Tx } from '../../platform/db';
import { AppError, forbidden, notFound, versionConflict } from '../../platform/errors';
import { findWithScope as findOrgWithScope } from '../orgs/orgs.repository';
import { FIELD, idNumberBlindIndex, nameKeys, phoneBlindIndex } from './member-fields';
import { memberAbilities } from './members.policy';
import * as repo from './members.repository';

const MEMBER = '党员';
const ORG = '组织';

/**
 * SECURITY.md 14: a burst of reveals by one account raises an alert. More than
 * REVEAL_BURST_LIMIT reveals within REVEAL_BURST_WINDOW_MS is a burst. Both become settings of
 * the security policy (a "(c)" default the security admin configures) later; until then they
 * are these constants.
 */
export const REVEAL_BURST_LIMIT = 20;
export const REVEAL_BURST_WINDOW_MS = 10 * 60 * 1000;

/**
 * Members belong to branches (党支部, 党总支, 临时党支部, 网上党支部, 流动党员党组织), never
 * directly to a committee, a working committee or a Party group (DOMAIN.md §7).
 */
const MEMBER_ORG_KINDS: readonly OrgKind[] = [
  'branch',
  'general_branch',
  'temporary_branch',
  'online_branch',
  'mobile_party_org',
];

const NameCursor = z.object({ namePinyin: z.string(), id: z.uuid() });
const JoinedOnCursor = z.object({ joinedOn: z.iso.date().nullable(), id: z.uuid() });

type PlaceRow = {
  id: string;
  direction: string;
  status: string;
  leftOn: string;
  destinationRegionCode: string | null;
  regionName: string | null;
  regionParentName: string | null;
  regionGrandparentName: string | null;
  hostOrgName: string | null;
};

function toBrief(r: PlaceRow): MobilityBrief {
  return {
    id: r.id,
    direction: r.direction as MobilityDirection,
    status: r.status as MobilityStatus,
    leftOn: r.leftOn,
    destinationRegionCode: r.destinationRegionCode,
    destinationName: placeName([r.regionGrandparentName, r.regionParentName, r.regionName]),
    hostOrgName: r.hostOrgName,
  };
}

/** '' means "clear" for optional fields: stored as null. */
function blank(v: string | null | undefined): string | null | undefined {
  return v === '' ? null : v;
}

interface FieldError {
  path: string;
  message: string;
}

type MemberFieldsInput = Omit<UpdateMemberInput, 'version'>;

/**
 * What the `q` of a member search is: an exact ID number or mobile phone (through the blind
 * index), a pinyin or initials prefix, or a name substring. Shared by the list and the export.
 */
export function memberSearchOf(
  cipher: FieldCipher,
  q: string | undefined,
  asOf: Date,
): repo.MemberSearch | undefined {
  if (!q) return undefined;
  const id = parseIdNumber(q, { asOf });
  if (id.ok) return { kind: 'idNumberBidx', value: idNumberBlindIndex(cipher, id.idNumber) };
  const phone = parsePhone(q);
  if (phone.ok && phone.kind === 'mobile')
    return { kind: 'phoneBidx', value: phoneBlindIndex(cipher, phone.phone) };
  if (/^[a-z]+$/i.test(q)) return { kind: 'pinyin', value: q.toLowerCase() };
  return { kind: 'name', value: q };
}

export function createMemberService(deps: { db: Db; cipher: FieldCipher; log: FastifyBaseLogger }) {
  const { db, cipher, log } = deps;

  const decrypt = (value: string | null, context: string) =>
    value === null ? null : cipher.decrypt(value, context);

  /** The personal fields in clear, for masking on the way out and for the audit's masks. */
  function plainOf(m: repo.MemberRow) {
    return {
      idNumber: decrypt(m.idNumberEnc, FIELD.idNumber.context),
      phone: decrypt(m.phoneEnc, FIELD.phone.context),
      homeAddress: decrypt(m.homeAddressEnc, FIELD.homeAddress.context),
      currentAddress: decrypt(m.currentAddressEnc, FIELD.currentAddress.context),
      emergencyContactPhone: decrypt(
        m.emergencyContactPhoneEnc,
        FIELD.emergencyContactPhone.context,
      ),
    };
  }

  /**
   * The audited view of a member. Personal values go through `maskForAudit` (SECURITY.md 18: no
   * raw PII in the trail); the name is masked here. The birth date is left out on purpose: with
   * the detail mask of the ID number (first 6 + last 4) it would give the whole number back.
   */
  function auditView(m: repo.MemberRow) {
    return {
      name: maskName(m.name),
      gender: m.gender,
      ethnicity: m.ethnicity,
      education: m.education,
      ...plainOf(m),
      emergencyContactName: m.emergencyContactName,
      orgId: m.orgId,
      membership: m.membership,
      joinedOn: m.joinedOn,
      fullMemberOn: m.fullMemberOn,
      partyPosts: m.partyPosts,
      version: m.version,
    };
  }

  /**
   * Out-of-scope ids behave exactly like missing ones (404), and the attempt is logged
   * (SECURITY.md 9). Runs before any write transaction: its audit record has one of its own.
   */
  async function loadInScope(ctx: RequestContext, id: string): Promise<repo.MemberInScope> {
    const actor = requireActor(ctx);
    const found = await repo.findWithScope(db, actor, id);
    if (!found) throw notFound(MEMBER);
    if (!found.homeInScope && !found.hostInScope) {
      await auditDenied(db, ctx, 'member', id, 'out_of_scope');
      throw notFound(MEMBER);
    }
    return found;
  }

  async function loadOrgInScope(ctx: RequestContext, orgId: string) {
    const actor = requireActor(ctx);
    const found = await findOrgWithScope(db, actor, orgId);
    if (!found) throw notFound(ORG);
    if (!found.inScope) {
      await auditDenied(db, ctx, 'org', orgId, 'out_of_scope');
      throw notFound(ORG);
    }
    return found.org;
  }

  /**
   * The host side may look, not touch: a visible record the policy refuses is a 403 (it was
   * already shown to this actor, so a 404 would hide nothing), logged like any denial.
   */
  async function requireAbility(
    ctx: RequestContext,
    found: repo.MemberInScope,
    ability: 'update' | 'reveal',
  ) {
    const abilities = memberAbilities(requireActor(ctx), found);
    if (abilities[ability]) return;
    await auditDenied(
      db,
      ctx,
      'member',
      found.member.id,
      `host_side_${ability}`,
      maskName(found.member.name),
    );
    throw forbidden();
  }

  /**
   * Validates and converts the personal fields at the boundary (domain rules: GB 11643 ID
   * numbers, phone numbers) and encrypts them (SECURITY.md 15). Only the keys present in the
   * input are returned, so the same code serves a create and a partial update; `existing` is the
   * record an update starts from.
   */
  function prepare(
    input: MemberFieldsInput,
    existing: repo.MemberRow | null,
    asOf: Date,
  ): Partial<repo.MemberInsert> {
    const errors: FieldError[] = [];
    const values: Partial<repo.MemberInsert> = {};

    if (input.name !== undefined) Object.assign(values, { name: input.name }, nameKeys(input.name));

    let idGender: Gender | undefined;
    const idNumber = blank(input.idNumber);
    if (idNumber === null) {
      values.idNumberEnc = null;
      values.idNumberBidx = null;
    } else if (idNumber !== undefined) {
      const parsed = parseIdNumber(idNumber, { asOf });
      if (!parsed.ok) errors.push({ path: 'idNumber', message: parsed.message });
      else {
        values.idNumberEnc = cipher.encrypt(parsed.idNumber, FIELD.idNumber.context);
        values.idNumberBidx = idNumberBlindIndex(cipher, parsed.idNumber);
        // The birth date and gender are those of the ID number (GB 11643 §5.3).
        values.birthDate = parsed.birthDate;
        idGender = parsed.gender;
      }
    }
    // An unchanged ID number keeps fixing the gender: the stored gender was taken from it.
    const fixedGender =
      idGender ??
      (idNumber === undefined && existing?.idNumberBidx ? (existing.gender as Gender) : undefined);
    if (input.gender !== undefined && fixedGender && input.gender !== fixedGender) {
      errors.push({
        path: 'gender',
        message: '性别与身份证号码不符（身份证号码第17位奇数为男、偶数为女）',
      });
    }
    const gender = idGender ?? input.gender;
    if (gender) values.gender = gender;
    else if (!existing && !errors.some((e) => e.path === 'idNumber'))
      errors.push({ path: 'gender', message: '请填写性别（或填写身份证号码）' });

    const phoneField = (
      raw: string | null | undefined,
      path: 'phone' | 'emergencyContactPhone',
    ): string | null | undefined => {
      const v = blank(raw);
      if (v === null || v === undefined) return v;
      const parsed = parsePhone(v);
      if (parsed.ok) return parsed.phone;
      errors.push({ path, message: parsed.message });
      return undefined;
    };
    const phone = phoneField(input.phone, 'phone');
    if (phone !== undefined) {
      values.phoneEnc = phone === null ? null : cipher.encrypt(phone, FIELD.phone.context);
      values.phoneBidx = phone === null ? null : phoneBlindIndex(cipher, phone);
    }
    const emergencyPhone = phoneField(input.emergencyContactPhone, 'emergencyContactPhone');
    if (emergencyPhone !== undefined)
      values.emergencyContactPhoneEnc =
        emergencyPhone === null
          ? null
          : cipher.encrypt(emergencyPhone, FIELD.emergencyContactPhone.context);
    const encrypted = (raw: string | null | undefined, context: string) => {
      const v = blank(raw);
      return v === null || v === undefined ? v : cipher.encrypt(v, context);
    };
    const home = encrypted(input.homeAddress, FIELD.homeAddress.context);
    if (home !== undefined) values.homeAddressEnc = home;
    const current = encrypted(input.currentAddress, FIELD.currentAddress.context);
    if (current !== undefined) values.currentAddressEnc = current;

    for (const key of ['ethnicity', 'emergencyContactName', 'partyPosts'] as const) {
      const v = blank(input[key]);
      if (v !== undefined) values[key] = v;
    }
    if (input.education !== undefined) values.education = input.education;
    if (input.joinedOn !== undefined) values.joinedOn = input.joinedOn;
    if (input.membership !== undefined) values.membership = input.membership;
    if (input.fullMemberOn !== undefined) values.fullMemberOn = input.fullMemberOn;

    // The resulting record must hold together, whichever fields this request changed.
    const membership = values.membership ?? existing?.membership;
    const joinedOn = values.joinedOn !== undefined ? values.joinedOn : (existing?.joinedOn ?? null);
    const fullMemberOn =
      values.fullMemberOn !== undefined ? values.fullMemberOn : (existing?.fullMemberOn ?? null);
    if (membership === 'probationary' && fullMemberOn)
      errors.push({ path: 'fullMemberOn', message: '预备党员尚未转正，不能填写转正日期' });
    else if (joinedOn && fullMemberOn && fullMemberOn < joinedOn)
      errors.push({ path: 'fullMemberOn', message: '转正日期不能早于入党日期' });

    if (errors.length > 0)
      throw new AppError('validation_failed', errors.map((e) => e.message).join('；'), errors);
    return values;
  }

  /** A second record with the same ID number: named (masked) only when the actor may see it. */
  async function checkIdNumberFree(tx: Tx, actor: Actor, bidx: string, selfId?: string) {
    const holder = await repo.findByIdNumberBidx(tx, actor, bidx);
    if (!holder || holder.id === selfId) return;
    throw duplicateIdNumber(holder.visible ? holder.name : null);
  }
  const duplicateIdNumber = (name: string | null) =>
    new AppError(
      'conflict',
      name ? `该身份证号码已登记（党员：${maskName(name)}）` : '该身份证号码已在系统中登记',
      [{ path: 'idNumber', message: '身份证号码重复' }],
    );

  async function detailOf(
    handle: Db | Tx,
    actor: Actor,
    found: repo.MemberInScope,
    now: Date,
  ): Promise<MemberDetail> {
    const m = found.member;
    const plain = plainOf(m);
    // The host side sees the episodes hosted in its scope, not the member's whole history.
    const mobilities = await repo.mobilitiesOf(
      handle,
      m.id,
      found.homeInScope ? undefined : actor.orgPath,
    );
    const steps = await repo.transitionsOf(
      handle,
      mobilities.map((x) => x.id),
    );
    const stepsOf = new Map<string, MobilityRecord['timeline']>();
    for (const s of steps) {
      const list = stepsOf.get(s.mobilityId) ?? [];
      list.push({
        fromStatus: (s.fromStatus as MobilityStatus | null) ?? null,
        toStatus: s.toStatus as MobilityStatus,
        at: s.at.toISOString(),
        actorName: s.actorName ?? null,
        note: s.note,
      });
      stepsOf.set(s.mobilityId, list);
    }
    return {
      id: m.id,
      name: m.name,
      gender: m.gender as Gender,
      ethnicity: m.ethnicity,
      age: m.birthDate ? ageOn(m.birthDate, now) : null,
      education: (m.education as Education | null) ?? null,
      idNumberMasked: plain.idNumber === null ? null : maskIdNumber(plain.idNumber, 'detail'),
      phoneMasked: plain.phone === null ? null : maskPhone(plain.phone),
      homeAddressMasked: plain.homeAddress === null ? null : maskAddress(plain.homeAddress),
      currentAddressMasked:
        plain.currentAddress === null ? null : maskAddress(plain.currentAddress),
      emergencyContactName: m.emergencyContactName,
      emergencyContactPhoneMasked:
        plain.emergencyContactPhone === null ? null : maskPhone(plain.emergencyContactPhone),
      orgId: m.orgId,
      orgName: found.orgName,
      membership: m.membership as Membership,
      joinedOn: m.joinedOn,
      fullMemberOn: m.fullMemberOn,
      partyPosts: m.partyPosts,
      mobilities: mobilities.map((x) => {
        const address = decrypt(x.destinationAddressEnc, FIELD.destinationAddress.context);
        return {
          ...toBrief(x),
          registeredOn: x.registeredOn,
          employer: x.employer,
          industry: x.industry,
          unitType: x.unitType,
          originalOccupation: x.originalOccupation,
          reason: x.reason,
          reasonNote: x.reasonNote,
          expectedMonths: x.expectedMonths,
          mobilityRange: x.mobilityRange,
          homeOrgName: x.homeOrgName,
          checkedInOn: x.checkedInOn,
          hostContact: x.hostContact,
          endedOn: x.endedOn,
          endNote: x.endNote,
          destinationAddressMasked: address === null ? null : maskAddress(address),
          version: x.version,
          timeline: stepsOf.get(x.id) ?? [],
        };
      }),
      version: m.version,
      updatedAt: m.updatedAt.toISOString(),
      abilities: memberAbilities(actor, found),
    };
  }

  /**
   * `q` is an exact ID number or phone (through the blind index: the stored values are
   * encrypted), a pinyin prefix (full or initials) or a name substring.
   */
  async function list(ctx: RequestContext, q: MemberListQuery): Promise<MemberListResponse> {
    const actor = requireActor(ctx);
    const keyset: repo.MemberKeyset =
      q.sort === 'joinedOn'
        ? { sort: 'joinedOn', after: decodeCursor(q.cursor, JoinedOnCursor) }
        : { sort: 'name', after: decodeCursor(q.cursor, NameCursor) };
    // The filter org must itself be in scope: an outside id answers like a missing one.
    const underPath = q.orgId ? (await loadOrgInScope(ctx, q.orgId)).path : undefined;
    const rows = await repo.list(db, actor, {
      search: memberSearchOf(cipher, q.q, ctx.clock.now()),
      underPath,
      membership: q.membership,
      mobility: q.mobility,
      keyset,
      limit: q.limit,
    });
    const page = rows.slice(0, q.limit);
    const open = await repo.openMobilitiesOf(
      db,
      page.map((r) => r.member.id),
    );
    const openOf = new Map(open.map((o) => [o.memberId, o]));
    // Only the page's rows are decrypted, and only the two fields a list shows, masked
    // (SECURITY.md 13).
    const items: MemberSummary[] = page.map((r) => {
      const m = r.member;
      const idNumber = decrypt(m.idNumberEnc, FIELD.idNumber.context);
      const phone = decrypt(m.phoneEnc, FIELD.phone.context);
      const mob = openOf.get(m.id);
      return {
        id: m.id,
        name: m.name,
        gender: m.gender as Gender,
        age: m.birthDate ? ageOn(m.birthDate, ctx.clock.now()) : null,
        orgId: m.orgId,
        orgName: r.orgName,
        membership: m.membership as Membership,
        joinedOn: m.joinedOn,
        idNumberMasked: idNumber === null ? null : maskIdNumber(idNumber, 'list'),
        phoneMasked: phone === null ? null : maskPhone(phone),
        openMobility: mob ? toBrief(mob) : null,
        abilities: memberAbilities(actor, r),
      };
    });
    const last = page.at(-1)?.member;
    const nextCursor =
      rows.length > q.limit && last
        ? encodeCursor(
            keyset.sort === 'name'
              ? { namePinyin: last.namePinyin, id: last.id }
              : { joinedOn: last.joinedOn, id: last.id },
          )
        : null;
    return { items, nextCursor };
  }

  /** One member record, masked; every view is audited (SECURITY.md 18, DOMAIN.md §10). */
  async function get(ctx: RequestContext, id: string): Promise<MemberDetail> {
    const actor = requireActor(ctx);
    const found = await loadInScope(ctx, id);
    const detail = await detailOf(db, actor, found, ctx.clock.now());
    // Its own transaction, like any audit of an event that changes nothing else; if it fails,
    // the record is not shown (SECURITY.md 20).
    await writeAuditAlone(db, ctx, {
      action: 'member.view',
      result: 'success',
      targetType: 'member',
      targetId: id,
      targetLabel: maskName(found.member.name),
    });
    return detail;
  }

  async function create(ctx: RequestContext, input: CreateMemberInput): Promise<MemberDetail> {
    const actor = requireActor(ctx);
    const o = await loadOrgInScope(ctx, input.orgId);
    if (!MEMBER_ORG_KINDS.includes(o.kind as OrgKind)) {
      throw new AppError('validation_failed', '党员应隶属于党支部（或党总支、临时党支部等）', [
        { path: 'orgId', message: '所选组织不是党支部' },
      ]);
    }
    if (o.dissolvedOn) throw new AppError('conflict', '该组织已撤销，不能在其中登记党员');
    const { orgId: _orgId, ...fields } = input;
    const values = prepare(fields, null, ctx.clock.now());
    const now = ctx.clock.now();
    return db.transaction(async (tx) => {
      if (values.idNumberBidx) await checkIdNumberFree(tx, actor, values.idNumberBidx);
      const row = await repo.insertMember(tx, {
        ...values,
        // Required columns, spelled out for the type: the create schema requires name and
        // membership, and prepare() has refused a create without a gender.
        name: input.name,
        ...nameKeys(input.name),
        gender: values.gender!,
        membership: input.membership,
        orgId: o.id,
        createdAt: now,
        updatedAt: now,
      });
      // A concurrent registration of the same number won the unique index between the check
      // and the insert.
      if (!row) throw duplicateIdNumber(null);
      await writeAudit(tx, ctx, {
        action: 'member.create',
        result: 'success',
        targetType: 'member',
        targetId: row.id,
        targetLabel: maskName(row.name),
        after: auditView(row),
      });
      return detailOf(
        tx,
        actor,
        {
          member: row,
          orgName: o.name,
          homeInScope: true,
          hostInScope: false,
        },
        ctx.clock.now(),
      );
    });
  }

  async function update(
    ctx: RequestContext,
    id: string,
    input: UpdateMemberInput,
  ): Promise<MemberDetail> {
    const actor = requireActor(ctx);
    // Scope and policy first, outside the transaction: a denial is audited on its own.
    const found = await loadInScope(ctx, id);
    await requireAbility(ctx, found, 'update');
    const { version, ...fields } = input;
    try {
      return await db.transaction(async (tx) => {
        const before = await repo.findOwnedForUpdate(tx, actor, id);
        // Moved out of the scope since it was loaded.
        if (!before) throw notFound(MEMBER);
        if (before.version !== version) throw versionConflict();
        const values = prepare(fields, before, ctx.clock.now());
        if (values.idNumberBidx && values.idNumberBidx !== before.idNumberBidx)
          await checkIdNumberFree(tx, actor, values.idNumberBidx, id);
        const after = await repo.updateMember(tx, id, version, values, ctx.clock.now());
        if (!after) throw versionConflict();
        await writeAudit(tx, ctx, {
          action: 'member.update',
          result: 'success',
          targetType: 'member',
          targetId: id,
          targetLabel: maskName(after.name),
          before: auditView(before),
          after: auditView(after),
        });
        return detailOf(tx, actor, { ...found, member: after }, ctx.clock.now());
      });
    } catch (err) {
      if (repo.isDuplicateIdNumber(err)) throw duplicateIdNumber(null);
      throw err;
    }
  }

  const REVEAL_SOURCE: Record<RevealField, (m: repo.MemberRow) => string | null> = {
    idNumber: (m) => decrypt(m.idNumberEnc, FIELD.idNumber.context),
    // Stored in clear for age and statistics, but shown only like the ID number it is part of.
    birthDate: (m) => m.birthDate,
    phone: (m) => decrypt(m.phoneEnc, FIELD.phone.context),
    homeAddress: (m) => decrypt(m.homeAddressEnc, FIELD.homeAddress.context),
    currentAddress: (m) => decrypt(m.currentAddressEnc, FIELD.currentAddress.context),
    emergencyContactPhone: (m) =>
      decrypt(m.emergencyContactPhoneEnc, FIELD.emergencyContactPhone.context),
  };

  /**
   * One full value, for an officer of the home side, with a recorded reason (SECURITY.md 14).
   * The audit record names the field, never the value. A burst of reveals by one account is
   * alerted (an audit record and a warning) but not refused: the rule is to alert.
   */
  async function reveal(
    ctx: RequestContext,
    id: string,
    input: RevealInput,
  ): Promise<RevealResponse> {
    const actor = requireActor(ctx);
    const found = await loadInScope(ctx, id);
    await requireAbility(ctx, found, 'reveal');
    const value = REVEAL_SOURCE[input.field](found.member);
    const now = ctx.clock.now();
    const burst = await db.transaction(async (tx) => {
      await writeAudit(tx, ctx, {
        action: 'member.reveal',
        result: 'success',
        targetType: 'member',
        targetId: id,
        targetLabel: maskName(found.member.name),
        reason: input.reason,
        after: { field: input.field },
      });
      // Counted after this reveal's own record, under the audit chain's lock (writeAudit), so
      // concurrent reveals of one account are counted one after the other.
      const since = new Date(now.getTime() - REVEAL_BURST_WINDOW_MS);
      const reveals = await repo.countAudit(tx, actor.accountId, 'member.reveal', since);
      if (reveals <= REVEAL_BURST_LIMIT) return null;
      // One alert per window and account: the burst is reported, not every reveal in it.
      if ((await repo.countAudit(tx, actor.accountId, 'alert.reveal_burst', since)) > 0)
        return null;
      await writeAudit(tx, ctx, {
        action: 'alert.reveal_burst',
        result: 'denied',
        targetType: 'account',
        targetId: actor.accountId,
        targetLabel: actor.username,
        reason: `${REVEAL_BURST_WINDOW_MS / 60_000} 分钟内查看完整敏感信息 ${reveals} 次（阈值 ${REVEAL_BURST_LIMIT} 次）`,
      });
      return reveals;
    });
    if (burst !== null) {
      // Ids and counts only: no member data in logs (SECURITY.md 16).
      log.warn(
        {
          event: 'alert.reveal_burst',
          accountId: actor.accountId,
          reveals: burst,
          windowMinutes: REVEAL_BURST_WINDOW_MS / 60_000,
          correlationId: ctx.correlationId,
        },
        'reveal burst: one account revealed many personal values',
      );
    }
    return { field: input.field, value };
  }

  return { list, get, create, update, reveal };
}
