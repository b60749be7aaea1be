import { useState } from 'react';
import {
  Alert,
  App,
  Checkbox,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Modal,
  Radio,
  Typography,
} from 'antd';
import { useMutation } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { z } from 'zod';
import {
  CreateLiaisonInput,
  RetireLiaisonInput,
  UpdateLiaisonInput,
  type Liaison,
} from '@liudong/contracts';
import { isValidPhone } from '@liudong/domain';
import { isApiError } from '../../../api/client';
import { ErrorAlert } from '../../../ui/error-alert';
import { blankToNull, orEmpty } from '../../../ui/format';
import { showZodErrors } from '../../../ui/zod-form';
import { activeGrant, useMe } from '../../auth/hooks/use-me';
import { OrgPicker } from '../../orgs/components/org-picker';
import { createLiaison, retireLiaison, updateLiaison } from '../api/contacts-api';
import { isFutureDay } from '../contact-values';
import { useRefreshAfterAssignment } from '../hooks/use-refresh-after-assignment';
import { LiaisonAccountSelect } from './liaison-account-select';
import { LiaisonSelect } from './liaison-select';

const CONFLICT_TEXT = '该联络员刚被他人修改，已重新读取，请核对后再保存';

const phoneRules = [
  {
    validator: async (_: unknown, value: string | undefined) => {
      if (value && value.trim() && !isValidPhone(value))
        throw new Error('请填写正确的手机号码（11位）');
    },
  },
];

/** Who the new liaison is: an account of the scope, the actor themself, or a named person. */
type LiaisonSource = 'account' | 'self' | 'named';

interface CreateValues {
  orgId?: string | null;
  source?: LiaisonSource;
  accountId?: string | null;
  name?: string;
  title?: string;
  phone?: string;
}

const CREATE_FORM_ID = 'liaison-create-form';

/**
 * 新增联络员 (定人), by default in the active org: an account with a business role in the scope
 * (found through the liaison candidates, since a branch officer has no accounts list: accounts
 * are the security admin's, 三员分立), the actor themself, or a named person without an account
 * (a branch committee member who never logs in; reminders go by SMS).
 */
