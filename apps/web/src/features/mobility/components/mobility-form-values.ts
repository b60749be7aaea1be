import type { Dayjs } from 'dayjs';
import { z } from 'zod';
import { MOBILITY_TRANSITIONS, canTransition, parseIdNumber, parsePhone } from '@liudong/domain';
import type {
  Industry,
  Membership,
  MobilityDirection,
  MobilityReason,
  MobilityStatus,
  Occupation,
  UnitType,
} from '@liudong/domain';
// Type only: this module stays free of antd, so that its tests run without a DOM.
import type { OrgChoiceMode } from '../../orgs/components/org-directory-select';
import { ApiError, isApiError } from '../../../api/client';
import { blankToNull } from '../../../ui/format';

const isoDate = (value: Dayjs | null | undefined) => (value ? value.format('YYYY-MM-DD') : null);

/**
 * The one org a "系统内 / 系统外" field names: the picked org's id in `system` mode, the name as
 * written in `text` mode, never both (the contracts refuse both). A field left blank gives two
 * nulls.
 */
export function orgChoice(
  mode: OrgChoiceMode | undefined,
  orgId: string | null | undefined,
  text: string | null | undefined,
): { orgId: string | null; text: string | null } {
  if ((mode ?? 'system') === 'system') return { orgId: orgId || null, text: null };
  return { orgId: null, text: blankToNull(text) };
}

export interface OutflowFormValues {
  leftOn?: Dayjs | null;
  destinationRegionCode?: string | null;
  destinationAddress?: string;
  employer?: string;
  industry?: Industry | null;
  unitType?: UnitType | null;
  originalOccupation?: Occupation | null;
  reason?: MobilityReason;
  reasonNote?: string;
  expectedMonths?: number | null;
  hostOrgMode?: OrgChoiceMode;
  hostOrgId?: string | null;
  hostOrgText?: string;
}

/** The body of POST /api/members/:id/outflows (checked against the contract by the caller). */
export function toOutflowInput(values: OutflowFormValues) {
  const host = orgChoice(values.hostOrgMode, values.hostOrgId, values.hostOrgText);
  return {
    leftOn: isoDate(values.leftOn) ?? '',
    destinationRegionCode: values.destinationRegionCode ?? '',
    destinationAddress: blankToNull(values.destinationAddress),
    employer: blankToNull(values.employer),
    industry: values.industry ?? null,
    unitType: values.unitType ?? null,
    originalOccupation: values.originalOccupation ?? null,
    reason: values.reason,
    reasonNote: blankToNull(values.reasonNote),
    expectedMonths: values.expectedMonths ?? null,
    // Not yet in touch with a host org: both null, filled in at check-in.
    hostOrgId: host.orgId,
    hostOrgText: host.text,
  };
}

export interface TransitionValues {
  note?: string;
  endedOn?: Dayjs | null;
  endNote?: string;
  hostOrgMode?: OrgChoiceMode;
  hostOrgId?: string | null;
  hostOrgText?: string;
  checkedInOn?: Dayjs | null;
  hostContact?: string;
}

export const CLOSING_STEPS: readonly MobilityStatus[] = ['returned', 'transferred', 'ended'];
export const CHECK_IN_STEPS: readonly MobilityStatus[] = ['settled', 'serving'];

/**
 * The steps offered from an episode's status. An outflow is never closed as "transferred" by
 * hand: the transfer's receipt does it (组织关系转接 page), and the server refuses it here.
 */
export function offeredSteps(m: { direction: MobilityDirection; status: MobilityStatus }) {
  return MOBILITY_TRANSITIONS[m.status].filter(
    (to) => canTransition(m.status, to) && !(to === 'transferred' && m.direction === 'outflow'),
  );
}

/** The body of POST /api/mobilities/:id/transitions for one step. */
export function toTransitionInput(to: MobilityStatus, values: TransitionValues, version: number) {
  const input: Record<string, unknown> = { to, version, note: blankToNull(values.note) };
  if (CLOSING_STEPS.includes(to)) {
    input.endedOn = isoDate(values.endedOn) ?? undefined;
    input.endNote = blankToNull(values.endNote);
  }
  if (CHECK_IN_STEPS.includes(to)) {
    // Only what was filled in: a blank field leaves the saved check-in data as it is. A host org
    // named either way replaces the saved one (id and text together, server side).
    const host = orgChoice(values.hostOrgMode, values.hostOrgId, values.hostOrgText);
    if (host.orgId) input.hostOrgId = host.orgId;
    if (host.text) input.hostOrgText = host.text;
    if (values.checkedInOn) input.checkedInOn = isoDate(values.checkedInOn);
    const hostContact = blankToNull(values.hostContact);
    if (hostContact) input.hostContact = hostContact;
  }
  return input;
}

