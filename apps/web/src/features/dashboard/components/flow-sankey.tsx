import { useMemo } from 'react';
import type { SankeyData } from '../dashboard-data';
import { sankeyHeight, sankeyOption } from '../chart-options';
import { EChart } from './echart';

/** 流向分布: units under the org (left) to destination cities (right). Loaded lazily. */
export function FlowSankey({ data }: { data: SankeyData }) {
  const option = useMemo(() => sankeyOption(data), [data]);
  return (
    <EChart
      option={option}
      height={sankeyHeight(data)}
      ariaLabel="流出党员流向图：左侧为本组织下级单位，右侧为流入城市"
    />
  );
}
