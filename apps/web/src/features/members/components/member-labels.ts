import type { MobilityBrief, MobilityRecord, RevealField } from '@liudong/contracts';
import {
  INDUSTRY_LABELS,
  MOBILITY_DIRECTION_LABELS,
  MOBILITY_RANGE_LABELS,
  MOBILITY_REASON_LABELS,
  MOBILITY_STATUS_LABELS,
  OCCUPATION_LABELS,
  UNIT_TYPE_LABELS,
  isOpenMobilityStatus,
} from '@liudong/domain';
import { EMPTY_TEXT } from '../../../ui/format';

/** '流出·服务中': direction and step of a mobility episode, for a Tag. */
export function mobilityTagText(mobility: Pick<MobilityBrief, 'direction' | 'status'>): string {
  return `${MOBILITY_DIRECTION_LABELS[mobility.direction]}·${MOBILITY_STATUS_LABELS[mobility.status]}`;
}

/** Orange for members away from home, blue for those who came to us, grey once it has ended. */
export function mobilityTagColor(mobility: Pick<MobilityBrief, 'direction' | 'status'>): string {
  if (!isOpenMobilityStatus(mobility.status)) return 'default';
  return mobility.direction === 'outflow' ? 'orange' : 'blue';
}

/**
 * Where the member is (outflow: the destination, e.g. '四川省成都市锦江区') or, for an inflow,
 * where they came from ('来自…'): the API gives the home region in the same field then.
 */
export function mobilityPlaceText(
  mobility: Pick<MobilityBrief, 'direction' | 'destinationName' | 'destinationRegionCode'>,
): string {
  const name = mobility.destinationName ?? mobility.destinationRegionCode;
  if (!name) return mobility.direction === 'outflow' ? '流入地未登记' : '来源地未登记';
  return mobility.direction === 'outflow' ? name : `来自${name}`;
}

/** The list's 流动情况 in words (tag, place, host org), e.g. for a tooltip or a printed ledger. */
export function mobilitySummaryText(mobility: MobilityBrief | null): string {
  if (!mobility) return '未流动';
  const parts = [mobilityTagText(mobility), mobilityPlaceText(mobility)];
  if (mobility.hostOrgName) parts.push(`接收党组织：${mobility.hostOrgName}`);
  return parts.join(' ');
}

/**
 * A code of one of the statistics vocabularies (industry, unit type, …) as its label. The record
 * carries plain strings: an unknown code (older data, a vocabulary that grew) is shown as is.
 */
function labelFrom(labels: Record<string, string>, code: string | null): string {
  if (code === null || code === '') return EMPTY_TEXT;
  return labels[code] ?? code;
}

export const industryLabel = (code: string | null) => labelFrom(INDUSTRY_LABELS, code);
export const unitTypeLabel = (code: string | null) => labelFrom(UNIT_TYPE_LABELS, code);
export const occupationLabel = (code: string | null) => labelFrom(OCCUPATION_LABELS, code);
export const mobilityReasonLabel = (code: string | null) => labelFrom(MOBILITY_REASON_LABELS, code);
export const mobilityRangeLabel = (code: string | null) => labelFrom(MOBILITY_RANGE_LABELS, code);

/** Newest episode first: by the date the member left, then by registration. Does not mutate. */
export function mobilitiesNewestFirst(mobilities: readonly MobilityRecord[]): MobilityRecord[] {
  return [...mobilities].sort(
    (a, b) => b.leftOn.localeCompare(a.leftOn) || b.registeredOn.localeCompare(a.registeredOn),
  );
}

/** The personal fields that are masked and may be revealed, as the detail view labels them. */
export const REVEAL_FIELD_LABELS: Record<RevealField, string> = {
  idNumber: '身份证号',
  birthDate: '出生日期',
  phone: '手机号',
  homeAddress: '家庭住址',
  currentAddress: '现居住地',
  emergencyContactPhone: '紧急联系人电话',
};
