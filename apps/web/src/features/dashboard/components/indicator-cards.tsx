import type { ReactNode } from 'react';
import { Card, Col, Flex, Row, Statistic, Tooltip, Typography } from 'antd';
import { InfoCircleOutlined, RightOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import type { DashboardResponse } from '@liudong/contracts';
import { INDICATORS, rate, type IndicatorKey } from '@liudong/domain';
import { EMPTY_TEXT } from '../../../ui/format';
import { usePermission } from '../../auth/hooks/use-me';

const WARNING_COLOR = '#d46b08';

interface CardSpec {
  key: IndicatorKey;
  /** A count of people or a percentage; null while the figure is not available (shown as —). */
  value: number | null;
  unit: '人' | '%';
  note?: ReactNode;
  warning?: boolean;
  /** Where the figure's people are listed (the queue, the lost-contact list). */
  link?: { to: string; label: string };
}

function cardSpecs(
  data: DashboardResponse,
  canOpenQueue: boolean,
): { counts: CardSpec[]; rates: CardSpec[] } {
  const transferShare = rate(data.shouldTransfer, data.outbound);
  const { onTimeContact: contact, lostContact: lost } = data;
  return {
    counts: [
      { key: 'outbound', value: data.outbound, unit: '人' },
      { key: 'inbound', value: data.inbound, unit: '人' },
      {
        key: 'shouldTransfer',
        value: data.shouldTransfer,
        unit: '人',
        warning: data.shouldTransfer > 0,
        note:
          transferShare === null
            ? undefined
            : `占流出党员 ${transferShare}%，外出满6个月且相对固定`,
      },
    ],
    rates: [
      {
        key: 'certificateRate',
        value: data.certificateRate,
        unit: '%',
        note: data.outbound > 0 ? `流出党员 ${data.outbound} 人中持有效活动证的比例` : undefined,
      },
      {
        key: 'checkInRate',
        value: data.checkIn.rate,
        unit: '%',
        note: `已报到 ${data.checkIn.checkedIn} / 有接收党组织 ${data.checkIn.withHostOrg}`,
      },
      {
        key: 'onTimeContactRate',
        value: contact.rate,
        unit: '%',
        warning: contact.overdue > 0,
        note:
          contact.due > 0
            ? `按时 ${contact.onTime} / 应联系 ${contact.due}，逾期 ${contact.overdue} 人`
            : '暂无到期应联系的流出党员',
        link:
          canOpenQueue && contact.overdue > 0
            ? { to: '/contacts?view=org&bucket=overdue', label: '查看逾期' }
            : undefined,
      },
      {
        key: 'lostContactRate',
        value: lost.rate,
        unit: '%',
        warning: lost.lost > 0,
        note: `失联 ${lost.lost} 人，预警 ${lost.warning} 人（流出 ${lost.mobile} 人）`,
        link:
          lost.lost > 0 || lost.warning > 0
            ? {
                to: lost.lost > 0 ? '/lost-contact?tab=lost' : '/lost-contact?tab=warning',
                label: lost.lost > 0 ? '查看失联' : '查看预警',
              }
            : undefined,
      },
    ],
  };
}

function IndicatorCard({ spec }: { spec: CardSpec }) {
  const indicator = INDICATORS[spec.key];
  const available = spec.value !== null;
  return (
    <Card size="small" style={{ height: '100%' }}>
      <Statistic
        title={
          <Flex align="center" gap={6}>
            <span>{indicator.label}</span>
            <Tooltip title={indicator.definition}>
              <InfoCircleOutlined
                aria-label={`${indicator.label}说明`}
                style={{ color: '#8c8c8c', cursor: 'help' }}
              />
            </Tooltip>
          </Flex>
        }
        value={available ? spec.value! : EMPTY_TEXT}
        styles={{
          content: spec.warning
            ? { color: WARNING_COLOR }
            : available
              ? undefined
              : { color: '#bfbfbf' },
        }}
        suffix={
          available ? (
            <Typography.Text type="secondary" style={{ fontSize: 14 }}>
              {spec.unit}
            </Typography.Text>
          ) : undefined
        }
      />
      {(spec.note || spec.link) && (
        <Flex justify="space-between" align="baseline" gap={8} wrap>
          {spec.note && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {spec.note}
            </Typography.Text>
          )}
          {spec.link && (
            <Link to={spec.link.to} style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
              {spec.link.label} <RightOutlined style={{ fontSize: 10 }} />
            </Link>
          )}
        </Flex>
      )}
    </Card>
  );
}

/**
 * The headline indicators (DOMAIN.md §9): counts on the first row, rates on the second. Each
 * title's info icon explains how the figure is counted; a figure that is not available yet reads
 * "—", never a made-up number.
 */
export function IndicatorCards({ data }: { data: DashboardResponse }) {
  // The queue is for those who log contacts (contact.log); the lost-contact list for every
  // holder of member.read, who alone see the dashboard.
  const canOpenQueue = usePermission('contact.log');
  const { counts, rates } = cardSpecs(data, canOpenQueue);
  return (
    <Row gutter={[16, 16]}>
      {counts.map((spec) => (
        <Col key={spec.key} xs={24} sm={12} lg={8}>
          <IndicatorCard spec={spec} />
        </Col>
      ))}
      {rates.map((spec) => (
        <Col key={spec.key} xs={24} sm={12} lg={6}>
          <IndicatorCard spec={spec} />
        </Col>
      ))}
    </Row>
  );
}
