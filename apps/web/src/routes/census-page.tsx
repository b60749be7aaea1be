import { Card, Flex, Table, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import type { CensusCampaign } from '@liudong/contracts';
import { usePermission } from '../features/auth/hooks/use-me';
import { censusListQuery } from '../features/census/api/census-api';
import { periodText } from '../features/census/census-values';
import {
  CampaignStatusTag,
  CensusProgressBar,
} from '../features/census/components/census-progress';
import { OpenCensusButton } from '../features/census/components/open-census-modal';
import { EllipsisText } from '../ui/ellipsis-text';
import { ErrorAlert } from '../ui/error-alert';
import { KeysetPager } from '../ui/keyset-pager';
import { useKeysetPages } from '../ui/use-keyset-pages';

const TABULAR = { fontVariantNumeric: 'tabular-nums' } as const;

/**
 * 摸排 (`/census`, issue 4 §5): the campaigns of the scope with their progress; 发起摸排 for
 * census.manage. A row opens the campaign.
 */
export function CensusPage() {
  const canManage = usePermission('census.manage');
  const navigate = useNavigate();
  const pages = useKeysetPages('census');
  const list = useQuery(censusListQuery(pages.cursor));
  const nextCursor = list.data?.nextCursor ?? null;

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          摸排
        </Typography.Title>
        {canManage && <OpenCensusButton />}
      </Flex>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        春节、中秋等党员返乡期间集中摸排：每名流动党员一项核实任务，逐一核实去向、联系方式有无变化（三找：找党员、找组织、找去向）。
      </Typography.Paragraph>
      <Card>
        <Flex vertical gap={16}>
          <ErrorAlert error={list.error} />
          <Table<CensusCampaign>
            rowKey="id"
            size="middle"
            loading={list.isFetching}
            dataSource={list.data?.items ?? []}
            pagination={false}
            tableLayout="fixed"
            scroll={{ x: 980 }}
            locale={{
              emptyText: canManage ? '暂无摸排，点击“发起摸排”开始' : '暂无摸排',
            }}
            onRow={(campaign) => ({
              onClick: () => void navigate(`/census/${campaign.id}`),
              style: { cursor: 'pointer' },
            })}
            columns={[
              {
                title: '名称',
                dataIndex: 'name',
                render: (name: string, campaign) => (
                  <Link
                    to={`/census/${campaign.id}`}
                    onClick={(event) => event.stopPropagation()}
                    style={{ display: 'block', overflow: 'hidden', textOverflow: 'ellipsis' }}
                    title={name}
                  >
                    {name}
                  </Link>
                ),
              },
              {
                title: '范围',
                dataIndex: 'orgName',
                width: 200,
                render: (name: string) => <EllipsisText>{name}</EllipsisText>,
              },
              {
                title: '期间',
                key: 'period',
                width: 200,
                render: (_, campaign) => (
                  <span style={TABULAR}>{periodText(campaign.startsOn, campaign.endsOn)}</span>
                ),
              },
              {
                title: '状态',
                key: 'status',
                width: 90,
                render: (_, campaign) => <CampaignStatusTag campaign={campaign} />,
              },
              {
                title: '核实进度',
                key: 'progress',
                width: 220,
                render: (_, campaign) => (
                  <CensusProgressBar
                    counts={campaign.counts}
                    size="small"
                    closed={campaign.status === 'closed'}
                  />
                ),
              },
              {
                title: '无法联系',
                key: 'unreachable',
                width: 90,
                align: 'right',
                render: (_, campaign) => (
                  <Typography.Text
                    type={campaign.counts.unreachable > 0 ? 'warning' : 'secondary'}
                    style={TABULAR}
                  >
                    {campaign.counts.unreachable}
                  </Typography.Text>
                ),
              },
            ]}
          />
          <KeysetPager
            page={pages.page}
            hasPrev={pages.hasPrev}
            hasNext={nextCursor !== null}
            loading={list.isFetching}
            onPrev={pages.prev}
            onNext={() => nextCursor && pages.next(nextCursor)}
          />
        </Flex>
      </Card>
    </Flex>
  );
}
