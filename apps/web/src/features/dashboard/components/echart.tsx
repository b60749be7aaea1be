import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, SankeyChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { BarOption, SankeyOption } from '../chart-options';

// Only what the home page draws, so that the chart chunk stays small (tree-shaken echarts). This
// module is reached through React.lazy only: the page paints before echarts loads.
echarts.use([SankeyChart, BarChart, TooltipComponent, GridComponent, CanvasRenderer]);

/**
 * One echarts instance in a div, resized with its container and disposed on unmount.
 *
 * Not echarts-for-react: its ESM build imports `tslib` without declaring it as a dependency
 * (hustcc/echarts-for-react#512), and with this lock file `tslib` is only installed nested under
 * echarts and zrender, so the bundler cannot resolve it. The little it did is done here.
 */
export function EChart({
  option,
  height,
  ariaLabel,
}: {
  option: SankeyOption | BarOption;
  height: number;
  ariaLabel: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const element = container.current!;
    const instance = echarts.init(element, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  // Declared after the effect above, so that on mount the instance exists when the option arrives.
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return (
    <div ref={container} role="img" aria-label={ariaLabel} style={{ height, width: '100%' }} />
  );
}
