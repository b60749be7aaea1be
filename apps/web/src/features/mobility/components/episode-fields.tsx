import { Col, Form, Input, InputNumber, Select } from 'antd';
import type { MobilityDirection } from '@liudong/domain';
import { INDUSTRY_OPTIONS, REASON_OPTIONS, UNIT_TYPE_OPTIONS } from './mobility-options';

// The 《流动党员情况登记表》 fields that outflow and inflow registration share (DOMAIN.md §3), one
// block each, as grid columns of the form's <Row>. Only the wording follows the direction.

/** 工作单位, 行业, 单位性质. */
export function WorkFields() {
  return (
    <>
      <Col xs={24} md={12}>
        <Form.Item
          label="工作单位"
          name="employer"
          rules={[{ max: 100, message: '不超过100个字' }]}
        >
          <Input maxLength={100} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item label="行业" name="industry">
          <Select options={INDUSTRY_OPTIONS} allowClear placeholder="请选择" />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item label="单位性质" name="unitType">
          <Select options={UNIT_TYPE_OPTIONS} allowClear placeholder="请选择" />
        </Form.Item>
      </Col>
    </>
  );
}

const WORDS: Record<MobilityDirection, { reason: string; months: string; note: string }> = {
  outflow: { reason: '外出原因', months: '预计外出时长（月）', note: '外出原因说明' },
  inflow: { reason: '流入原因', months: '预计时长（月）', note: '原因说明' },
};

/** 外出（流入）原因, 预计时长, 原因说明. */
export function ReasonFields({ direction }: { direction: MobilityDirection }) {
  const words = WORDS[direction];
  return (
    <>
      <Col xs={24} md={12}>
        <Form.Item
          label={words.reason}
          name="reason"
          rules={[{ required: true, message: `请选择${words.reason}` }]}
        >
          <Select options={REASON_OPTIONS} placeholder="请选择" />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item label={words.months} name="expectedMonths">
          <InputNumber min={1} max={600} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Col>
      <Col span={24}>
        <Form.Item
          label={words.note}
          name="reasonNote"
          rules={[{ max: 200, message: '不超过200个字' }]}
        >
          <Input.TextArea maxLength={200} autoSize={{ minRows: 2, maxRows: 4 }} />
        </Form.Item>
      </Col>
    </>
  );
}
