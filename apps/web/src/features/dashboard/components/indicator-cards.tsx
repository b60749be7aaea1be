import { Card, Col, Flex, Row, Statistic, Tooltip, Typography } from 'antd';
import { InfoCircleOutlined } from '@ant-design/icons';
import { EMPTY_TEXT } from '../../../ui/format';
import { HOME_INDICATORS, INDICATOR_PENDING_TEXT } from '../indicators';

/** One card per headline indicator; "—" until the statistics land (no invented numbers). */
export function IndicatorCards() {
  return (
    <Row gutter={[16, 16]}>
      {HOME_INDICATORS.map((indicator) => (
        <Col key={indicator.key} xs={24} sm={12} md={8} xl={4}>
          <Card size="small" style={{ height: '100%' }}>
            <Statistic
              title={
                <Flex align="center" gap={6}>
                  <span>{indicator.title}</span>
                  <Tooltip
                    title={
                      <>
                        <div>{INDICATOR_PENDING_TEXT}</div>
                        <div style={{ marginTop: 4, opacity: 0.85 }}>{indicator.definition}</div>
                      </>
                    }
                  >
                    <InfoCircleOutlined
                      aria-label={`${indicator.title}说明`}
                      style={{ color: '#8c8c8c', cursor: 'help' }}
                    />
                  </Tooltip>
                </Flex>
              }
              value={EMPTY_TEXT}
              suffix={
                <Typography.Text type="secondary" style={{ fontSize: 14 }}>
                  {indicator.unit === 'people' ? '人' : '%'}
                </Typography.Text>
              }
            />
          </Card>
        </Col>
      ))}
    </Row>
  );
}
