import type { Key } from 'react';
import { Button, Card, Empty, Flex, Spin, Table, Tag, Typography } from 'antd';
import { PhoneOutlined } from '@ant-design/icons';
import type { QueueItem } from '@liudong/contracts';
import { CONTACT_CATEGORY_LABELS } from '@liudong/domain';
import { EllipsisText } from '../../../ui/ellipsis-text';
import { formatDate, orEmpty } from '../../../ui/format';
import { MemberNameLink } from '../../members/components/member-name-link';
import { intervalText, overdueText } from '../contact-values';
import { LostLevelTag } from './contact-tags';

const TABULAR = { fontVariantNumeric: 'tabular-nums' } as const;

export interface QueueListProps {
  items: QueueItem[];
  loading: boolean;
  emptyText: string;
  /** Rows may be ticked (未分配联络员 with liaison.assign). */
  selectable: boolean;
  selectedIds: string[];
  onSelect: (ids: string[]) => void;
  /** The actor may log contacts for these members. */
  canLog: boolean;
  onLog: (item: QueueItem) => void;
}

function destination(item: QueueItem) {
  return [item.destinationName, item.employer].filter(Boolean).join(' · ') || '—';
}

/** The queue as a table (desktop). */
export function QueueTable({
  items,
  loading,
  emptyText,
  selectable,
  selectedIds,
  onSelect,
  canLog,
  onLog,
}: QueueListProps) {
  return (
    <Table<QueueItem>
      rowKey="memberId"
      size="middle"
      loading={loading}
      dataSource={items}
      pagination={false}
      tableLayout="fixed"
      scroll={{ x: 1000 }}
      locale={{ emptyText }}
      rowSelection={
        selectable
          ? {
              selectedRowKeys: selectedIds,
              onChange: (keys: Key[]) => onSelect(keys.map(String)),
              preserveSelectedRowKeys: true,
            }
          : undefined
      }
      columns={[
        {
          title: '姓名',
          dataIndex: 'memberName',
          width: 88,
          fixed: 'left',
          render: (name: string, item) => <MemberNameLink memberId={item.memberId} name={name} />,
        },
        {
          title: '所在支部',
          dataIndex: 'orgName',
          render: (value: string) => <EllipsisText>{value}</EllipsisText>,
        },
        {
          title: '流向',
          key: 'destination',
          render: (_, item) => (
            <Flex vertical style={{ minWidth: 0 }}>
              <EllipsisText>{destination(item)}</EllipsisText>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatDate(item.leftOn)} 外出 · {CONTACT_CATEGORY_LABELS[item.category]}
              </Typography.Text>
            </Flex>
          ),
        },
        {
          title: '联络员',
          dataIndex: 'liaisonName',
          width: 104,
          render: (value: string | null, item) =>
            value ? (
              <Flex vertical>
                <EllipsisText>{value}</EllipsisText>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {intervalText(item.intervalMonths)}
                </Typography.Text>
              </Flex>
            ) : (
              <Tag color="warning" style={{ marginInlineEnd: 0 }}>
                未分配
              </Tag>
            ),
        },
        {
          title: '上次联系',
          dataIndex: 'lastContactOn',
          width: 104,
          render: (value: string | null, item) => (
            <Flex vertical style={TABULAR}>
              <span>{formatDate(value)}</span>
              {value && item.lastReachedOn !== value && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  未联系上
                </Typography.Text>
              )}
            </Flex>
          ),
        },
        {
          title: '应联系日期',
          dataIndex: 'dueOn',
          width: 104,
          render: (value: string) => <span style={TABULAR}>{formatDate(value)}</span>,
        },
        {
          title: '逾期天数',
          dataIndex: 'overdueDays',
          width: 84,
          render: (days: number) =>
            days > 0 ? (
              <Typography.Text type="danger" strong style={TABULAR}>
                {days} 天
              </Typography.Text>
            ) : (
              <Typography.Text type="secondary">—</Typography.Text>
            ),
        },
        {
          title: '失联状态',
          dataIndex: 'lostLevel',
          width: 84,
          render: (level: QueueItem['lostLevel']) => <LostLevelTag level={level} />,
        },
        ...(canLog
          ? [
              {
                title: '操作',
                key: 'actions',
                width: 96,
                fixed: 'right' as const,
                className: 'no-print',
                render: (_: unknown, item: QueueItem) => (
                  <Button size="small" type="link" onClick={() => onLog(item)}>
                    登记联系
                  </Button>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}

/** The queue as cards (a phone: liaisons call from theirs), one tap to 登记联系. */
export function QueueCards({ items, loading, emptyText, canLog, onLog }: QueueListProps) {
  if (!loading && items.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} />;
  return (
    <Spin spinning={loading}>
      <Flex vertical gap={8} role="list" aria-label="联系队列">
        {items.map((item) => {
          const late = overdueText(item.overdueDays);
          return (
            <Card
              key={item.memberId}
              size="small"
              role="listitem"
              styles={{ body: { padding: '10px 12px' } }}
            >
              <Flex vertical gap={2}>
                <Flex justify="space-between" align="center" gap={8}>
                  <Flex align="center" gap={8} style={{ minWidth: 0 }}>
                    <Typography.Text strong style={{ fontSize: 16, minWidth: 0 }}>
                      <MemberNameLink memberId={item.memberId} name={item.memberName} />
                    </Typography.Text>
                    <LostLevelTag level={item.lostLevel} showOk={false} />
                  </Flex>
                  {canLog && (
                    <Button
                      type="primary"
                      icon={<PhoneOutlined />}
                      onClick={() => onLog(item)}
                      aria-label={`登记联系 ${item.memberName}`}
                    >
                      登记
                    </Button>
                  )}
                </Flex>
                <Typography.Text style={{ fontSize: 13, ...TABULAR }}>
                  应联系 {formatDate(item.dueOn)}
                  {late && (
                    <Typography.Text type="danger" strong>
                      {' '}
                      {late}
                    </Typography.Text>
                  )}
                </Typography.Text>
                <Typography.Text type="secondary" ellipsis>
                  {destination(item)}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12, ...TABULAR }}>
                  上次联系 {formatDate(item.lastContactOn)}
                  {item.lastContactOn && item.lastReachedOn !== item.lastContactOn
                    ? '（未联系上）'
                    : ''}
                  {' · '}联络员 {orEmpty(item.liaisonName)}
                </Typography.Text>
              </Flex>
            </Card>
          );
        })}
      </Flex>
    </Spin>
  );
}
