import type { CreateMemberInput, MemberDetail, UpdateMemberInput } from '@liudong/contracts';
import {
  GENDER_LABELS,
  parseIdNumber,
  parsePhone,
  type Education,
  type Gender,
  type Membership,
} from '@liudong/domain';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { blankToNull } from '../../../ui/format';
import type { FieldError } from '../../../ui/zod-form';

export interface MemberFormValues {
  name: string;
  idNumber?: string;
  gender?: Gender;
  ethnicity?: string;
  education?: Education | null;
  phone?: string;
  homeAddress?: string;
  currentAddress?: string;
  emergencyContactName?: string;
  emergencyContactPhone?: string;
  orgId?: string | null;
  joinedOn?: Dayjs | null;
  membership?: Membership;
  fullMemberOn?: Dayjs | null;
  partyPosts?: string;
}

/**
 * The fields the API only ever returns masked. An edit form cannot show them (the masked value is
 * its placeholder), so they are sent only when the person typed a new value.
 */
export const PERSONAL_FIELDS = [
  'idNumber',
  'phone',
  'homeAddress',
  'currentAddress',
  'emergencyContactPhone',
] as const satisfies readonly (keyof MemberFormValues)[];
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

const FORM_FIELDS: readonly (keyof MemberFormValues)[] = [
  'name',
  'idNumber',
  'gender',
  'ethnicity',
  'education',
  'phone',
  'homeAddress',
  'currentAddress',
  'emergencyContactName',
  'emergencyContactPhone',
  'orgId',
  'joinedOn',
  'membership',
  'fullMemberOn',
  'partyPosts',
];

const toIsoDate = (date: Dayjs | null | undefined) => (date ? date.format('YYYY-MM-DD') : null);

/** The non-personal fields of a member as form values (edit); personal fields start empty. */
export function toFormValues(member: MemberDetail): MemberFormValues {
  return {
    name: member.name,
    gender: member.gender,
    ethnicity: member.ethnicity ?? '',
    education: member.education,
    emergencyContactName: member.emergencyContactName ?? '',
    orgId: member.orgId,
    joinedOn: member.joinedOn ? dayjs(member.joinedOn) : null,
    membership: member.membership,
    fullMemberOn: member.fullMemberOn ? dayjs(member.fullMemberOn) : null,
    partyPosts: member.partyPosts ?? '',
  };
}

/** What the person typed into a personal field, normalized when it parses (e.g. 15 → 18 digits). */
function personalValue(field: PersonalField, raw: string | undefined): string | undefined {
  const text = raw?.trim();
  if (!text) return undefined;
  if (field === 'idNumber') {
    const parsed = parseIdNumber(text);
    return parsed.ok ? parsed.idNumber : text;
  }
  if (field === 'phone' || field === 'emergencyContactPhone') {
    const parsed = parsePhone(text);
    return parsed.ok ? parsed.phone : text;
  }
  return text;
}

/** Only the personal fields the person filled in; blank ones are left out of the request. */
export function typedPersonalFields(
  values: MemberFormValues,
): Partial<Record<PersonalField, string>> {
  const typed: Partial<Record<PersonalField, string>> = {};
  for (const field of PERSONAL_FIELDS) {
    const value = personalValue(field, values[field]);
    if (value !== undefined) typed[field] = value;
  }
  return typed;
}

function commonFields(values: MemberFormValues) {
  const membership = values.membership ?? 'full';
  return {
    name: values.name.trim(),
    gender: values.gender,
    ethnicity: blankToNull(values.ethnicity),
    education: values.education ?? null,
    emergencyContactName: blankToNull(values.emergencyContactName),
    joinedOn: toIsoDate(values.joinedOn),
    membership,
    // A probationary member has no full-membership date yet.
    fullMemberOn: membership === 'probationary' ? null : toIsoDate(values.fullMemberOn),
    partyPosts: blankToNull(values.partyPosts),
  };
}

/** The body of POST /api/members (checked against the contract by the caller). */
export function toCreateInput(values: MemberFormValues): Partial<CreateMemberInput> {
  return {
    orgId: values.orgId ?? undefined,
    ...commonFields(values),
    ...typedPersonalFields(values),
  };
}

/** The body of PATCH /api/members/:id: personal fields only when retyped. No org: see the form. */
export function toUpdateInput(values: MemberFormValues, version: number): UpdateMemberInput {
  return { version, ...commonFields(values), ...typedPersonalFields(values) };
}

export type IdNumberHint =
  { ok: true; text: string; gender: Gender } | { ok: false; message: string } | null;

/** What the 身份证号 field says under itself while typing: the derived facts, or the problem. */
export function idNumberHint(raw: string | undefined): IdNumberHint {
  if (!raw?.trim()) return null;
  const parsed = parseIdNumber(raw);
  if (!parsed.ok) return { ok: false, message: parsed.message };
  const converted = parsed.convertedFrom15 ? `，已转换为18位：${parsed.idNumber}` : '';
  return {
    ok: true,
    gender: parsed.gender,
    text: `出生日期 ${parsed.birthDate}，性别 ${GENDER_LABELS[parsed.gender]}（由身份证号识别）${converted}`,
  };
}

/**
 * The `details: [{ path, message }]` of a 400 `validation_failed`, split into messages for fields
 * of this form and the rest (shown above the form). Paths may come as ['idNumber'], 'idNumber' or
 * 'body.idNumber'.
 */
export function serverFieldErrors(details: unknown): { fields: FieldError[]; other: string[] } {
  const fields = new Map<string, FieldError>();
  const other: string[] = [];
  if (!Array.isArray(details)) return { fields: [], other };
  for (const detail of details as unknown[]) {
    if (!detail || typeof detail !== 'object') continue;
    const { path, message } = detail as { path?: unknown; message?: unknown };
    if (typeof message !== 'string') continue;
    const parts = Array.isArray(path)
      ? path.map(String)
      : typeof path === 'string'
        ? path.split('.')
        : [];
    const field = parts.find((part) => FORM_FIELDS.includes(part as keyof MemberFormValues));
    if (!field) {
      other.push(message);
      continue;
    }
    const entry = fields.get(field) ?? { name: [field], errors: [] };
    if (!entry.errors.includes(message)) entry.errors.push(message);
    fields.set(field, entry);
  }
  return { fields: [...fields.values()], other };
}
