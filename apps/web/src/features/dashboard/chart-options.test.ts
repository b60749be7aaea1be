import { describe, expect, it } from 'vitest';
import {
  rankingBarOption,
  rankingHeight,
  sankeyHeight,
  sankeyOption,
  truncateLabel,
} from './chart-options';
import { buildSankeyData, OTHER_SOURCES } from './dashboard-data';

type Formatter = (params: unknown) => string;

describe('truncateLabel', () => {
  it('keeps short names and cuts long ones with an ellipsis', () => {
    expect(truncateLabel('城关镇党委')).toBe('城关镇党委');
    expect(truncateLabel('县人力资源和社会保障局机关党委', 9)).toBe('县人力资源和社会…');
    expect([...truncateLabel('县人力资源和社会保障局机关党委', 9)]).toHaveLength(9);
  });
});

describe('sankeyOption', () => {
  const data = buildSankeyData(
    [
      { from: '甲', to: 'A市', value: 3 },
      { from: '乙', to: 'B市', value: 2 },
      { from: '丙<b>', to: 'B市', value: 1 },
    ],
    { maxSources: 2, maxTargets: 5 },
  );
  const option = sankeyOption(data);
  const series = (Array.isArray(option.series) ? option.series[0] : option.series)!;

  it('is still (no animation) and puts unit labels left, city labels right', () => {
    expect(option.animation).toBe(false);
    expect(series.type).toBe('sankey');
    const positions = (series.data ?? []).map((n) => [
      (n as { name: string }).name,
      (n as { label: { position: string } }).label.position,
    ]);
    expect(positions).toEqual([
      ['甲', 'left'],
      [OTHER_SOURCES, 'left'],
      ['A市', 'right'],
      ['B市', 'right'],
    ]);
  });

  it('says in the tooltip how many units the 其他 node stands for, with names escaped', () => {
    const tooltip = option.tooltip as { formatter: Formatter };
    expect(tooltip.formatter({ dataType: 'node', name: OTHER_SOURCES, value: 3 })).toBe(
      '其他单位（合并 2 个单位）：3 人',
    );
    expect(
      tooltip.formatter({ dataType: 'edge', data: { source: '<i>甲', target: 'A市', value: 3 } }),
    ).toBe('&lt;i&gt;甲 → A市：3 人');
  });

  it('grows with the fuller side, within bounds', () => {
    expect(sankeyHeight(data)).toBe(240);
    const many = buildSankeyData(
      Array.from({ length: 30 }, (_, i) => ({ from: `单位${i}`, to: `城市${i}`, value: 1 })),
    );
    expect(sankeyHeight(many)).toBe(12 * 36 + 16);
  });
});

describe('rankingBarOption', () => {
  it('draws the first item on top, without animation', () => {
    const items = [
      { key: '510100', label: '成都市', count: 7 },
      { key: '440300', label: '深圳市', count: 3 },
    ];
    const option = rankingBarOption(items, '#c8161d');
    expect(option.animation).toBe(false);
    expect(option.yAxis).toMatchObject({ inverse: true, data: ['成都市', '深圳市'] });
    expect(option.series).toMatchObject([{ type: 'bar', data: [7, 3] }]);
    expect(rankingHeight(items)).toBeGreaterThanOrEqual(120);
  });
});
