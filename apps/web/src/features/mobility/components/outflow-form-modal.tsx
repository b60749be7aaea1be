import { App, Col, DatePicker, Form, Input, Modal, Row, Select } from 'antd';
import { useMutation } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { z } from 'zod';
import { RegisterOutflowInput, type MobilityDetail } from '@liudong/contracts';
import { ErrorAlert } from '../../../ui/error-alert';
import { showZodErrors } from '../../../ui/zod-form';
import { OrgChoiceFields } from '../../orgs/components/org-directory-select';
import { RegionCascader } from '../../regions/components/region-cascader';
import { registerOutflow } from '../api/mobility-api';
import { useRefreshAfterMobility } from '../hooks/use-refresh-after-mobility';
import { OCCUPATION_OPTIONS } from './mobility-options';
import { ReasonFields, WorkFields } from './episode-fields';
import { toOutflowInput, type OutflowFormValues } from './mobility-form-values';

const FORM_ID = 'outflow-form';
const notAfterToday = (date: dayjs.Dayjs) => date.isAfter(dayjs(), 'day');

/** 登记流出: the 《流动党员情况登记表》 fields; the home org is the member's own org. */
export function OutflowFormModal({
  member,
  open,
  onClose,
}: {
  member: { id: string; name: string; orgName: string | null };
  open: boolean;
  onClose: () => void;
}) {
  const [form] = Form.useForm<OutflowFormValues>();
  const { message } = App.useApp();
  const refresh = useRefreshAfterMobility();

  const mutation = useMutation({
    mutationFn: (values: OutflowFormValues): Promise<MobilityDetail> => {
      const parsed = RegisterOutflowInput.safeParse(toOutflowInput(values));
      if (!parsed.success) throw parsed.error;
      return registerOutflow(member.id, parsed.data);
    },
    onSuccess: async () => {
      message.success(`已登记「${member.name}」流出`);
      await refresh(member.id);
      onClose();
    },
    onError: (error) => {
      if (error instanceof z.ZodError) showZodErrors(form, error);
    },
  });

  return (
    <Modal
      open={open}
      title={`登记流出 · ${member.name}`}
      width={760}
      destroyOnHidden
      onCancel={onClose}
      okText="保存"
      okButtonProps={{ htmlType: 'submit', form: FORM_ID, loading: mutation.isPending }}
      afterClose={() => mutation.reset()}
    >
      <Form<OutflowFormValues>
        form={form}
        id={FORM_ID}
        layout="vertical"
        disabled={mutation.isPending}
        initialValues={{ reason: 'work' }}
        onFinish={(values) => mutation.mutate(values)}
        autoComplete="off"
        clearOnDestroy
      >
        {!(mutation.error instanceof z.ZodError) && (
          <ErrorAlert error={mutation.error} style={{ marginBottom: 16 }} />
        )}
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              label="外出日期"
              name="leftOn"
              rules={[{ required: true, message: '请选择外出日期' }]}
            >
              <DatePicker
                style={{ width: '100%' }}
                disabledDate={notAfterToday}
                placeholder="请选择日期"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label="流出地党组织" extra="即党员所在党组织">
              <Input value={member.orgName ?? '—'} disabled aria-label="流出地党组织" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item
              label="流入地"
              name="destinationRegionCode"
              rules={[{ required: true, message: '请选择流入地' }]}
              extra="流动范围（跨省、省内跨市、市内跨县）由系统根据流入地计算"
            >
              <RegionCascader />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item
              label="详细地址"
              name="destinationAddress"
              rules={[{ max: 200, message: '不超过200个字' }]}
            >
              <Input maxLength={200} placeholder="流入地的街道、门牌等" />
            </Form.Item>
          </Col>
          <WorkFields />
          <Col xs={24} md={12}>
            <Form.Item label="原职业" name="originalOccupation">
              <Select options={OCCUPATION_OPTIONS} allowClear placeholder="请选择" />
            </Form.Item>
          </Col>
          <ReasonFields direction="outflow" />
          <Col span={24}>
            <OrgChoiceFields
              label="接收党组织"
              modeName="hostOrgMode"
              idName="hostOrgId"
              textName="hostOrgText"
              extra="流入地接收党组织：系统内的请搜索选择，系统外的填写名称（尚未联系上可留空，落实时再填）"
            />
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
