import { App, Col, DatePicker, Divider, Form, Input, Modal, Radio, Row } from 'antd';
import { useMutation } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { z } from 'zod';
import { RegisterInflowInput, type MobilityDetail } from '@liudong/contracts';
import { MEMBERSHIPS, MEMBERSHIP_LABELS, parsePhone } from '@liudong/domain';
import { isApiError } from '../../../api/client';
import { ErrorAlert } from '../../../ui/error-alert';
import { showZodErrors } from '../../../ui/zod-form';
import { activeGrant, useMe } from '../../auth/hooks/use-me';
import { idNumberHint } from '../../members/components/member-form-values';
import { OrgChoiceFields } from '../../orgs/components/org-directory-select';
import { OrgPicker } from '../../orgs/components/org-picker';
import { registerInflow } from '../api/mobility-api';
import { useRefreshAfterMobility } from '../hooks/use-refresh-after-mobility';
import {
  INFLOW_FORM_FIELDS,
  errorAboveForm,
  fieldErrorsOf,
  toInflowInput,
  type InflowFormValues,
} from './mobility-form-values';
import { ReasonFields, WorkFields } from './episode-fields';

const FORM_ID = 'inflow-form';
const notAfterToday = (date: dayjs.Dayjs) => date.isAfter(dayjs(), 'day');
const MEMBERSHIP_OPTIONS = MEMBERSHIPS.map((value) => ({
  value,
  label: MEMBERSHIP_LABELS[value],
}));

const idNumberRule = {
  validator: (_: unknown, value: string | undefined) => {
    const hint = idNumberHint(value);
    return hint && !hint.ok ? Promise.reject(new Error(hint.message)) : Promise.resolve();
  },
};

const phoneRule = {
  validator: (_: unknown, value: string | undefined) => {
    if (!value?.trim()) return Promise.resolve();
    const parsed = parsePhone(value);
    return parsed.ok ? Promise.resolve() : Promise.reject(new Error(parsed.message));
  },
};

/**
 * 流入登记 (issue 3 §4): a member arriving from elsewhere registers at a station or with a host
 * branch in the actor's scope. The home org is picked from the whole system, or written as is
 * with its region when it lies outside. The server matches the person by ID number and links an
 * existing record instead of creating a second one. Enter saves, Esc closes.
 */