export interface InflowFormValues {
  name?: string;
  idNumber?: string;
  phone?: string;
  membership?: Membership;
  homeOrgMode?: OrgChoiceMode;
  homeOrgId?: string | null;
  homeOrgText?: string;
  homeRegionCode?: string | null;
  certificateNumber?: string;
  hostOrgId?: string | null;
  arrivedOn?: Dayjs | null;
  currentAddress?: string;
  employer?: string;
  industry?: Industry | null;
  unitType?: UnitType | null;
  reason?: MobilityReason;
  reasonNote?: string;
  expectedMonths?: number | null;
  hostContact?: string;
}

export const INFLOW_FORM_FIELDS: readonly (keyof InflowFormValues)[] = [
  'name',
  'idNumber',
  'phone',
  'membership',
  'homeOrgId',
  'homeOrgText',
  'homeRegionCode',
  'certificateNumber',
  'hostOrgId',
  'arrivedOn',
  'currentAddress',
  'employer',
  'industry',
  'unitType',
  'reason',
  'reasonNote',
  'expectedMonths',
  'hostContact',
];

/** The typed ID number or phone, normalized when it parses (15 → 18 digits, spaces dropped). */
function normalized(raw: string | undefined, parse: typeof parseIdNumber | typeof parsePhone) {
  const text = raw?.trim() ?? '';
  if (!text) return '';
  const parsed = parse(text);
  if (!parsed.ok) return text;
  return 'idNumber' in parsed ? parsed.idNumber : parsed.phone;
}

/** The body of POST /api/members/inflows (checked against the contract by the caller). */
export function toInflowInput(values: InflowFormValues) {
  const home = orgChoice(values.homeOrgMode, values.homeOrgId, values.homeOrgText);
  const phone = normalized(values.phone, parsePhone);
  return {
    name: values.name?.trim() ?? '',
    idNumber: normalized(values.idNumber, parseIdNumber),
    phone: phone || null,
    membership: values.membership ?? 'full',
    homeOrgId: home.orgId,
    homeOrgText: home.text,
    // The region goes with a home org outside the system; one in the system has its own.
    homeRegionCode: home.text ? (values.homeRegionCode ?? null) : null,
    certificateNumber: blankToNull(values.certificateNumber),
    hostOrgId: values.hostOrgId ?? '',
    arrivedOn: isoDate(values.arrivedOn) ?? '',
    currentAddress: blankToNull(values.currentAddress),
    employer: blankToNull(values.employer),
    industry: values.industry ?? null,
    unitType: values.unitType ?? null,
    reason: values.reason,
    reasonNote: blankToNull(values.reasonNote),
    expectedMonths: values.expectedMonths ?? null,
    hostContact: blankToNull(values.hostContact),
  };
}

/**
 * The `details: [{ path, message }]` of a 400 `validation_failed` for the fields of a form;
 * messages about other fields are returned apart (shown above the form). Paths may come as
 * ['idNumber'], 'idNumber' or 'body.idNumber'.
 */
export function fieldErrorsOf<T extends string>(
  details: unknown,
  fields: readonly T[],
): { fields: { name: T[]; errors: string[] }[]; other: string[] } {
  const byField = new Map<T, string[]>();
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
    const field = parts.find((part): part is T => (fields as readonly string[]).includes(part));
    if (!field) {
      other.push(message);
      continue;
    }
    const errors = byField.get(field) ?? [];
    if (!errors.includes(message)) errors.push(message);
    byField.set(field, errors);
  }
  return {
    fields: [...byField.entries()].map(([name, errors]) => ({ name: [name], errors })),
    other,
  };
}

/**
 * What to show above a form after a failed save: nothing for the form's own (zod) complaints,
 * which sit next to their fields; for a 400 `validation_failed` whose messages were put next to
 * their fields (see fieldErrorsOf), a summary plus only the messages about other fields; else the
 * error as it came.
 */
export function errorAboveForm(error: unknown, fields: readonly string[]): unknown {
  if (!error || error instanceof z.ZodError) return null;
  if (!isApiError(error, 'validation_failed')) return error;
  const placed = fieldErrorsOf(error.details, fields);
  if (placed.fields.length === 0) return error;
  return new ApiError(
    error.status,
    error.code,
    placed.other.length > 0
      ? '提交的内容有误，请修改后重试'
      : '提交的内容有误，请按各栏下方的提示修改',
    placed.other,
  );
}
