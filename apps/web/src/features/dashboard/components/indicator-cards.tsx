import type { ReactNode } from 'react';
import { Card, Col, Flex, Row, Statistic, Tooltip, Typography } from 'antd';
import { InfoCircleOutlined } from '@ant-design/icons';
import type { DashboardResponse } from '@liudong/contracts';
import { INDICATORS, rate, type IndicatorKey } from '@liudong/domain';
import { EMPTY_TEXT } from '../../../ui/format';

const WARNING_COLOR = '#d46b08';
const PENDING_CONTACT = '联系功能上线后提供';

interface CardSpec {
  key: IndicatorKey;
  /** A count of people or a percentage; null while the figure is not available (shown as —). */
  value: number | null;
  unit: '人' | '%';
  note?: ReactNode;
  warning?: boolean;
}

function cardSpecs(data: DashboardResponse): { counts: CardSpec[]; rates: CardSpec[] } {
  const transferShare = rate(data.shouldTransfer, data.outbound);
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
      { key: 'onTimeContactRate', value: null, unit: '%', note: PENDING_CONTACT },
      { key: 'lostContactRate', value: null, unit: '%', note: PENDING_CONTACT },
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
      {spec.note && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {spec.note}
        </Typography.Text>
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
  const { counts, rates } = cardSpecs(data);
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
