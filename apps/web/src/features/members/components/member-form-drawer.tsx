import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Col,
  DatePicker,
  Drawer,
  Form,
  Input,
  Radio,
  Row,
  Select,
  Space,
  Typography,
} from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { z } from 'zod';
import { CreateMemberInput, UpdateMemberInput, type MemberDetail } from '@liudong/contracts';
import {
  EDUCATIONS,
  EDUCATION_LABELS,
  GENDERS,
  GENDER_LABELS,
  MEMBERSHIPS,
  MEMBERSHIP_LABELS,
  parseIdNumber,
  parsePhone,
  type OrgKind,
} from '@liudong/domain';
import { ApiError, isApiError } from '../../../api/client';
import { showZodErrors } from '../../../ui/zod-form';
import { activeGrant, useMe } from '../../auth/hooks/use-me';
import { OrgPicker } from '../../orgs/components/org-picker';
import { SaveErrorAlert } from '../../orgs/components/version-conflict-alert';
import { createMember, memberDetailQuery, updateMember } from '../api/members-api';
import { useInvalidateMemberLists } from '../hooks/use-invalidate-members';
import {
  idNumberHint,
  serverFieldErrors,
  toCreateInput,
  toFormValues,
  toUpdateInput,
  type MemberFormValues,
} from './member-form-values';

export type MemberFormTarget = { mode: 'create' } | { mode: 'edit'; member: MemberDetail };

const FORM_ID = 'member-form';

/** The kinds of org that hold members' records: branches and their equivalents. */
const MEMBER_ORG_KINDS: readonly OrgKind[] = [
  'branch',
  'general_branch',
  'temporary_branch',
  'mobile_party_org',
  'online_branch',
];

const EDUCATION_OPTIONS = EDUCATIONS.map((value) => ({ value, label: EDUCATION_LABELS[value] }));
const GENDER_OPTIONS = GENDERS.map((value) => ({ value, label: GENDER_LABELS[value] }));
const MEMBERSHIP_OPTIONS = MEMBERSHIPS.map((value) => ({
  value,
  label: MEMBERSHIP_LABELS[value],
}));

const notAfterToday = (date: dayjs.Dayjs) => date.isAfter(dayjs(), 'day');

const phoneRule = {
  validator: (_: unknown, value: string | undefined) => {
    if (!value?.trim()) return Promise.resolve();
    const parsed = parsePhone(value);
    return parsed.ok ? Promise.resolve() : Promise.reject(new Error(parsed.message));
  },
};

const idNumberRule = {
  validator: (_: unknown, value: string | undefined) => {
    if (!value?.trim()) return Promise.resolve();
    const parsed = parseIdNumber(value);
    return parsed.ok ? Promise.resolve() : Promise.reject(new Error(parsed.message));
  },
};

/** 新建党员 / 编辑党员 in one drawer: Enter saves, Esc closes. */
export function MemberFormDrawer({
  target,
  onClose,
  onSaved,
}: {
  target: MemberFormTarget | null;
  onClose: () => void;
  onSaved: (member: MemberDetail) => void;
}) {
  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      destroyOnHidden
      size={720}
      title={
        target?.mode === 'create'
          ? '新建党员'
          : target?.mode === 'edit'
            ? `编辑党员 · ${target.member.name}`
            : ''
      }
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" htmlType="submit" form={FORM_ID}>
            保存
          </Button>
        </Space>
      }
    >
      {target && (
        <MemberForm
          key={target.mode === 'edit' ? target.member.id : 'create'}
          target={target}
          onSaved={onSaved}
        />
      )}
    </Drawer>
  );
}

