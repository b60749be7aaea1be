import { App, DatePicker, Form, Input, Modal, Typography } from 'antd';
import { useMutation } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import type { OrgDetail } from '@liudong/contracts';
import { dissolveOrg } from '../api/orgs-api';
import { useInvalidateOrgs } from '../hooks/use-org-mutations';
import { SaveErrorAlert } from './version-conflict-alert';

const FORM_ID = 'dissolve-org-form';

interface DissolveValues {
  dissolvedOn: Dayjs;
  reason: string;
}

/** 撤销组织: a date and a reason, then a second, red confirmation. */
export function DissolveOrgModal({
  org,
  open,
  onClose,
  onReload,
}: {
  org: OrgDetail;
  open: boolean;
  onClose: () => void;
  onReload: () => void;
}) {
  const { message, modal } = App.useApp();
  const invalidateOrgs = useInvalidateOrgs();
  const mutation = useMutation({
    mutationFn: (values: DissolveValues) =>
      dissolveOrg(org.id, {
        dissolvedOn: values.dissolvedOn.format('YYYY-MM-DD'),
        reason: values.reason.trim(),
        version: org.version,
      }),
    onSuccess: async () => {
      message.success(`「${org.name}」已撤销`);
      await invalidateOrgs();
      onClose();
    },
  });

  const confirm = (values: DissolveValues) => {
    modal.confirm({
      title: `确认撤销「${org.name}」？`,
      content:
        '撤销后该组织将标记为“已撤销”，默认不再显示在组织树中，也不能再设立下级组织。此操作将记入审计日志。',
      okText: '确认撤销',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: () => mutation.mutateAsync(values).catch(() => undefined),
    });
  };

  return (
    <Modal
      title={`撤销组织 · ${org.name}`}
      open={open}
      onCancel={onClose}
      okText="撤销组织"
      okButtonProps={{
        danger: true,
        htmlType: 'submit',
        form: FORM_ID,
        loading: mutation.isPending,
      }}
      destroyOnHidden
    >
      <SaveErrorAlert
        error={mutation.error}
        onReload={() => {
          onReload();
          onClose();
        }}
      />
      {org.childCount > 0 && (
        <Typography.Paragraph type="warning">
          该组织下还有 {org.childCount} 个下级组织，通常需先撤销或调整下级组织。
        </Typography.Paragraph>
      )}
      <Form<DissolveValues>
        id={FORM_ID}
        layout="vertical"
        initialValues={{ dissolvedOn: dayjs() }}
        onFinish={confirm}
      >
        <Form.Item
          label="撤销日期"
          name="dissolvedOn"
          rules={[{ required: true, message: '请选择撤销日期' }]}
        >
          <DatePicker
            style={{ width: '100%' }}
            disabledDate={(date) =>
              date.isAfter(dayjs(), 'day') ||
              (org.establishedOn !== null && date.isBefore(dayjs(org.establishedOn), 'day'))
            }
          />
        </Form.Item>
        <Form.Item
          label="撤销原因"
          name="reason"
          rules={[
            { required: true, whitespace: true, message: '请填写撤销原因' },
            { max: 200, message: '撤销原因不超过200个字' },
          ]}
        >
          <Input.TextArea
            rows={3}
            maxLength={200}
            showCount
            placeholder="如：所在单位注销，党员已全部转出"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
