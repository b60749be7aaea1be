import { useRef, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Flex,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import type {
  CensusCampaign,
  CensusProgressResponse,
  CensusTask,
  CensusTaskStatus,
} from '@liudong/contracts';
import {
  censusProgressQuery,
  censusRegisterUrl,
  censusTasksQuery,
  fetchPendingTasks,
} from '../features/census/api/census-api';
import {
  TASK_STATUS_OPTIONS,
  campaignSummary,
  nextPendingTask,
  periodText,
  taskFilters,
} from '../features/census/census-values';
import {
  CampaignStatusTag,
  CensusProgressBar,
  TaskStatusTag,
} from '../features/census/components/census-progress';
import { CloseCensusButton } from '../features/census/components/close-census-button';
import {
  VerifyTaskModal,
  type VerifySticky,
} from '../features/census/components/verify-task-modal';
import { useRefreshAfterCensus } from '../features/census/hooks/use-refresh-after-census';
import { MemberNameLink } from '../features/members/components/member-name-link';
import { EllipsisText } from '../ui/ellipsis-text';
import { ErrorAlert } from '../ui/error-alert';
import { formatDate, orEmpty } from '../ui/format';
import { KeysetPager } from '../ui/keyset-pager';
import { useDebouncedSearch } from '../ui/use-debounced-search';
import { useKeysetPages } from '../ui/use-keyset-pages';
import { BackLink, detailLoadState } from '../ui/detail-page';

const TABULAR = { fontVariantNumeric: 'tabular-nums' } as const;

type OrgProgress = CensusProgressResponse['byOrg'][number];

/**
 * One census campaign (`/census/:id`, issue 4 §5): overall progress, progress per org (a row
 * filters the tasks), the task list with 核实, 结束摸排 and the .xlsx register. A closed campaign
 * is read-only and shows its summary.
 */
export function CensusDetailPage() {
  const { id = '' } = useParams();
  const progress = useQuery(censusProgressQuery(id));

  const back = <BackLink to="/census" label="返回摸排列表" />;
  const loading = detailLoadState({ query: progress, back, what: '摸排' });
  if (loading || !progress.data) return loading;

  const { campaign, byOrg } = progress.data;
  return (
    <Flex vertical gap={16}>
      {back}
      <CampaignHeader campaign={campaign} />
      <CampaignBody campaign={campaign} byOrg={byOrg} />
    </Flex>
  );
}

function CampaignHeader({ campaign }: { campaign: CensusCampaign }) {
  const isOpen = campaign.status === 'open';
  return (
    <Card>
      <Flex vertical gap={16}>
        <Flex justify="space-between" align="flex-start" wrap gap={12}>
          <Flex vertical gap={4} style={{ minWidth: 0 }}>
            <Flex align="center" gap={8} wrap>
              <Typography.Title level={3} style={{ margin: 0 }}>
                {campaign.name}
              </Typography.Title>
              <CampaignStatusTag campaign={campaign} />
            </Flex>
            <Descriptions
              size="small"
              column={{ xs: 1, md: 3 }}
              items={[
                { key: 'org', label: '范围', children: `${campaign.orgName}（含下级组织）` },
                {
                  key: 'period',
                  label: '期间',
                  children: (
                    <span style={TABULAR}>{periodText(campaign.startsOn, campaign.endsOn)}</span>
                  ),
                },
                { key: 'by', label: '发起人', children: orEmpty(campaign.openedByName) },
              ]}
            />
          </Flex>
          <Space wrap>
            <Button icon={<DownloadOutlined />} href={censusRegisterUrl(campaign.id)} download>
              下载登记表
            </Button>
            {isOpen && campaign.abilities.close && <CloseCensusButton campaign={campaign} />}
          </Space>
        </Flex>
        <div style={{ maxWidth: 560 }}>
          <CensusProgressBar counts={campaign.counts} closed={campaign.status === 'closed'} />
        </div>
        {!isOpen && (
          <Alert
            type="success"
            showIcon
            title={`本次摸排已于 ${formatDate(campaign.closedOn)} 结束`}
            description={`${campaignSummary(campaign.counts)}。结束后只读，详情见登记表。`}
          />
        )}
      </Flex>
    </Card>
  );
}

function CampaignBody({
  campaign,
  byOrg,
}: {
  campaign: CensusCampaign;
  byOrg: CensusProgressResponse['byOrg'];
}) {
  const { message } = App.useApp();
  const refresh = useRefreshAfterCensus();
  const [orgId, setOrgId] = useState<string | null>(null);
  const [status, setStatus] = useState<CensusTaskStatus | null>(null);
  const search = useDebouncedSearch(400);
  const filters = taskFilters({ orgId, status, q: search.q });
  const pages = useKeysetPages(JSON.stringify(filters));
  const tasks = useQuery(censusTasksQuery(campaign.id, filters, pages.cursor));
  const items = tasks.data?.items ?? [];
  const nextCursor = tasks.data?.nextCursor ?? null;

  const canVerify = campaign.status === 'open' && campaign.abilities.verify;
  const [verifying, setVerifying] = useState<CensusTask | null>(null);
  const [sticky, setSticky] = useState<VerifySticky>({ channel: 'phone', verifiedOn: null });
  // Tasks verified in this sitting: the page on screen may not have been refetched yet.
  const done = useRef(new Set<string>());
  const orgName = byOrg.find((row) => row.orgId === orgId)?.orgName;

  /** 保存并核实下一位: the next pending member below on this page, else the first left anywhere. */
  const findNext = async (savedId: string): Promise<CensusTask | null> => {
    const onPage = nextPendingTask(
      items.filter((task) => !done.current.has(task.id)),
      savedId,
    );
    if (onPage) return onPage;
    const pending = await fetchPendingTasks(campaign.id, orgId ?? undefined, 10);
    return pending.items.find((task) => !done.current.has(task.id)) ?? null;
  };

  return (
    <>
      <Card
        title="各党组织进度"
        extra={<Typography.Text type="secondary">点击一行只看该组织的任务</Typography.Text>}
      >
        <Table<OrgProgress>
          rowKey="orgId"
          size="small"
          dataSource={byOrg}
          pagination={false}
          tableLayout="fixed"
          scroll={{ x: 820 }}
          locale={{ emptyText: '暂无核实任务' }}
          rowClassName={(row) => (row.orgId === orgId ? 'ant-table-row-selected' : '')}
          onRow={(row) => ({
            onClick: () => setOrgId((current) => (current === row.orgId ? null : row.orgId)),
            style: { cursor: 'pointer' },
          })}
          columns={[
            {
              title: '党组织',
              dataIndex: 'orgName',
              render: (name: string) => <EllipsisText>{name}</EllipsisText>,
            },
            {
              title: '核实进度',
              key: 'progress',
              width: 240,
              render: (_, row) => (
                <CensusProgressBar
                  counts={row}
                  size="small"
                  closed={campaign.status === 'closed'}
                />
              ),
            },
            ...(
              [
                ['pending', '待核实'],
                ['unchanged', '无变化'],
                ['changed', '有变化'],
                ['unreachable', '无法联系'],
              ] as const
            ).map(([key, title]) => ({
              title,
              dataIndex: key,
              width: 84,
              align: 'right' as const,
              render: (value: number) => <span style={TABULAR}>{value}</span>,
            })),
          ]}
        />
      </Card>
      <Card title="核实任务">
        <Flex vertical gap={16}>
          <Flex gap={12} wrap align="center">
            <Input.Search
              allowClear
              placeholder="党员姓名"
              aria-label="搜索党员姓名"
              enterButton="搜索"
              maxLength={40}
              autoComplete="off"
              style={{ maxWidth: 320 }}
              value={search.text}
              onChange={(event) => search.setText(event.target.value)}
              onSearch={(value) => search.searchNow(value)}
            />
            <Select<CensusTaskStatus>
              allowClear
              placeholder="全部状态"
              aria-label="任务状态"
              options={TASK_STATUS_OPTIONS}
              value={status ?? undefined}
              onChange={(value) => setStatus(value ?? null)}
              style={{ width: 180 }}
            />
            {orgId && (
              <Tag closable onClose={() => setOrgId(null)} style={{ marginInlineEnd: 0 }}>
                只看：{orgName ?? '所选党组织'}
              </Tag>
            )}
          </Flex>
          <ErrorAlert error={tasks.error} />
          <Table<CensusTask>
            rowKey="id"
            size="middle"
            loading={tasks.isFetching}
            dataSource={items}
            pagination={false}
            tableLayout="fixed"
            scroll={{ x: 1160 }}
            locale={{
              emptyText: orgId || status || search.q ? '没有符合条件的核实任务' : '暂无核实任务',
            }}
            columns={[
              {
                title: '姓名',
                dataIndex: 'memberName',
                width: 96,
                fixed: 'left',
                render: (name: string, task) => (
                  <MemberNameLink memberId={task.memberId} name={name} />
                ),
              },
              {
                title: '所属党组织',
                dataIndex: 'orgName',
                width: 180,
                render: (name: string) => <EllipsisText>{name}</EllipsisText>,
              },
              {
                title: '去向',
                dataIndex: 'destinationName',
                render: (name: string | null, task) => (
                  <EllipsisText>
                    {`${task.direction === 'inflow' ? '流入 · ' : ''}${orEmpty(name)}`}
                  </EllipsisText>
                ),
              },
              {
                title: '工作单位',
                dataIndex: 'employer',
                width: 160,
                render: (value: string | null) => <EllipsisText>{orEmpty(value)}</EllipsisText>,
              },
              {
                title: '手机',
                dataIndex: 'phoneMasked',
                width: 120,
                render: (value: string | null) => <span style={TABULAR}>{orEmpty(value)}</span>,
              },
              {
                title: '状态',
                key: 'status',
                width: 130,
                render: (_, task) => <TaskStatusTag task={task} />,
              },
              {
                title: '核实日期',
                dataIndex: 'verifiedOn',
                width: 110,
                render: (value: string | null) => <span style={TABULAR}>{formatDate(value)}</span>,
              },
              {
                title: '核实人',
                dataIndex: 'verifiedByName',
                width: 96,
                render: (value: string | null) => <EllipsisText>{orEmpty(value)}</EllipsisText>,
              },
              ...(canVerify
                ? [
                    {
                      title: '操作',
                      key: 'actions',
                      width: 80,
                      fixed: 'right' as const,
                      render: (_: unknown, task: CensusTask) =>
                        task.status === 'pending' ? (
                          <Button
                            size="small"
                            type="link"
                            aria-label={`核实${task.memberName}`}
                            onClick={() => setVerifying(task)}
                          >
                            核实
                          </Button>
                        ) : (
                          <Button
                            size="small"
                            type="link"
                            aria-label={`更正${task.memberName}的核实结果`}
                            style={{ color: 'inherit', opacity: 0.65 }}
                            onClick={() => setVerifying(task)}
                          >
                            更正
                          </Button>
                        ),
                    },
                  ]
                : []),
            ]}
          />
          <KeysetPager
            page={pages.page}
            hasPrev={pages.hasPrev}
            hasNext={nextCursor !== null}
            loading={tasks.isFetching}
            onPrev={pages.prev}
            onNext={() => nextCursor && pages.next(nextCursor)}
          />
        </Flex>
      </Card>
      {canVerify && (
        <VerifyTaskModal
          campaign={campaign}
          task={verifying}
          sticky={sticky}
          onClose={() => setVerifying(null)}
          onSaved={async (saved, input, next) => {
            done.current.add(saved.id);
            setSticky({ channel: input.channel, verifiedOn: input.verifiedOn });
            message.success(`已核实「${saved.memberName}」：${saved.statusLabel}`);
            // Refetched in the background: the next member is in the form at once.
            void refresh({ memberId: saved.memberId, changed: input.result === 'changed' });
            const following = next ? await findNext(saved.id).catch(() => null) : null;
            if (next && !following) message.info('已没有待核实的任务');
            setVerifying(following);
          }}
        />
      )}
    </>
  );
}