function MemberForm({
  target,
  onSaved,
}: {
  target: MemberFormTarget;
  onSaved: (member: MemberDetail) => void;
}) {
  const me = useMe();
  const [form] = Form.useForm<MemberFormValues>();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const invalidateMemberLists = useInvalidateMemberLists();
  // The record the edit is based on; replaced when the person reloads after a version conflict.
  const [base, setBase] = useState(target.mode === 'edit' ? target.member : null);
  const isEdit = base !== null;

  const idHint = idNumberHint(Form.useWatch('idNumber', form));
  const membership = Form.useWatch('membership', form);

  // A branch officer registers members of their own branch: start from it.
  const grant = activeGrant(me);
  const defaultOrg = grant?.role === 'branch_officer' ? grant : null;

  const mutation = useMutation({
    mutationFn: (values: MemberFormValues): Promise<MemberDetail> => {
      if (!base) {
        const parsed = CreateMemberInput.safeParse(toCreateInput(values));
        if (!parsed.success) throw parsed.error;
        return createMember(parsed.data);
      }
      const parsed = UpdateMemberInput.safeParse(toUpdateInput(values, base.version));
      if (!parsed.success) throw parsed.error;
      return updateMember(base.id, parsed.data);
    },
    onSuccess: async (member) => {
      message.success(isEdit ? '党员信息已保存' : `已新建党员「${member.name}」`);
      queryClient.setQueryData(memberDetailQuery(member.id).queryKey, member);
      await invalidateMemberLists();
      onSaved(member);
    },
    onError: (error) => {
      if (error instanceof z.ZodError) {
        showZodErrors(form, error);
      } else if (isApiError(error, 'validation_failed') || isApiError(error, 'conflict')) {
        // Each message next to its field; for a duplicate ID number the server's own sentence
        // (it may name the member already registered).
        const { fields } = serverFieldErrors(error.details);
        form.setFields(
          (error.code === 'conflict'
            ? fields.map((field) => ({ ...field, errors: [error.message] }))
            : fields) as Parameters<typeof form.setFields>[0],
        );
      }
    },
  });

  const reload = async () => {
    if (!base) return;
    const fresh = await queryClient.fetchQuery({ ...memberDetailQuery(base.id), staleTime: 0 });
    setBase(fresh);
    // Keep what was typed into the personal fields; everything else comes from the fresh record.
    form.setFieldsValue(toFormValues(fresh));
    mutation.reset();
  };

  const serverError = (() => {
    const error = mutation.error;
    if (!error || error instanceof z.ZodError) return null;
    if (isApiError(error, 'validation_failed')) {
      // Messages placed on their fields are not repeated above the form.
      const { fields, other } = serverFieldErrors(error.details);
      if (fields.length === 0) return error;
      return new ApiError(
        error.status,
        error.code,
        other.length > 0
          ? '提交的内容有误，请修改后重试'
          : '提交的内容有误，请按各栏下方的提示修改',
        other,
      );
    }
    return error;
  })();

  const initialValues: MemberFormValues = base
    ? toFormValues(base)
    : {
        name: '',
        membership: 'full',
        education: null,
        orgId: defaultOrg?.orgId ?? null,
      };

  const personalPlaceholder = (masked: string | null | undefined, fallback: string) =>
    isEdit ? (masked ?? '未登记') + '（留空则不修改）' : fallback;

  return (
    <Form<MemberFormValues>
      form={form}
      id={FORM_ID}
      layout="vertical"
      disabled={mutation.isPending}
      initialValues={initialValues}
      onFinish={(values) => mutation.mutate(values)}
      onValuesChange={(changed: Partial<MemberFormValues>) => {
        if (changed.idNumber !== undefined) {
          const parsed = parseIdNumber(changed.idNumber);
          if (parsed.ok) form.setFieldValue('gender', parsed.gender);
        }
        if (changed.membership === 'probationary') form.setFieldValue('fullMemberOn', null);
      }}
      autoComplete="off"
    >
      <SaveErrorAlert error={serverError} onReload={() => void reload()} />
      {isEdit && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title="身份证号、手机号、住址等个人信息以脱敏形式显示在输入框中，如需修改请直接输入新值，留空则保持不变。"
        />
      )}
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
            rules={[idNumberRule]}
            extra={idHint?.ok ? idHint.text : undefined}
          >
            <Input
              maxLength={40}
              placeholder={personalPlaceholder(base?.idNumberMasked, '18位公民身份号码')}
              style={{ fontVariantNumeric: 'tabular-nums' }}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            label="性别"
            name="gender"
            rules={[{ required: true, message: '请选择性别' }]}
            extra={idHint?.ok ? '已根据身份证号填写' : undefined}
          >
            <Radio.Group options={GENDER_OPTIONS} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item label="民族" name="ethnicity" rules={[{ max: 20, message: '不超过20个字' }]}>
            <Input maxLength={20} placeholder="如：汉族" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item label="学历" name="education">
            <Select options={EDUCATION_OPTIONS} allowClear placeholder="请选择" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item label="手机号" name="phone" validateDebounce={300} rules={[phoneRule]}>
            <Input
              maxLength={40}
              inputMode="tel"
              placeholder={personalPlaceholder(base?.phoneMasked, '手机号码或固定电话')}
            />
          </Form.Item>
        </Col>
        <Col span={24}>
          <Form.Item
            label="家庭住址"
            name="homeAddress"
            rules={[{ max: 200, message: '不超过200个字' }]}
          >
            <Input maxLength={200} placeholder={personalPlaceholder(base?.homeAddressMasked, '')} />
          </Form.Item>
        </Col>
        <Col span={24}>
          <Form.Item
            label="现居住地"
            name="currentAddress"
            rules={[{ max: 200, message: '不超过200个字' }]}
          >
            <Input
              maxLength={200}
              placeholder={personalPlaceholder(base?.currentAddressMasked, '')}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            label="紧急联系人"
            name="emergencyContactName"
            rules={[{ max: 40, message: '不超过40个字' }]}
          >
            <Input maxLength={40} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            label="紧急联系人电话"
            name="emergencyContactPhone"
            validateDebounce={300}
            rules={[phoneRule]}
          >
            <Input
              maxLength={40}
              inputMode="tel"
              placeholder={personalPlaceholder(base?.emergencyContactPhoneMasked, '')}
            />
          </Form.Item>
        </Col>
        <Col span={24}>
          {isEdit ? (
            <Form.Item label="所属党组织" extra="组织关系变动请通过组织关系转接办理">
              <Input value={base.orgName ?? '—'} disabled aria-label="所属党组织" />
            </Form.Item>
          ) : (
            <Form.Item
              label="所属党组织"
              name="orgId"
              rules={[{ required: true, message: '请选择所属党组织' }]}
              extra="可选党支部、党总支、临时党支部、流动党员党组织或网上党支部"
            >
              <OrgPicker
                initialLabel={defaultOrg?.orgName}
                placeholder="输入党支部名称搜索"
                filter={(org) => org.dissolvedOn === null && MEMBER_ORG_KINDS.includes(org.kind)}
              />
            </Form.Item>
          )}
        </Col>
        <Col xs={24} md={12}>
          <Form.Item label="入党日期" name="joinedOn" dependencies={['fullMemberOn']}>
            <DatePicker
              style={{ width: '100%' }}
              disabledDate={notAfterToday}
              placeholder="请选择日期"
            />
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
        <Col xs={24} md={12}>
          <Form.Item
            label="转正日期"
            name="fullMemberOn"
            dependencies={['joinedOn']}
            extra={membership === 'probationary' ? '预备党员无转正日期' : undefined}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, value: dayjs.Dayjs | null | undefined) => {
                  const joinedOn = getFieldValue('joinedOn') as dayjs.Dayjs | null | undefined;
                  return value && joinedOn && value.isBefore(joinedOn, 'day')
                    ? Promise.reject(new Error('转正日期不能早于入党日期'))
                    : Promise.resolve();
                },
              }),
            ]}
          >
            <DatePicker
              style={{ width: '100%' }}
              disabled={membership === 'probationary'}
              disabledDate={notAfterToday}
              placeholder="请选择日期"
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            label="党内职务"
            name="partyPosts"
            rules={[{ max: 100, message: '不超过100个字' }]}
          >
            <Input maxLength={100} placeholder="如：支部委员、组织委员" />
          </Form.Item>
        </Col>
      </Row>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0 }}>
        身份证号、手机号和住址加密保存；列表与详情中仅显示脱敏信息。
      </Typography.Paragraph>
    </Form>
  );
}
