import { Suspense, lazy, useMemo } from 'react';
import { Button, Card, Col, Empty, Flex, Row, Skeleton, Typography } from 'antd';
import type { DashboardResponse } from '@liudong/contracts';
import { ErrorAlert } from '../../../ui/error-alert';
import { SOURCE_COLOR, TARGET_COLOR, rankingHeight, sankeyHeight } from '../chart-options';
import {
  buildSankeyData,
  destinationRanking,
  industryRanking,
  isEmptyScope,
  sankeyTotal,
  type RankingItem,
  type SankeyData,
} from '../dashboard-data';
import { useDashboard } from '../hooks/use-dashboard';
import { IndicatorCards } from './indicator-cards';

// echarts is a chunk of its own, loaded after the page has painted its cards.
const FlowSankey = lazy(() => import('./flow-sankey').then((m) => ({ default: m.FlowSankey })));
const RankingBar = lazy(() => import('./ranking-bar').then((m) => ({ default: m.RankingBar })));

/** Holds the chart's place while echarts loads, so that nothing below jumps. */
function ChartFallback({ height }: { height: number }) {
  return (
    <div style={{ height, overflow: 'hidden' }}>
      <Skeleton active title={false} paragraph={{ rows: Math.max(3, Math.floor(height / 40)) }} />
    </div>
  );
}

function NoData({ description }: { description: string }) {
  return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={description} />;
}

function RankingCard({
  title,
  items,
  color,
}: {
  title: string;
  items: RankingItem[];
  color: string;
}) {
  return (
    <Card title={title} size="small" style={{ height: '100%' }}>
      {items.length === 0 ? (
        <NoData description="暂无数据" />
      ) : (
        <Suspense fallback={<ChartFallback height={rankingHeight(items)} />}>
          <RankingBar title={title} items={items} color={color} />
        </Suspense>
      )}
    </Card>
  );
}

/**
 * The server sends the main flows only (and only members with a destination on record), so the
 * chart may add up to fewer people than 流出党员: say so rather than let the numbers disagree.
 */
function FlowCoverage({ data, sankey }: { data: DashboardResponse; sankey: SankeyData }) {
  const total = sankeyTotal(sankey);
  return (
    <>
      ，图中合计 {total.toLocaleString('zh-CN')} 人
      {total < data.outbound && '（仅含已登记流入地的主要流向）'}
    </>
  );
}

function DashboardSkeleton() {
  return (
    <Flex vertical gap={16} aria-busy="true" aria-label="正在加载统计数据">
      <Row gutter={[16, 16]}>
        {[0, 1, 2].map((i) => (
          <Col key={i} xs={24} sm={12} lg={8}>
            <Card size="small">
              <Skeleton active title={false} paragraph={{ rows: 2 }} />
            </Card>
          </Col>
        ))}
      </Row>
      <Card>
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    </Flex>
  );
}

/**
 * The home page's figures for the active org and everything under it (GET /api/dashboard,
 * issue 3 §7): headline indicators, the flow from units to cities, the main destinations and
 * industries.
 */
export function DashboardOverview() {
  const query = useDashboard();
  const loaded = query.data;
  const sankey = useMemo(() => (loaded ? buildSankeyData(loaded.flows) : null), [loaded]);
  const destinations = useMemo(() => (loaded ? destinationRanking(loaded) : []), [loaded]);
  const industries = useMemo(() => (loaded ? industryRanking(loaded) : []), [loaded]);

  if (query.isPending) return <DashboardSkeleton />;
  if (query.isError) {
    return (
      <ErrorAlert
        error={query.error}
        action={
          <Button size="small" onClick={() => void query.refetch()} loading={query.isFetching}>
            重试
          </Button>
        }
      />
    );
  }

  const data = query.data;
  const header = (
    <Flex justify="space-between" align="baseline" wrap gap={8}>
      <Typography.Text strong style={{ fontSize: 15 }}>
        {data.orgName}（含下级组织）流动党员概况
      </Typography.Text>
      <Typography.Text type="secondary">统计截至 {data.asOf}</Typography.Text>
    </Flex>
  );

  if (isEmptyScope(data)) {
    return (
      <Flex vertical gap={16}>
        {header}
        <Card>
          <Empty description="本组织暂无流动党员记录" />
        </Card>
      </Flex>
    );
  }

  return (
    <Flex vertical gap={16}>
      {header}
      <IndicatorCards data={data} />
      <Card
        title="流出党员流向"
        size="small"
        extra={
          <Typography.Text type="secondary">
            下级单位 → 流入城市
            {sankey && sankey.links.length > 0 && <FlowCoverage data={data} sankey={sankey} />}
          </Typography.Text>
        }
      >
        {sankey && sankey.links.length > 0 ? (
          <Suspense fallback={<ChartFallback height={sankeyHeight(sankey)} />}>
            <FlowSankey data={sankey} />
          </Suspense>
        ) : (
          <NoData description="暂无流向数据" />
        )}
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <RankingCard title="主要流入地" items={destinations} color={SOURCE_COLOR} />
        </Col>
        <Col xs={24} lg={12}>
          <RankingCard title="主要从事行业" items={industries} color={TARGET_COLOR} />
        </Col>
      </Row>
    </Flex>
  );
}
