import { useMemo } from 'react';
import type { RankingItem } from '../dashboard-data';
import { rankingBarOption, rankingHeight } from '../chart-options';
import { EChart } from './echart';

/** A ranked list as horizontal bars, largest on top. Loaded lazily. */
export function RankingBar({
  title,
  items,
  color,
}: {
  title: string;
  items: readonly RankingItem[];
  color: string;
}) {
  const option = useMemo(() => rankingBarOption(items, color), [items, color]);
  // The canvas says nothing to a screen reader: the label carries the ranking itself.
  const ariaLabel = `${title}：${items.map((item) => `${item.label} ${item.count} 人`).join('，')}`;
  return <EChart option={option} height={rankingHeight(items)} ariaLabel={ariaLabel} />;
}
