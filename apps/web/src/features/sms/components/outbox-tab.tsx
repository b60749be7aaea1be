import { Flex, Select, Table, Tag, Tooltip, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { OutboxItem, SmsStatus } from '@liudong/contracts';
import { EllipsisText } from '../../../ui/ellipsis-text';
import { ErrorAlert } from '../../../ui/error-alert';
import { formatDateTimeMinutes, orEmpty } from '../../../ui/format';
import { KeysetPager } from '../../../ui/keyset-pager';
import { useKeysetPages } from '../../../ui/use-keyset-pages';
import { outboxQuery, type OutboxFilters } from '../api/sms-api';
import { SMS_STATUS_OPTIONS } from '../sms-values';
import { SmsStatusTag } from './sms-status-line';

const TABULAR = { fontVariantNumeric: 'tabular-nums' } as const;

/**
 * 发件箱: every message of the scope with its status, attempts and last error; phones masked.
 * While a message on screen is queued or sending, the list looks again every few seconds.
 */
export function OutboxTab({
  status,
  onStatusChange,
  broadcast,
  onClearBroadcast,
}: {
  status: SmsStatus | null;
  onStatusChange: (status: SmsStatus | null) => void;
  /** Only the messages of one broadcast (from 群发记录 or right after sending). */
  broadcast: { id: string; label: string } | null;
  onClearBroadcast: () => void;
}) {
  const filters: OutboxFilters = {
    ...(status ? { status } : {}),
    ...(broadcast ? { broadcastId: broadcast.id } : {}),
  };
  const pages = useKeysetPages(JSON.stringify(filters));
  const list = useQuery(outboxQuery(filters, pages.cursor));
  const nextCursor = list.data?.nextCursor ?? null;
  const isFiltered = status !== null || broadcast !== null;

  return (
    <Flex vertical gap={16}>
      <Flex gap={12} wrap align="center">
        <Select<SmsStatus>
          allowClear
          placeholder="全部状态"
          aria-label="短信状态"
          options={SMS_STATUS_OPTIONS}
          value={status ?? undefined}
          onChange={(value) => onStatusChange(value ?? null)}
          style={{ width: 200 }}
        />
        {broadcast && (
          <Tag closable onClose={onClearBroadcast} style={{ marginInlineEnd: 0 }}>
            只看群发：{broadcast.label}
          </Tag>
        )}
      </Flex>
      <ErrorAlert error={list.error} />
      <Table<OutboxItem>
        rowKey="id"
        size="middle"
        // Only the first load shows the veil: the automatic refreshes must not blink.
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        pagination={false}
        tableLayout="fixed"
        scroll={{ x: 1100 }}
        locale={{ emptyText: isFiltered ? '没有符合条件的短信' : '发件箱为空' }}
        columns={[
          {
            title: '收件人',
            key: 'recipient',
            width: 130,
            render: (_, item) => (
              <Flex vertical>
                <EllipsisText>{orEmpty(item.recipientName)}</EllipsisText>
                <Typography.Text type="secondary" style={{ ...TABULAR, fontSize: 12 }}>
                  {item.phoneMasked}
                </Typography.Text>
              </Flex>
            ),
          },
          {
            title: '内容',
            dataIndex: 'body',
            render: (body: string) => <EllipsisText>{body}</EllipsisText>,
          },
          {
            title: '状态',
            key: 'status',
            width: 150,
            render: (_, item) => <SmsStatusTag status={item.status} label={item.statusLabel} />,
          },
          {
            title: '尝试',
            dataIndex: 'attempts',
            width: 64,
            align: 'right',
            render: (value: number) => <span style={TABULAR}>{value}</span>,
          },
          {
            title: '错误',
            dataIndex: 'lastError',
            width: 180,
            render: (value: string | null) =>
              value ? (
                <Typography.Text type="danger">
                  <EllipsisText>{value}</EllipsisText>
                </Typography.Text>
              ) : (
                orEmpty(value)
              ),
          },
          {
            title: '创建时间',
            dataIndex: 'createdAt',
            width: 140,
            render: (value: string) => <span style={TABULAR}>{formatDateTimeMinutes(value)}</span>,
          },
          {
            title: '发送时间',
            dataIndex: 'sentAt',
            width: 140,
            render: (value: string | null, item) => (
              <Tooltip title={item.provider ? `服务商：${item.provider}` : undefined}>
                <span style={TABULAR}>{formatDateTimeMinutes(value)}</span>
              </Tooltip>
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
  );
}
