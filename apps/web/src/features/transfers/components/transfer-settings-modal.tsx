import { useState } from 'react';
import { App, Button, Form, InputNumber, Modal, Skeleton } from 'antd';
import { SettingOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { TransferSettings } from '@liudong/contracts';
import { TRANSFER_MAX_DAYS } from '@liudong/domain';
import { ErrorAlert } from '../../../ui/error-alert';
import { showZodErrors } from '../../../ui/zod-form';
import { transferKeys, transferSettingsQuery, updateTransferSettings } from '../api/transfers-api';

const FORM_ID = 'transfer-settings-form';

/**
 * 介绍信有效期: how many days a letter stays valid within the same city and elsewhere. A local
 * practice (DOMAIN.md §3: e.g. 10 and 30 days, 3 months at most), set by the org department
 * (permission transfer.configure; the caller shows this only to its holders).
 */
export function TransferSettingsButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button icon={<SettingOutlined />} onClick={() => setOpen(true)}>
        介绍信有效期
      </Button>
      <Modal
        open={open}
        title="介绍信有效期设置"
        destroyOnHidden
        onCancel={() => setOpen(false)}
        okText="保存"
        okButtonProps={{ htmlType: 'submit', form: FORM_ID }}
      >
        {open && <SettingsForm onDone={() => setOpen(false)} />}
      </Modal>
    </>
  );
}

function SettingsForm({ onDone }: { onDone: () => void }) {
  const [form] = Form.useForm<TransferSettings>();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const settings = useQuery({ ...transferSettingsQuery(), staleTime: 0 });
  const mutation = useMutation({
    mutationFn: (values: TransferSettings) => {
      const parsed = TransferSettings.safeParse(values);
      if (!parsed.success) throw parsed.error;
      return updateTransferSettings(parsed.data);
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(transferKeys.settings, saved);
      message.success('已保存介绍信有效期');
      onDone();
    },
    onError: (error) => {
      if (error instanceof z.ZodError) showZodErrors(form, error);
    },
  });

  if (settings.isPending) return <Skeleton active paragraph={{ rows: 3 }} />;
  if (settings.error) return <ErrorAlert error={settings.error} />;

  const dayRules = [
    { required: true, message: '请填写天数' },
    {
      type: 'number' as const,
      min: 1,
      max: TRANSFER_MAX_DAYS,
      message: `1至${TRANSFER_MAX_DAYS}天`,
    },
  ];
  return (
    <Form<TransferSettings>
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
      <Form.Item
        label="同城（同一地级市内）"
        name="withinCityDays"
        rules={dayRules}
        extra="转出、接收党组织在同一地级市时，介绍信的有效天数"
      >
        <InputNumber
          autoFocus
          min={1}
          max={TRANSFER_MAX_DAYS}
          precision={0}
          suffix="天"
          style={{ width: 200 }}
        />
      </Form.Item>
      <Form.Item
        label="异地"
        name="elsewhereDays"
        rules={dayRules}
        extra={`跨市或接收地不明时的有效天数；最长不超过${TRANSFER_MAX_DAYS}天（3个月）`}
      >
        <InputNumber
          min={1}
          max={TRANSFER_MAX_DAYS}
          precision={0}
          suffix="天"
          style={{ width: 200 }}
        />
      </Form.Item>
    </Form>
  );
}
