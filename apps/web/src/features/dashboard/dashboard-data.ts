import type { DashboardResponse } from '@liudong/contracts';
import { INDUSTRY_LABELS } from '@liudong/domain';

/**
 * Pure shaping of `GET /api/dashboard` for the home page charts: no React, no echarts, so that it
 * is unit-tested and kept out of the chart chunk's logic.
 */

export type DashboardFlow = DashboardResponse['flows'][number];

export interface SankeyNode {
  /** Unique across both sides: echarts identifies Sankey nodes by name and rejects cycles. */
  name: string;
  side: 'source' | 'target';
  /** People through the node (the sum of its links). */
  value: number;
  /** For the "其他" node of a side: how many units or cities it stands for; otherwise 0. */
  folded: number;
}

export interface SankeyLink {
  source: string;
  target: string;
  value: number;
}

export interface SankeyData {
  nodes: SankeyNode[];
  links: SankeyLink[];
}

export const OTHER_SOURCES = '其他单位';
export const OTHER_TARGETS = '其他城市';
/** Appended to a destination city whose name is also a unit on the left (rare, but a cycle). */
export const TARGET_SUFFIX = '（流入地）';

export interface SankeyLimits {
  /** Nodes per side at most, the "其他" node included: beyond that labels no longer fit. */
  maxSources: number;
  maxTargets: number;
}

export const DEFAULT_SANKEY_LIMITS: SankeyLimits = { maxSources: 12, maxTargets: 10 };

/** Names ranked by their total, largest first; ties keep the server's order (stable sort). */
function rankByTotal(flows: readonly DashboardFlow[], side: 'from' | 'to'): string[] {
  const totals = new Map<string, number>();
  for (const flow of flows) totals.set(flow[side], (totals.get(flow[side]) ?? 0) + flow.value);
  return [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
}

/** The first `max` names stay; past that, the first `max - 1` stay and the rest become `other`. */
function keepTop(ranked: string[], max: number, other: string) {
  const limit = Math.max(1, max);
  if (ranked.length <= limit) return { map: new Map(ranked.map((n) => [n, n])), folded: 0 };
  const kept = ranked.slice(0, limit - 1);
  const map = new Map(ranked.map((n, i) => [n, i < limit - 1 ? n : other]));
  return { map, folded: ranked.length - kept.length };
}

/**
 * Flows (unit → city) as Sankey nodes and links: the biggest units and cities each keep a node of
 * their own, the others are folded into "其他单位" / "其他城市" so that labels do not overlap, and
 * a city named like a unit on the left gets a suffix so that the graph stays acyclic.
 */
export function buildSankeyData(
  flows: readonly DashboardFlow[],
  limits: SankeyLimits = DEFAULT_SANKEY_LIMITS,
): SankeyData {
  const positive = flows.filter((flow) => flow.value > 0);
  const sources = keepTop(rankByTotal(positive, 'from'), limits.maxSources, OTHER_SOURCES);
  const targets = keepTop(rankByTotal(positive, 'to'), limits.maxTargets, OTHER_TARGETS);

  const sourceNames = new Set(sources.map.values());
  const targetName = new Map<string, string>();
  for (const label of new Set(targets.map.values())) {
    let name = label;
    while (sourceNames.has(name)) name += TARGET_SUFFIX;
    targetName.set(label, name);
  }

  const linkValues = new Map<string, SankeyLink>();
  for (const flow of positive) {
    const source = sources.map.get(flow.from)!;
    const target = targetName.get(targets.map.get(flow.to)!)!;
    const key = JSON.stringify([source, target]);
    const link = linkValues.get(key);
    if (link) link.value += flow.value;
    else linkValues.set(key, { source, target, value: flow.value });
  }
  const links = [...linkValues.values()].sort((a, b) => b.value - a.value);

  const totals = (side: 'source' | 'target') => {
    const sums = new Map<string, number>();
    for (const link of links) sums.set(link[side], (sums.get(link[side]) ?? 0) + link.value);
    return sums;
  };
  const sourceTotals = totals('source');
  const targetTotals = totals('target');
  // Ranked order, with "其他" last on its side.
  const ordered = (sums: Map<string, number>, other: string) =>
    [...sums.entries()].sort(
      (a, b) => Number(a[0] === other) - Number(b[0] === other) || b[1] - a[1],
    );

  const otherTarget = targetName.get(OTHER_TARGETS);
  const nodes: SankeyNode[] = [
    ...ordered(sourceTotals, OTHER_SOURCES).map(([name, value]) => ({
      name,
      side: 'source' as const,
      value,
      folded: name === OTHER_SOURCES ? sources.folded : 0,
    })),
    ...ordered(targetTotals, otherTarget ?? OTHER_TARGETS).map(([name, value]) => ({
      name,
      side: 'target' as const,
      value,
      folded: name === otherTarget ? targets.folded : 0,
    })),
  ];
  return { nodes, links };
}

/** People in the chart: what the flows add up to (the server sends the main flows only). */
export function sankeyTotal(data: SankeyData): number {
  return data.links.reduce((sum, link) => sum + link.value, 0);
}

export interface RankingItem {
  key: string;
  label: string;
  count: number;
}

export function destinationRanking(data: DashboardResponse): RankingItem[] {
  return data.topDestinations
    .filter((d) => d.count > 0)
    .map((d) => ({ key: d.code, label: d.name, count: d.count }));
}

/** An industry code the labels do not know (a newer code list) is shown as the code itself. */
export function industryLabel(code: string): string {
  return (INDUSTRY_LABELS as Record<string, string | undefined>)[code] ?? `行业 ${code}`;
}

export function industryRanking(data: DashboardResponse): RankingItem[] {
  return data.topIndustries
    .filter((i) => i.count > 0)
    .map((i) => ({ key: i.code, label: industryLabel(i.code), count: i.count }));
}

/** Nothing to show at all: no outbound, no inbound, no flows or rankings. */
export function isEmptyScope(data: DashboardResponse): boolean {
  return (
    data.outbound === 0 &&
    data.inbound === 0 &&
    data.shouldTransfer === 0 &&
    data.checkIn.withHostOrg === 0 &&
    data.flows.every((f) => f.value === 0) &&
    data.topDestinations.every((d) => d.count === 0) &&
    data.topIndustries.every((i) => i.count === 0)
  );
}

/** For HTML tooltips (echarts renders them as HTML): org names are text typed by people. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
