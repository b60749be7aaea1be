import { useState } from 'react';
import {
  App,
  Button,
  Checkbox,
  Divider,
  Flex,
  Form,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Skeleton,
  Table,
  Typography,
} from 'antd';
import { SettingOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import {
  ContactSettings,
  SetOrgScheduleInput,
  type ContactCategory,
  type OrgSchedule,
} from '@liudong/contracts';
import {
  CONTACT_CATEGORIES,
  CONTACT_CATEGORY_LABELS,
  LOST_CONTACT_MONTHS,
  MAX_CONTACT_INTERVAL_MONTHS,
} from '@liudong/domain';
import { ErrorAlert } from '../../../ui/error-alert';
import { showZodErrors } from '../../../ui/zod-form';
import { OrgPicker } from '../../orgs/components/org-picker';
import {
  contactKeys,
  contactSettingsQuery,
  orgSchedulesQuery,
  setOrgSchedule,
  updateContactSettings,
} from '../api/contacts-api';
import { intervalText } from '../contact-values';
import { useRefreshAfterAssignment } from '../hooks/use-refresh-after-assignment';

const FORM_ID = 'contact-settings-form';
const WARNING_OPTIONS = Array.from({ length: LOST_CONTACT_MONTHS - 1 }, (_, i) => ({
  value: i + 1,
  label: `满${i + 1}个月`,
}));
const CATEGORY_OPTIONS = CONTACT_CATEGORIES.map((value) => ({
  value,
  label: CONTACT_CATEGORY_LABELS[value],
}));

/**
 * 定时 and the lost-contact warnings (contact.configure; the caller shows this to its holders):
 * the default intervals, the warning points before the 6-month mark (DOMAIN.md §4: default 3 and
 * 5) and per-org rules that override the default for an org's subtree.
 */
export function ContactSettingsButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button icon={<SettingOutlined />} onClick={() => setOpen(true)}>
        联系周期与预警设置
      </Button>
      <Modal
        open={open}
        title="联系周期与失联预警设置"
        width={720}
        destroyOnHidden
        onCancel={() => setOpen(false)}
        okText="保存默认设置"
        okButtonProps={{ htmlType: 'submit', form: FORM_ID }}
      >
        {open && (
          <>
            <DefaultsForm onDone={() => setOpen(false)} />
            <Divider titlePlacement="start" plain>
              各组织的联系周期
            </Divider>
            <OrgSchedules />
          </>
        )}
      </Modal>
    </>
  );
}

function DefaultsForm({ onDone }: { onDone: () => void }) {
  const [form] = Form.useForm<ContactSettings>();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const refresh = useRefreshAfterAssignment();
  const settings = useQuery({ ...contactSettingsQuery(), staleTime: 0 });
  const mutation = useMutation({
    mutationFn: (values: ContactSettings) => {
      const parsed = ContactSettings.safeParse({
        ...values,
        warningMonths: [...(values.warningMonths ?? [])].sort((a, b) => a - b),
      });
      if (!parsed.success) return Promise.reject(parsed.error);
      return updateContactSettings(parsed.data);
    },
    onSuccess: async (saved) => {
      queryClient.setQueryData(contactKeys.settings, saved);
      message.success('已保存联系周期与预警设置');
      await refresh();
      onDone();
    },
    onError: (error) => {
      if (error instanceof z.ZodError) showZodErrors(form, error);
    },
  });

  if (settings.isPending) return <Skeleton active paragraph={{ rows: 3 }} />;
  if (settings.error) return <ErrorAlert error={settings.error} />;

  const monthRules = [
    { required: true, message: '请填写月数' },
    {
      type: 'number' as const,
      min: 1,
      max: MAX_CONTACT_INTERVAL_MONTHS,
      message: `1至${MAX_CONTACT_INTERVAL_MONTHS}个月（条例第34条：出国（境）党员至少每6个月联系一次）`,
    },
  ];
  return (
    <Form<ContactSettings>
      form={form}
      id={FORM_ID}
      layout="vertical"
      disabled={mutation.isPending}
      initialValues={settings.data}
      onFinish={(values) => mutation.mutate(values)}
      autoComplete="off"
    >
      {mutation.error && !(mutation.error instanceof z.ZodError) && (
        <ErrorAlert error={mutation.error} style={{ marginBottom: 16 }} />
      )}
      <Flex gap={16} wrap>
        <Form.Item
          label="境内流出党员"
          name={['defaultIntervalMonths', 'domestic']}
          rules={monthRules}
        >
          <InputNumber
            autoFocus
            min={1}
            max={MAX_CONTACT_INTERVAL_MONTHS}
            precision={0}
            prefix="每"
            suffix="个月一次"
            style={{ width: 200 }}
          />
        </Form.Item>
        <Form.Item
          label="出国（境）党员"
          name={['defaultIntervalMonths', 'abroad']}
          rules={monthRules}
        >
          <InputNumber
            min={1}
            max={MAX_CONTACT_INTERVAL_MONTHS}
            precision={0}
            prefix="每"
            suffix="个月一次"
            style={{ width: 200 }}
          />
        </Form.Item>
      </Flex>
      <Form.Item
        label="失联预警时点"
        name="warningMonths"
        rules={[{ required: true, type: 'array', min: 1, message: '至少选择一个预警时点' }]}
        extra="自最近一次参加组织生活、交纳党费或联系上本人起计算；满6个月为失联。系统只提醒，由党支部研究处理（条例第24、31条）。"
      >
        <Checkbox.Group options={WARNING_OPTIONS} />
      </Form.Item>
    </Form>
  );
}

