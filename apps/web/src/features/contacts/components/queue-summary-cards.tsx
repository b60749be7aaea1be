import type { ReactNode } from 'react';
import { Card, Col, Row, Statistic, Tooltip, Typography } from 'antd';
import { InfoCircleOutlined } from '@ant-design/icons';
import type { QueueSummary } from '@liudong/contracts';
import { INDICATORS } from '@liudong/domain';
import type { QueueTab, QueueView } from '../api/contacts-api';
import { formatRate } from '../contact-values';

interface Figure {
  key: string;
  title: ReactNode;
  value: string | number;
  tab?: QueueTab;
  danger?: boolean;
  note?: string;
}

/**
 * The figures above the queue: 已逾期, 本周应联系, 按时联系率 (DOMAIN.md §9) and, for the org,
 * 未分配联络员. A figure with a tab behind it opens that tab when clicked.
 */
export function QueueSummaryCards({
  summary,
  view,
  loading,
  onOpenTab,
}: {
  summary: QueueSummary | undefined;
  view: QueueView;
  loading: boolean;
  onOpenTab: (tab: QueueTab) => void;
}) {
  const figures: Figure[] = [
    {
      key: 'overdue',
      title: '已逾期',
      value: summary?.overdue ?? 0,
      tab: 'overdue',
      danger: (summary?.overdue ?? 0) > 0,
      note: '超过应联系日期仍未联系上',
    },
    {
      key: 'week',
      title: '本周应联系',
      value: summary?.week ?? 0,
      tab: 'week',
      note: '7天内（含今天）到期',
    },
    {
      key: 'rate',
      title: (
        <span>
          {INDICATORS.onTimeContactRate.label}{' '}
          <Tooltip title={INDICATORS.onTimeContactRate.definition}>
            <InfoCircleOutlined
              aria-label="按时联系率说明"
              style={{ color: '#8c8c8c', cursor: 'help' }}
            />
          </Tooltip>
        </span>
      ),
      value: formatRate(summary?.onTimeRate),
      note: summary ? `按时 ${summary.onTime} / 应联系 ${summary.due}` : undefined,
    },
    ...(view === 'org'
      ? [
          {
            key: 'unassigned',
            title: '未分配联络员',
            value: summary?.unassigned ?? 0,
            tab: 'unassigned' as const,
            danger: (summary?.unassigned ?? 0) > 0,
            note: `流出党员共 ${summary?.total ?? 0} 人`,
          },
        ]
      : [
          {
            key: 'total',
            title: '我负责的党员',
            value: summary?.total ?? 0,
            tab: 'all' as const,
            note: '进行中的流出党员',
          },
        ]),
  ];
  return (
    <Row gutter={[12, 12]} className="no-print">
      {figures.map((figure) => (
        <Col key={figure.key} xs={12} md={6}>
          <Card
            size="small"
            hoverable={!!figure.tab}
            onClick={figure.tab ? () => onOpenTab(figure.tab!) : undefined}
            style={{ height: '100%', cursor: figure.tab ? 'pointer' : undefined }}
            aria-label={typeof figure.title === 'string' ? figure.title : undefined}
          >
            <Statistic
              title={figure.title}
              value={figure.value}
              loading={loading && !summary}
              styles={figure.danger ? { content: { color: '#cf1322' } } : undefined}
            />
            {figure.note && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {figure.note}
              </Typography.Text>
            )}
          </Card>
        </Col>
      ))}
    </Row>
  );
}