export function CreateLiaisonModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const me = useMe();
  const grant = activeGrant(me);
  const [form] = Form.useForm<CreateValues>();
  const source = Form.useWatch('source', form) ?? 'account';
  // The picker's label of an org set from here (an account's org) rather than picked in it.
  const [orgLabel, setOrgLabel] = useState(grant?.orgName);
  const { message } = App.useApp();
  const refresh = useRefreshAfterAssignment();
  const mutation = useMutation({
    mutationFn: (values: CreateValues) => {
      const accountId =
        values.source === 'self'
          ? me.account.id
          : values.source === 'account'
            ? (values.accountId ?? null)
            : null;
      const parsed = CreateLiaisonInput.safeParse({
        orgId: values.orgId ?? '',
        accountId,
        // An account liaison is named after the account (the server takes its display name).
        name: values.source === 'named' ? blankToNull(values.name) : null,
        title: blankToNull(values.title),
        phone: blankToNull(values.phone),
      });
      if (!parsed.success) return Promise.reject(parsed.error);
      return createLiaison(parsed.data);
    },
    onSuccess: async (liaison) => {
      message.success(`已新增联络员 ${liaison.name}`);
      await refresh();
      onClose();
    },
    onError: (error) => {
      if (error instanceof z.ZodError) showZodErrors(form, error);
    },
  });
  return (
    <Modal
      open={open}
      title="新增联络员"
      destroyOnHidden
      onCancel={onClose}
      okText="保存"
      okButtonProps={{ htmlType: 'submit', form: CREATE_FORM_ID, loading: mutation.isPending }}
      afterClose={() => mutation.reset()}
    >
      <Form<CreateValues>
        form={form}
        id={CREATE_FORM_ID}
        layout="vertical"
        disabled={mutation.isPending}
        initialValues={{ orgId: grant?.orgId ?? null, source: 'account' }}
        onFinish={(values) => mutation.mutate(values)}
        autoComplete="off"
        clearOnDestroy
      >
        {mutation.error && !(mutation.error instanceof z.ZodError) && (
          <ErrorAlert error={mutation.error} style={{ marginBottom: 16 }} />
        )}
        <Form.Item
          label="所在组织"
          name="orgId"
          rules={[{ required: true, message: '请选择联络员所在组织' }]}
        >
          <OrgPicker initialLabel={orgLabel} />
        </Form.Item>
        <Form.Item label="联络员" name="source" style={{ marginBottom: 12 }}>
          <Radio.Group
            options={[
              { value: 'account', label: '选择系统账号' },
              { value: 'named', label: '按姓名登记（无账号）' },
              { value: 'self', label: '由我本人担任' },
            ]}
          />
        </Form.Item>
        {source === 'account' && (
          <Form.Item
            label="账号"
            name="accountId"
            rules={[{ required: true, message: '请选择联络员的账号' }]}
            extra="可选本组织及下级持有业务角色的账号；联络员可在“联系工作”中查看自己负责的党员。"
          >
            <LiaisonAccountSelect
              autoFocus
              onChange={(_, candidate) => {
                // The liaison usually works where the account holds its role: that org by
                // default; the officer may still pick another one above.
                if (!candidate) return;
                setOrgLabel(candidate.orgName);
                form.setFieldValue('orgId', candidate.orgId);
              }}
            />
          </Form.Item>
        )}
        {source === 'self' && (
          <Typography.Paragraph type="secondary">
            关联我的账号（{me.account.displayName}），可在“联系工作”中查看我负责的党员。
          </Typography.Paragraph>
        )}
        {source === 'named' && (
          <Form.Item
            label="姓名"
            name="name"
            rules={[
              { required: true, whitespace: true, message: '请填写联络员姓名' },
              { max: 40, message: '不超过40个字' },
            ]}
            extra="按姓名登记的联络员没有系统账号：提醒通过短信发送，联系记录由支部代为登记。"
          >
            <Input maxLength={40} autoFocus />
          </Form.Item>
        )}
        <Form.Item label="职务" name="title" rules={[{ max: 40, message: '不超过40个字' }]}>
          <Input maxLength={40} placeholder="如：支部组织委员" />
        </Form.Item>
        <Form.Item
          label="手机号码"
          name="phone"
          rules={phoneRules}
          extra="用于发送联系提醒短信；加密保存，列表中只显示脱敏号码"
        >
          <Input maxLength={20} inputMode="tel" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface EditValues {
  name?: string;
  title?: string;
  phone?: string;
  clearPhone?: boolean;
}

const EDIT_FORM_ID = 'liaison-edit-form';

/** 编辑 a liaison: name (for one without an account), title, phone (blank keeps the old one). */
export function EditLiaisonModal({
  liaison,
  onClose,
}: {
  liaison: Liaison | null;
  onClose: () => void;
}) {
  const [form] = Form.useForm<EditValues>();
  const clearPhone = Form.useWatch('clearPhone', form) ?? false;
  const { message } = App.useApp();
  const refresh = useRefreshAfterAssignment();
  const mutation = useMutation({
    mutationFn: (values: EditValues) => {
      if (!liaison) return Promise.reject(new Error('请先选择联络员'));
      const phone = values.clearPhone ? null : (blankToNull(values.phone) ?? undefined);
      const parsed = UpdateLiaisonInput.safeParse({
        ...(liaison.accountId ? {} : { name: values.name?.trim() ?? '' }),
        title: blankToNull(values.title),
        ...(phone === undefined ? {} : { phone }),
        version: liaison.version,
      });
      if (!parsed.success) return Promise.reject(parsed.error);
      return updateLiaison(liaison.id, parsed.data);
    },
    onSuccess: async (saved) => {
      message.success(`已保存联络员 ${saved.name}`);
      await refresh();
      onClose();
    },
    onError: async (error) => {
      if (error instanceof z.ZodError) showZodErrors(form, error);
      if (isApiError(error, 'version_conflict')) await refresh();
    },
  });
  return (
    <Modal
      open={liaison !== null}
      title={liaison ? `编辑联络员 · ${liaison.name}` : '编辑联络员'}
      destroyOnHidden
      onCancel={onClose}
      okText="保存"
      okButtonProps={{ htmlType: 'submit', form: EDIT_FORM_ID, loading: mutation.isPending }}
      afterClose={() => mutation.reset()}
    >
      {liaison && (
        <Form<EditValues>
          form={form}
          id={EDIT_FORM_ID}
          layout="vertical"
          disabled={mutation.isPending}
          initialValues={{ name: liaison.name, title: liaison.title ?? '', clearPhone: false }}
          onFinish={(values) => mutation.mutate(values)}
          autoComplete="off"
          clearOnDestroy
        >
          {mutation.error && !(mutation.error instanceof z.ZodError) && (
            <ErrorAlert
              error={
                isApiError(mutation.error, 'version_conflict')
                  ? new Error(CONFLICT_TEXT)
                  : mutation.error
              }
              style={{ marginBottom: 16 }}
            />
          )}
          <Form.Item
            label="姓名"
            name="name"
            rules={[
              { required: true, whitespace: true, message: '请填写联络员姓名' },
              { max: 40, message: '不超过40个字' },
            ]}
            extra={liaison.accountId ? `姓名随账号 ${orEmpty(liaison.username)}，在此不能修改` : ''}
          >
            <Input maxLength={40} disabled={!!liaison.accountId} />
          </Form.Item>
          <Form.Item label="职务" name="title" rules={[{ max: 40, message: '不超过40个字' }]}>
            <Input maxLength={40} autoFocus />
          </Form.Item>
          <Form.Item
            label="手机号码"
            name="phone"
            rules={phoneRules}
            extra={
              liaison.phoneMasked
                ? `当前：${liaison.phoneMasked}；留空表示不修改`
                : '尚未登记手机号码'
            }
          >
            <Input maxLength={20} inputMode="tel" disabled={clearPhone} />
          </Form.Item>
          {liaison.phoneMasked && (
            <Form.Item name="clearPhone" valuePropName="checked">
              <Checkbox>删除已登记的手机号码</Checkbox>
            </Form.Item>
          )}
        </Form>
      )}
    </Modal>
  );
}

interface RetireValues {
  toLiaisonId?: string;
  leftOn?: Dayjs;
  reason?: string;
}

const RETIRE_FORM_ID = 'liaison-retire-form';

/**
 * 调离并移交: the liaison leaves, and every member they looked after moves to the successor in the
 * same step (no member is left without a liaison, issue 4 §1).
 */
export function RetireLiaisonModal({
  liaison,
  onClose,
}: {
  liaison: Liaison | null;
  onClose: () => void;
}) {
  const [form] = Form.useForm<RetireValues>();
  const { message } = App.useApp();
  const refresh = useRefreshAfterAssignment();
  const [successorName, setSuccessorName] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: (values: RetireValues) => {
      if (!liaison) return Promise.reject(new Error('请先选择联络员'));
      const parsed = RetireLiaisonInput.safeParse({
        toLiaisonId: values.toLiaisonId ?? '',
        leftOn: values.leftOn?.format('YYYY-MM-DD') ?? '',
        reason: values.reason?.trim() ?? '',
        version: liaison.version,
      });
      if (!parsed.success) return Promise.reject(parsed.error);
      return retireLiaison(liaison.id, parsed.data);
    },
    onSuccess: async (result) => {
      message.success(
        `${liaison?.name ?? '联络员'}已调离，${result.moved} 名党员已移交给${successorName ?? '接任联络员'}`,
      );
      await refresh();
      onClose();
    },
    onError: async (error) => {
      if (error instanceof z.ZodError) showZodErrors(form, error);
      if (isApiError(error, 'version_conflict')) await refresh();
    },
  });
  return (
    <Modal
      open={liaison !== null}
      title={liaison ? `调离并移交 · ${liaison.name}` : '调离并移交'}
      destroyOnHidden
      onCancel={onClose}
      okText="确认调离并移交"
      okButtonProps={{
        htmlType: 'submit',
        form: RETIRE_FORM_ID,
        loading: mutation.isPending,
        danger: true,
      }}
      afterClose={() => mutation.reset()}
    >
      {liaison && (
        <Form<RetireValues>
          form={form}
          id={RETIRE_FORM_ID}
          layout="vertical"
          disabled={mutation.isPending}
          initialValues={{ leftOn: dayjs() }}
          onFinish={(values) => mutation.mutate(values)}
          autoComplete="off"
          clearOnDestroy
        >
          <Descriptions
            size="small"
            bordered
            column={1}
            style={{ marginBottom: 16 }}
            items={[
              { key: 'org', label: '所在组织', children: liaison.orgName },
              { key: 'count', label: '负责党员', children: `${liaison.memberCount} 人` },
            ]}
          />
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={`调离后，${liaison.name}负责的 ${liaison.memberCount} 名党员全部移交给接任联络员，联系周期和职责不变；调离不可撤销。`}
          />
          {mutation.error && !(mutation.error instanceof z.ZodError) && (
            <ErrorAlert
              error={
                isApiError(mutation.error, 'version_conflict')
                  ? new Error(CONFLICT_TEXT)
                  : mutation.error
              }
              style={{ marginBottom: 16 }}
            />
          )}
          <Form.Item
            label="接任联络员"
            name="toLiaisonId"
            rules={[{ required: true, message: '请选择接任的联络员' }]}
          >
            <LiaisonSelect
              excludeId={liaison.id}
              autoFocus
              onChange={(_, picked) => setSuccessorName(picked?.name ?? null)}
            />
          </Form.Item>
          <Form.Item
            label="调离日期"
            name="leftOn"
            rules={[{ required: true, message: '请选择调离日期' }]}
          >
            <DatePicker
              style={{ width: '100%' }}
              disabledDate={(date) => isFutureDay(date)}
              allowClear={false}
            />
          </Form.Item>
          <Form.Item
            label="调离原因"
            name="reason"
            rules={[
              { required: true, whitespace: true, message: '请写明调离原因' },
              { max: 200, message: '不超过200个字' },
            ]}
          >
            <Input.TextArea maxLength={200} autoSize={{ minRows: 2, maxRows: 4 }} />
          </Form.Item>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            移交记入审计日志。
          </Typography.Text>
        </Form>
      )}
    </Modal>
  );
}
