import { addMonths, chinaDateOf } from './calendar';
import { isOpenMobilityStatus, type MobilityRange, type MobilityStatus } from './mobility';
import { cityCodeOf, isRegionCode, regionLevel } from './region';

export interface OutflowForRules {
  status: MobilityStatus;
  direction: 'outflow' | 'inflow';
  leftOn: string;
  /** Checked in at a host org, or settled there: a relatively fixed place. */
  checkedInOn: string | null;
}

export const TRANSFER_AFTER_MONTHS = 6;

/**
 * Away six months or more at a relatively fixed place → the affiliation should be transferred
 * (DOMAIN.md §3; 2019 条例 Art. 25/32). "Fixed" is read as: the episode is settled or serving, or
 * the member has checked in at a host org. The system flags; the branch decides.
 */
export function shouldTransferAffiliation(
  e: OutflowForRules,
  opts: { asOf: Date; months?: number },
): boolean {
  if (e.direction !== 'outflow' || !isOpenMobilityStatus(e.status)) return false;
  const fixed = e.status === 'settled' || e.status === 'serving' || e.checkedInOn !== null;
  if (!fixed) return false;
  return addMonths(e.leftOn, opts.months ?? TRANSFER_AFTER_MONTHS) <= chinaDateOf(opts.asOf);
}

export interface DestinationGroupInput {
  memberId: string;
  homeOrgId: string;
  destinationRegionCode: string | null;
  open: boolean;
}

export const TEMPORARY_BRANCH_MIN_MEMBERS = 3;

/**
 * 3+ members of one org at the same destination → suggest a temporary branch (DOMAIN.md §3).
 * Members are grouped by home org and destination city (a county code counts under its city, a
 * municipality's districts under the municipality), counting each member once.
 */
export function temporaryBranchSuggestions(
  episodes: readonly DestinationGroupInput[],
  opts: { minMembers?: number } = {},
): { homeOrgId: string; destinationCityCode: string; memberIds: string[] }[] {
  const min = opts.minMembers ?? TEMPORARY_BRANCH_MIN_MEMBERS;
  const groups = new Map<string, Set<string>>();
  for (const e of episodes) {
    if (!e.open || !e.destinationRegionCode) continue;
    const city = cityCodeOf(e.destinationRegionCode) ?? e.destinationRegionCode;
    const key = `${e.homeOrgId}|${city}`;
    groups.set(key, (groups.get(key) ?? new Set()).add(e.memberId));
  }
  return [...groups.entries()]
    .filter(([, members]) => members.size >= min)
    .map(([key, members]) => {
      const [homeOrgId, destinationCityCode] = key.split('|') as [string, string];
      return { homeOrgId, destinationCityCode, memberIds: [...members].sort() };
    })
    .sort(
      (a, b) => b.memberIds.length - a.memberIds.length || a.homeOrgId.localeCompare(b.homeOrgId),
    );
}

/**
 * The range of an outflow for the official statistics (DOMAIN.md §9): across provinces, within
 * the province across cities, or within the city across counties. Compared at the finest level
 * both codes give (a province-level code says only the province). Null when either code is
 * unknown or malformed, or when nothing crosses a boundary (the same county, or a code equal to
 * the other's enclosing unit at the same level).
 */
export function mobilityRangeOf(
  homeRegionCode: string | null | undefined,
  destinationRegionCode: string | null | undefined,
): MobilityRange | null {
  if (!homeRegionCode || !destinationRegionCode) return null;
  if (!isRegionCode(homeRegionCode) || !isRegionCode(destinationRegionCode)) return null;
  if (homeRegionCode.slice(0, 2) !== destinationRegionCode.slice(0, 2)) return 'cross_province';
  const homeCity = cityCodeOf(homeRegionCode);
  const destinationCity = cityCodeOf(destinationRegionCode);
  if (!homeCity || !destinationCity) return null;
  if (homeCity !== destinationCity) return 'within_province';
  const county = (c: string) => (regionLevel(c) === 'county' ? c : null);
  const a = county(homeRegionCode);
  const b = county(destinationRegionCode);
  return a && b && a !== b ? 'within_city' : null;
}