export function InflowFormModal({
  open,
  onClose,
  onRegistered,
}: {
  open: boolean;
  onClose: () => void;
  onRegistered?: (mobility: MobilityDetail) => void;
}) {
  const me = useMe();
  const [form] = Form.useForm<InflowFormValues>();
  const { message } = App.useApp();
  const refresh = useRefreshAfterMobility();
  const idHint = idNumberHint(Form.useWatch('idNumber', form));
  // The receiving org starts as the actor's own (a station or host branch registers its arrivals).
  const grant = activeGrant(me);

  const mutation = useMutation({
    mutationFn: (values: InflowFormValues): Promise<MobilityDetail> => {
      const parsed = RegisterInflowInput.safeParse(toInflowInput(values));
      if (!parsed.success) throw parsed.error;
      return registerInflow(parsed.data);
    },
    onSuccess: async (mobility) => {
      message.success(`已登记「${mobility.memberName}」流入`);
      await refresh(mobility.memberId);
      onClose();
      onRegistered?.(mobility);
    },
    onError: (error) => {
      if (error instanceof z.ZodError) showZodErrors(form, error);
      else if (isApiError(error, 'validation_failed')) {
        const { fields } = fieldErrorsOf(error.details, INFLOW_FORM_FIELDS);
        form.setFields(fields as Parameters<typeof form.setFields>[0]);
      }
    },
  });

  // Messages placed next to their fields are not repeated above the form.
  const serverError = errorAboveForm(mutation.error, INFLOW_FORM_FIELDS);

  return (
    <Modal
      open={open}
      title="流入登记"
      width={820}
      destroyOnHidden
      onCancel={onClose}
      okText="登记"
      okButtonProps={{ htmlType: 'submit', form: FORM_ID, loading: mutation.isPending }}
      afterClose={() => mutation.reset()}
    >
      <Form<InflowFormValues>
        form={form}
        id={FORM_ID}
        layout="vertical"
        disabled={mutation.isPending}
        initialValues={{
          membership: 'full',
          reason: 'work',
          arrivedOn: dayjs(),
          hostOrgId: grant?.orgId ?? null,
        }}
        onFinish={(values) => mutation.mutate(values)}
        autoComplete="off"
        clearOnDestroy
      >
        <ErrorAlert error={serverError} style={{ marginBottom: 16 }} />
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              label="姓名"
              name="name"
              rules={[
                { required: true, whitespace: true, message: '请输入姓名' },
                { max: 40, message: '姓名不超过40个字' },
              ]}
            >
              <Input autoFocus maxLength={40} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              label="身份证号"
              name="idNumber"
              validateDebounce={300}
              rules={[
                { required: true, whitespace: true, message: '请填写身份证号码' },
                idNumberRule,
              ]}
              extra={
                idHint?.ok
                  ? idHint.text
                  : '按身份证号关联已登记的党员，不会重复建档，也不会改动原有信息'
              }
            >
              <Input
                maxLength={40}
                placeholder="18位公民身份号码"
                style={{ fontVariantNumeric: 'tabular-nums' }}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label="手机号" name="phone" validateDebounce={300} rules={[phoneRule]}>
              <Input maxLength={40} inputMode="tel" placeholder="手机号码或固定电话" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              label="党员类别"
              name="membership"
              rules={[{ required: true, message: '请选择党员类别' }]}
            >
              <Radio.Group options={MEMBERSHIP_OPTIONS} />
            </Form.Item>
          </Col>
        </Row>

        <Divider titlePlacement="start" plain style={{ marginTop: 0 }}>
          流出地
        </Divider>
        <Row gutter={16}>
          <Col span={24}>
            <OrgChoiceFields
              label="流出地党组织"
              modeName="homeOrgMode"
              idName="homeOrgId"
              textName="homeOrgText"
              regionName="homeRegionCode"
              required
              extra="党员组织关系所在的党组织：系统内的请搜索选择，系统外的填写全称并选择所在地"
            />
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              label="流动党员活动证编号"
              name="certificateNumber"
              rules={[{ max: 40, message: '不超过40个字' }]}
              extra="按活动证上的编号填写；未持证可留空"
            >
              <Input maxLength={40} style={{ fontVariantNumeric: 'tabular-nums' }} />
            </Form.Item>
          </Col>
        </Row>

        <Divider titlePlacement="start" plain style={{ marginTop: 0 }}>
          流入情况
        </Divider>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              label="接收党组织"
              name="hostOrgId"
              rules={[{ required: true, message: '请选择接收党组织' }]}
              extra="本组织或管辖范围内的党支部、服务站"
            >
              <OrgPicker
                initialLabel={grant?.orgName}
                placeholder="输入组织名称搜索"
                filter={(org) => org.dissolvedOn === null}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              label="流入日期"
              name="arrivedOn"
              rules={[{ required: true, message: '请选择流入日期' }]}
            >
              <DatePicker
                style={{ width: '100%' }}
                disabledDate={notAfterToday}
                placeholder="请选择日期"
              />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item
              label="现居住地址"
              name="currentAddress"
              rules={[{ max: 200, message: '不超过200个字' }]}
            >
              <Input maxLength={200} placeholder="在本地的街道、门牌等" />
            </Form.Item>
          </Col>
          <WorkFields />
          <ReasonFields direction="inflow" />
          <Col xs={24} md={12}>
            <Form.Item
              label="接收党组织联系人"
              name="hostContact"
              rules={[{ max: 100, message: '不超过100个字' }]}
            >
              <Input maxLength={100} placeholder="联系人及电话" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
