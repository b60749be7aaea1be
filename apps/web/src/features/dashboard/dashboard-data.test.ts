import { describe, expect, it } from 'vitest';
import type { DashboardResponse } from '@liudong/contracts';
import {
  OTHER_SOURCES,
  OTHER_TARGETS,
  TARGET_SUFFIX,
  buildSankeyData,
  destinationRanking,
  escapeHtml,
  industryLabel,
  industryRanking,
  isEmptyScope,
  type DashboardFlow,
} from './dashboard-data';

const flow = (from: string, to: string, value: number): DashboardFlow => ({ from, to, value });

function dashboard(overrides: Partial<DashboardResponse> = {}): DashboardResponse {
  return {
    asOf: '2026-07-01',
    orgName: '中共南岭县委员会',
    outbound: 0,
    inbound: 0,
    certificateRate: null,
    checkIn: { checkedIn: 0, withHostOrg: 0, rate: null },
    shouldTransfer: 0,
    onTimeContact: { due: 0, onTime: 0, overdue: 0, rate: null },
    lostContact: { lost: 0, warning: 0, mobile: 0, rate: null },
    flows: [],
    topDestinations: [],
    topIndustries: [],
    ...overrides,
  };
}

describe('buildSankeyData', () => {
  it('makes one node per unit and per city, units first, each side ranked by people', () => {
    const data = buildSankeyData([
      flow('城关镇党委', '成都市', 5),
      flow('东溪镇党委', '成都市', 2),
      flow('东溪镇党委', '深圳市', 4),
    ]);
    expect(data.nodes).toEqual([
      { name: '东溪镇党委', side: 'source', value: 6, folded: 0 },
      { name: '城关镇党委', side: 'source', value: 5, folded: 0 },
      { name: '成都市', side: 'target', value: 7, folded: 0 },
      { name: '深圳市', side: 'target', value: 4, folded: 0 },
    ]);
    expect(data.links).toEqual([
      { source: '城关镇党委', target: '成都市', value: 5 },
      { source: '东溪镇党委', target: '深圳市', value: 4 },
      { source: '东溪镇党委', target: '成都市', value: 2 },
    ]);
  });

  it('suffixes a city named like a unit on the left, so that the graph has no cycle', () => {
    const data = buildSankeyData([flow('成都市', '成都市', 3), flow('重庆市', '成都市', 1)]);
    const names = data.nodes.map((n) => n.name);
    expect(new Set(names).size).toBe(names.length);
    expect(data.nodes.filter((n) => n.side === 'target').map((n) => n.name)).toEqual([
      `成都市${TARGET_SUFFIX}`,
    ]);
    expect(data.links).toEqual([
      { source: '成都市', target: `成都市${TARGET_SUFFIX}`, value: 3 },
      { source: '重庆市', target: `成都市${TARGET_SUFFIX}`, value: 1 },
    ]);
    for (const link of data.links) expect(link.source).not.toBe(link.target);
  });

  it('keeps suffixing while the name is still taken', () => {
    const data = buildSankeyData([
      flow('西安市', '西安市', 1),
      flow(`西安市${TARGET_SUFFIX}`, '深圳市', 1),
    ]);
    const targets = data.nodes.filter((n) => n.side === 'target').map((n) => n.name);
    expect(targets).toContain(`西安市${TARGET_SUFFIX}${TARGET_SUFFIX}`);
    const names = data.nodes.map((n) => n.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('folds the smaller units and cities into 其他 past the limits, keeping every person', () => {
    const flows = [
      flow('甲', 'A市', 10),
      flow('乙', 'B市', 8),
      flow('丙', 'C市', 3),
      flow('丁', 'D市', 2),
      flow('丁', 'A市', 1),
    ];
    const data = buildSankeyData(flows, { maxSources: 3, maxTargets: 2 });
    expect(data.nodes.filter((n) => n.side === 'source')).toEqual([
      { name: '甲', side: 'source', value: 10, folded: 0 },
      { name: '乙', side: 'source', value: 8, folded: 0 },
      { name: OTHER_SOURCES, side: 'source', value: 6, folded: 2 },
    ]);
    expect(data.nodes.filter((n) => n.side === 'target')).toEqual([
      { name: 'A市', side: 'target', value: 11, folded: 0 },
      { name: OTHER_TARGETS, side: 'target', value: 13, folded: 3 },
    ]);
    const total = (xs: { value: number }[]) => xs.reduce((sum, x) => sum + x.value, 0);
    expect(total(data.links)).toBe(total(flows));
    // 丙 and 丁 share one link per city once folded.
    expect(data.links).toContainEqual({ source: OTHER_SOURCES, target: 'A市', value: 1 });
    expect(data.links).toContainEqual({ source: OTHER_SOURCES, target: OTHER_TARGETS, value: 5 });
  });

  it('does not fold when the side fits exactly', () => {
    const data = buildSankeyData([flow('甲', 'A市', 1), flow('乙', 'B市', 1)], {
      maxSources: 2,
      maxTargets: 2,
    });
    expect(data.nodes.map((n) => n.name)).toEqual(['甲', '乙', 'A市', 'B市']);
  });

  it('leaves out empty flows and gives nothing for no flows', () => {
    expect(buildSankeyData([])).toEqual({ nodes: [], links: [] });
    expect(buildSankeyData([flow('甲', 'A市', 0)])).toEqual({ nodes: [], links: [] });
  });
});

describe('rankings', () => {
  it('labels destinations by name and industries by the national classification', () => {
    const data = dashboard({
      topDestinations: [
        { code: '510100', name: '成都市', count: 7 },
        { code: '440300', name: '深圳市', count: 0 },
      ],
      topIndustries: [
        { code: 'E', count: 5 },
        { code: 'I', count: 2 },
      ],
    });
    expect(destinationRanking(data)).toEqual([{ key: '510100', label: '成都市', count: 7 }]);
    expect(industryRanking(data)).toEqual([
      { key: 'E', label: '建筑业', count: 5 },
      { key: 'I', label: '信息传输、软件和信息技术服务业', count: 2 },
    ]);
  });

  it('shows an unknown industry code rather than nothing', () => {
    expect(industryLabel('Z')).toBe('行业 Z');
  });
});

describe('isEmptyScope', () => {
  it('is empty when there is nothing to count', () => {
    expect(isEmptyScope(dashboard())).toBe(true);
  });

  it('is not empty with inbound members only', () => {
    expect(isEmptyScope(dashboard({ inbound: 3 }))).toBe(false);
  });

  it('is not empty with outbound members only', () => {
    expect(isEmptyScope(dashboard({ outbound: 1 }))).toBe(false);
  });
});

describe('escapeHtml', () => {
  it('escapes what an org name could smuggle into an HTML tooltip', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe(
      '&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;',
    );
  });
});