interface RuleValues {
  orgId?: string | null;
  category?: ContactCategory;
  intervalMonths?: number;
}

/** Per-org rules: the nearest org's rule applies to its subtree; removing it restores the parent's. */
function OrgSchedules() {
  const [form] = Form.useForm<RuleValues>();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const refresh = useRefreshAfterAssignment();
  const schedules = useQuery(orgSchedulesQuery());
  const mutation = useMutation({
    mutationFn: (input: SetOrgScheduleInput) => setOrgSchedule(input),
    onSuccess: async (_, input) => {
      message.success(input.intervalMonths === null ? '已删除该组织的规定' : '已保存该组织的规定');
      await queryClient.invalidateQueries({ queryKey: contactKeys.schedules });
      await refresh();
      if (input.intervalMonths !== null) form.resetFields();
    },
  });
  const add = (values: RuleValues) => {
    const parsed = SetOrgScheduleInput.safeParse({
      orgId: values.orgId ?? '',
      category: values.category,
      intervalMonths: values.intervalMonths,
    });
    if (!parsed.success) {
      showZodErrors(form, parsed.error);
      return;
    }
    mutation.mutate(parsed.data);
  };
  return (
    <Flex vertical gap={12}>
      <ErrorAlert error={schedules.error ?? mutation.error} />
      <Table<OrgSchedule>
        size="small"
        rowKey={(rule) => `${rule.orgId}:${rule.category}`}
        loading={schedules.isFetching}
        dataSource={schedules.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: '尚无组织单独规定，均按上面的默认周期' }}
        columns={[
          { title: '组织', dataIndex: 'orgName' },
          {
            title: '类别',
            dataIndex: 'category',
            width: 110,
            render: (value: ContactCategory) => CONTACT_CATEGORY_LABELS[value],
          },
          {
            title: '联系周期',
            dataIndex: 'intervalMonths',
            width: 110,
            render: (value: number) => intervalText(value),
          },
          {
            title: '操作',
            key: 'actions',
            width: 72,
            render: (_, rule) => (
              <Popconfirm
                title={`删除「${rule.orgName}」的规定？`}
                description="删除后按上级组织的规定或默认周期"
                okText="删除"
                cancelText="取消"
                onConfirm={() =>
                  mutation.mutateAsync({
                    orgId: rule.orgId,
                    category: rule.category,
                    intervalMonths: null,
                  })
                }
              >
                <Button type="link" size="small" danger>
                  删除
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Form<RuleValues>
        form={form}
        layout="inline"
        disabled={mutation.isPending}
        initialValues={{ category: 'domestic' }}
        onFinish={add}
        autoComplete="off"
        style={{ rowGap: 8 }}
      >
        <Form.Item
          name="orgId"
          rules={[{ required: true, message: '请选择组织' }]}
          style={{ width: 240 }}
        >
          <OrgPicker />
        </Form.Item>
        <Form.Item name="category">
          <Select options={CATEGORY_OPTIONS} style={{ width: 120 }} aria-label="类别" />
        </Form.Item>
        <Form.Item name="intervalMonths" rules={[{ required: true, message: '请填写月数' }]}>
          <InputNumber
            min={1}
            max={MAX_CONTACT_INTERVAL_MONTHS}
            precision={0}
            prefix="每"
            suffix="个月"
            style={{ width: 130 }}
            aria-label="联系周期（月）"
          />
        </Form.Item>
        <Form.Item>
          <Button htmlType="submit" loading={mutation.isPending}>
            添加或修改
          </Button>
        </Form.Item>
      </Form>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        同一组织同一类别只有一条规定，再次添加即修改；下级组织没有单独规定时沿用上级的规定。
      </Typography.Text>
    </Flex>
  );
}
