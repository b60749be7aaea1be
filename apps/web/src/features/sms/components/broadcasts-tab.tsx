import { Button, Flex, Table, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { Broadcast } from '@liudong/contracts';
import { SMS_STATUS_LABELS } from '@liudong/domain';
import { EllipsisText } from '../../../ui/ellipsis-text';
import { ErrorAlert } from '../../../ui/error-alert';
import { formatDateTimeMinutes, orEmpty } from '../../../ui/format';
import { KeysetPager } from '../../../ui/keyset-pager';
import { useKeysetPages } from '../../../ui/use-keyset-pages';
import { broadcastsQuery } from '../api/sms-api';
import { broadcastCounts } from '../sms-values';
import { SmsStatusTag } from './sms-status-line';

const TABULAR = { fontVariantNumeric: 'tabular-nums' } as const;

/** 群发记录: each broadcast with its messages counted per status; 查看短信 opens them in 发件箱. */
export function BroadcastsTab({ onOpen }: { onOpen: (broadcast: Broadcast) => void }) {
  const pages = useKeysetPages('broadcasts');
  const list = useQuery(broadcastsQuery(pages.cursor));
  const nextCursor = list.data?.nextCursor ?? null;
  return (
    <Flex vertical gap={16}>
      <ErrorAlert error={list.error} />
      <Table<Broadcast>
        rowKey="id"
        size="middle"
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        pagination={false}
        tableLayout="fixed"
        scroll={{ x: 1000 }}
        locale={{ emptyText: '暂无群发记录' }}
        columns={[
          {
            title: '时间',
            dataIndex: 'createdAt',
            width: 140,
            render: (value: string) => <span style={TABULAR}>{formatDateTimeMinutes(value)}</span>,
          },
          {
            title: '模板',
            dataIndex: 'templateName',
            width: 140,
            render: (value: string) => <EllipsisText>{value}</EllipsisText>,
          },
          {
            title: '范围',
            dataIndex: 'orgName',
            render: (value: string) => <EllipsisText>{value}</EllipsisText>,
          },
          {
            title: '收件人',
            dataIndex: 'recipientCount',
            width: 80,
            align: 'right',
            render: (value: number) => <span style={TABULAR}>{value}</span>,
          },
          {
            title: '发送情况',
            key: 'counts',
            width: 300,
            render: (_, broadcast) => {
              const counts = broadcastCounts(broadcast.counts);
              if (counts.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
              return (
                <Flex gap={4} wrap>
                  {counts.map(({ status, count }) => (
                    <SmsStatusTag
                      key={status}
                      status={status}
                      label={`${SMS_STATUS_LABELS[status]} ${count}`}
                    />
                  ))}
                </Flex>
              );
            },
          },
          {
            title: '发起人',
            dataIndex: 'createdByName',
            width: 96,
            render: (value: string | null) => <EllipsisText>{orEmpty(value)}</EllipsisText>,
          },
          {
            title: '操作',
            key: 'actions',
            width: 96,
            fixed: 'right',
            render: (_, broadcast) => (
              <Button size="small" type="link" onClick={() => onOpen(broadcast)}>
                查看短信
              </Button>
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
