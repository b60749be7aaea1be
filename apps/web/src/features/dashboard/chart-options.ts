import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, SankeySeriesOption } from 'echarts/charts';
import type { GridComponentOption, TooltipComponentOption } from 'echarts/components';
import { escapeHtml, type RankingItem, type SankeyData, type SankeyNode } from './dashboard-data';

/**
 * echarts options for the home page, built from the shaped data (dashboard-data.ts). Type imports
 * only: echarts itself is loaded with the chart components, after the page's first paint.
 * Animation is off everywhere: the numbers are what matters, and screenshots must be stable.
 */

export type SankeyOption = ComposeOption<SankeySeriesOption | TooltipComponentOption>;
export type BarOption = ComposeOption<
  BarSeriesOption | TooltipComponentOption | GridComponentOption
>;

export const SOURCE_COLOR = '#c8161d';
export const TARGET_COLOR = '#d48806';
const TEXT_COLOR = '#262626';
const MUTED_COLOR = '#8c8c8c';

/** Labels longer than this are cut with "…" (the tooltip has the full name). */
export const LABEL_MAX_CHARS = 9;

export function truncateLabel(text: string, max = LABEL_MAX_CHARS): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Height in pixels that gives every node of the fuller side room for its one-line label. */
export function sankeyHeight(data: SankeyData): number {
  const sources = data.nodes.filter((n) => n.side === 'source').length;
  const targets = data.nodes.length - sources;
  return Math.min(480, Math.max(240, Math.max(sources, targets) * 36 + 16));
}

interface TooltipParams {
  dataType?: string;
  name?: string;
  value?: unknown;
  data?: { source?: string; target?: string; value?: number };
}

export function sankeyOption(data: SankeyData): SankeyOption {
  const byName = new Map(data.nodes.map((n) => [n.name, n]));
  const nodeTooltip = (name: string, value: number) => {
    const n = byName.get(name);
    const extra =
      n && n.folded > 0 ? `（合并 ${n.folded} 个${n.side === 'source' ? '单位' : '城市'}）` : '';
    return `${escapeHtml(name)}${extra}：${value} 人`;
  };
  const node = (n: SankeyNode) => ({
    name: n.name,
    value: n.value,
    itemStyle: { color: n.side === 'source' ? SOURCE_COLOR : TARGET_COLOR },
    label: { position: n.side === 'source' ? ('left' as const) : ('right' as const) },
  });
  return {
    animation: false,
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (raw: unknown) => {
        const p = raw as TooltipParams;
        if (p.dataType === 'edge' && p.data) {
          return `${escapeHtml(p.data.source ?? '')} → ${escapeHtml(p.data.target ?? '')}：${p.data.value ?? 0} 人`;
        }
        return nodeTooltip(p.name ?? '', Number(p.value ?? 0));
      },
    },
    series: [
      {
        type: 'sankey',
        left: 150,
        right: 150,
        top: 8,
        bottom: 8,
        nodeWidth: 12,
        nodeGap: 14,
        nodeAlign: 'justify',
        draggable: false,
        // Keep the ranked order of the data (largest on top, 其他 last) instead of reordering to
        // reduce crossings: a ranking reads better here than a tidier tangle.
        layoutIterations: 0,
        emphasis: { focus: 'adjacency' },
        data: data.nodes.map(node),
        links: data.links,
        lineStyle: { color: 'gradient', opacity: 0.28, curveness: 0.5 },
        label: {
          color: TEXT_COLOR,
          fontSize: 13,
          formatter: (raw: unknown) => {
            const p = raw as TooltipParams;
            return `${truncateLabel(p.name ?? '')}  {count|${Number(p.value ?? 0)}}`;
          },
          rich: { count: { color: MUTED_COLOR, fontSize: 12 } },
        },
      },
    ],
  };
}

export function rankingHeight(items: readonly RankingItem[]): number {
  return Math.max(120, items.length * 32 + 12);
}

export function rankingBarOption(items: readonly RankingItem[], color: string): BarOption {
  return {
    animation: false,
    grid: { left: 4, right: 48, top: 4, bottom: 4, containLabel: true },
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (raw: unknown) => {
        const p = raw as TooltipParams;
        return `${escapeHtml(p.name ?? '')}：${Number(p.value ?? 0)} 人`;
      },
    },
    xAxis: { type: 'value', show: false },
    yAxis: {
      type: 'category',
      inverse: true,
      data: items.map((item) => item.label),
      axisTick: { show: false },
      axisLine: { show: false },
      axisLabel: {
        color: TEXT_COLOR,
        fontSize: 13,
        width: 210,
        overflow: 'truncate',
      },
    },
    series: [
      {
        type: 'bar',
        data: items.map((item) => item.count),
        barMaxWidth: 16,
        itemStyle: { color, borderRadius: [0, 3, 3, 0] },
        label: { show: true, position: 'right', color: MUTED_COLOR, formatter: '{c} 人' },
        emphasis: { disabled: true },
      },
    ],
  };
}
