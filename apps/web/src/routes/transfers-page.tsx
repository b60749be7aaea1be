import { useState } from 'react';
import { Badge, Card, Flex, Input, Select, Table, Tabs, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import type { Transfer } from '@liudong/contracts';
import type { TransferStatus } from '@liudong/domain';
import { usePermission } from '../features/auth/hooks/use-me';
import { MemberNameLink } from '../features/members/components/member-name-link';
import { OVERDUE_COUNT_LIMIT, transferListQuery } from '../features/transfers/api/transfers-api';
import { TransferActions } from '../features/transfers/components/transfer-actions';
import { TransferSettingsButton } from '../features/transfers/components/transfer-settings-modal';
import { TransferStatusTag } from '../features/transfers/components/transfer-status-tag';
import {
  RECEIPT_SOURCE_LABELS,
  TRANSFER_STATUS_OPTIONS,
  TRANSFER_VIEWS,
  TRANSFER_VIEW_LABELS,
  destinationText,
  overdueLabel,
  parseTransferView,
  transferFilters,
  type TransferView,
} from '../features/transfers/components/transfer-values';
import { EllipsisText } from '../ui/ellipsis-text';
import { ErrorAlert } from '../ui/error-alert';
import { formatDate, orEmpty } from '../ui/format';
import { KeysetPager } from '../ui/keyset-pager';
import { useDebouncedSearch } from '../ui/use-debounced-search';
import { useKeysetPages } from '../ui/use-keyset-pages';

const TABULAR = { fontVariantNumeric: 'tabular-nums' } as const;

/**
 * 组织关系转接 (`/transfers`, issue 3 §5): the transfers sent from and received into the scope,
 * the overdue letters (past their last valid day without a receipt), and what the actor may do
 * with each (审批, 登记回执, 撤销, 打印介绍信) as the server's abilities say. The tab and a
 * member filter live in the URL (`?view=overdue`, `?memberId=…` from a member's page); the
 * search text does not.
 */
export function TransfersPage() {
  const canConfigure = usePermission('transfer.configure');
  const [params, setParams] = useSearchParams();
  const view = parseTransferView(params.get('view'));
  const memberId = params.get('memberId');
  const [status, setStatus] = useState<TransferStatus | null>(null);
  const search = useDebouncedSearch(400);

  const filters = transferFilters(view, { status, q: search.q, memberId });
  const pages = useKeysetPages(JSON.stringify(filters));
  const list = useQuery(transferListQuery(filters, pages.cursor));
  const nextCursor = list.data?.nextCursor ?? null;
  const items = list.data?.items ?? [];

  // The badge on 逾期未回执: a count of one capped page (shown as 99+ beyond).
  const overdue = useQuery(transferListQuery({ overdue: 'true' }, undefined, OVERDUE_COUNT_LIMIT));
  const overdueCount = overdue.data
    ? overdue.data.nextCursor
      ? OVERDUE_COUNT_LIMIT
      : overdue.data.items.length
    : 0;

  const setParam = (key: string, value: string | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === null) next.delete(key);
        else next.set(key, value);
        return next;
      },
      { replace: true },
    );

  const isFiltered = status !== null || search.q !== '' || memberId !== null;
  const memberName = memberId ? items.find((t) => t.memberId === memberId)?.memberName : null;

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          组织关系转接
        </Typography.Title>
        {canConfigure && <TransferSettingsButton />}
      </Flex>
      <Card>
        <Tabs
          activeKey={view}
          onChange={(key) => setParam('view', key === 'all' ? null : key)}
          items={TRANSFER_VIEWS.map((key: TransferView) => ({
            key,
            label:
              key === 'overdue' ? (
                <Flex align="center" gap={6}>
                  {TRANSFER_VIEW_LABELS[key]}
                  <Badge count={overdueCount} size="small" overflowCount={99} />
                </Flex>
              ) : (
                TRANSFER_VIEW_LABELS[key]
              ),
          }))}
        />
        <Flex vertical gap={16}>
          <Flex gap={12} wrap align="center">
            <Input.Search
              allowClear
              placeholder="党员姓名、拼音或首字母、介绍信编号"
              aria-label="搜索组织关系转接"
              enterButton="搜索"
              maxLength={50}
              autoComplete="off"
              style={{ maxWidth: 420 }}
              value={search.text}
              onChange={(event) => search.setText(event.target.value)}
              onSearch={(value) => search.searchNow(value)}
            />
            <Select<TransferStatus>
              allowClear
              placeholder="全部状态"
              aria-label="状态"
              options={TRANSFER_STATUS_OPTIONS}
              // 逾期未回执 is one status already (letter out, no receipt).
              disabled={view === 'overdue'}
              value={view === 'overdue' ? undefined : (status ?? undefined)}
              onChange={(value) => setStatus(value ?? null)}
              style={{ width: 180 }}
            />
            {memberId && (
              <Tag
                closable
                onClose={() => setParam('memberId', null)}
                style={{ marginInlineEnd: 0 }}
              >
                只看党员：{memberName ?? '（指定党员）'}
              </Tag>
            )}
          </Flex>
          <ErrorAlert error={list.error} />
          <Table<Transfer>
            rowKey="id"
            size="middle"
            loading={list.isFetching}
            dataSource={items}
            pagination={false}
            tableLayout="fixed"
            scroll={{ x: 1080 }}
            locale={{
              emptyText: isFiltered
                ? '没有符合条件的转接'
                : view === 'overdue'
                  ? '没有逾期未回执的介绍信'
                  : '暂无组织关系转接',
            }}
            columns={[
              {
                title: '党员',
                dataIndex: 'memberName',
                width: 96,
                fixed: 'left',
                render: (name: string, t) => <MemberNameLink memberId={t.memberId} name={name} />,
              },
              {
                title: '转出党组织 → 接收党组织',
                key: 'orgs',
                render: (_, t) => (
                  <Flex vertical style={{ minWidth: 0 }}>
                    <EllipsisText>{t.fromOrgName}</EllipsisText>
                    <EllipsisText>
                      {`→ ${destinationText(t)}${t.toOrgId ? '' : '（系统外）'}`}
                    </EllipsisText>
                  </Flex>
                ),
              },
              {
                title: '状态',
                key: 'status',
                width: 144,
                render: (_, t) => <TransferStatusTag transfer={t} showOverdue={false} />,
              },
              {
                title: '介绍信编号 / 开具日期',
                dataIndex: 'letterNumber',
                width: 176,
                render: (value: string | null, t) => (
                  <Flex vertical style={TABULAR}>
                    <EllipsisText>{orEmpty(value)}</EllipsisText>
                    {t.letterIssuedOn && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatDate(t.letterIssuedOn)} 开具
                      </Typography.Text>
                    )}
                  </Flex>
                ),
              },
              {
                title: '有效期至',
                dataIndex: 'dueOn',
                width: 120,
                render: (value: string | null, t) => {
                  const late = overdueLabel(t);
                  return (
                    <Flex vertical>
                      <span style={TABULAR}>{formatDate(value)}</span>
                      {late && (
                        <Typography.Text type="danger" strong style={{ fontSize: 12 }}>
                          {late}
                        </Typography.Text>
                      )}
                    </Flex>
                  );
                },
              },
              {
                title: '接收日期',
                dataIndex: 'receivedOn',
                width: 112,
                render: (value: string | null, t) => (
                  <Flex vertical>
                    <span style={TABULAR}>{formatDate(value)}</span>
                    {t.receiptSource && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {RECEIPT_SOURCE_LABELS[t.receiptSource]}
                      </Typography.Text>
                    )}
                  </Flex>
                ),
              },
              {
                title: '操作',
                key: 'actions',
                width: 216,
                fixed: 'right',
                className: 'no-print',
                render: (_, t) => <TransferActions transfer={t} />,
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
