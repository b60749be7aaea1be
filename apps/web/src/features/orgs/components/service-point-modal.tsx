import { App, Form, Input, Modal, Select } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { z } from 'zod';
import {
  CreateServicePointInput,
  UpdateServicePointInput,
  type ServicePoint,
} from '@liudong/contracts';
import { SERVICE_LEVELS, SERVICE_LEVEL_LABELS, type ServiceLevel } from '@liudong/domain';
import { ErrorAlert } from '../../../ui/error-alert';
import { blankToNull } from '../../../ui/format';
import { showZodErrors } from '../../../ui/zod-form';
import { createServicePoint, updateServicePoint } from '../api/orgs-api';
import { useInvalidateOrgs } from '../hooks/use-org-mutations';
import { SaveErrorAlert } from './version-conflict-alert';

const FORM_ID = 'service-point-form';

export const SERVICE_LEVEL_OPTIONS = SERVICE_LEVELS.map((level) => ({
  value: level,
  label: SERVICE_LEVEL_LABELS[level],
}));

interface ServicePointValues {
  level: ServiceLevel;
  name: string;
  address?: string;
  phone?: string;
  openingHours?: string;
}

/** 新建 / 编辑服务站点 (center / station / point attached to an org). */
export function ServicePointModal({
  orgId,
  point,
  open,
  onClose,
}: {
  orgId: string;
  /** null: create a new one. */
  point: ServicePoint | null;
  open: boolean;
  onClose: () => void;
}) {
  const [form] = Form.useForm<ServicePointValues>();
  const { message } = App.useApp();
  const invalidateOrgs = useInvalidateOrgs();
  const mutation = useMutation({
    mutationFn: (values: ServicePointValues) => {
      const fields = {
        level: values.level,
        name: values.name.trim(),
        address: blankToNull(values.address),
        phone: blankToNull(values.phone),
        openingHours: blankToNull(values.openingHours),
      };
      if (point) {
        const parsed = UpdateServicePointInput.safeParse({ version: point.version, ...fields });
        if (!parsed.success) throw parsed.error;
        return updateServicePoint(point.id, parsed.data);
      }
      const parsed = CreateServicePointInput.safeParse({ orgId, ...fields });
      if (!parsed.success) throw parsed.error;
      return createServicePoint(parsed.data);
    },
    onSuccess: async () => {
      message.success(point ? '服务站点已保存' : '服务站点已新建');
      await invalidateOrgs();
      onClose();
    },
    onError: (error) => {
      if (error instanceof z.ZodError) showZodErrors(form, error);
    },
  });
  const serverError = mutation.error instanceof z.ZodError ? null : mutation.error;

  return (
    <Modal
      title={point ? `编辑服务站点 · ${point.name}` : '新建服务站点'}
      open={open}
      onCancel={onClose}
      okText="保存"
      okButtonProps={{ htmlType: 'submit', form: FORM_ID, loading: mutation.isPending }}
      destroyOnHidden
    >
      {point ? (
        <SaveErrorAlert
          error={serverError}
          onReload={() => {
            void invalidateOrgs();
            onClose();
          }}
        />
      ) : (
        <ErrorAlert error={serverError} style={{ marginBottom: 16 }} />
      )}
      <Form<ServicePointValues>
        form={form}
        id={FORM_ID}
        layout="vertical"
        disabled={mutation.isPending}
        initialValues={
          point
            ? {
                level: point.level,
                name: point.name,
                address: point.address ?? '',
                phone: point.phone ?? '',
                openingHours: point.openingHours ?? '',
              }
            : { level: 'station' }
        }
        onFinish={(values) => mutation.mutate(values)}
      >
        <Form.Item label="层级" name="level" rules={[{ required: true, message: '请选择层级' }]}>
          <Select options={SERVICE_LEVEL_OPTIONS} />
        </Form.Item>
        <Form.Item
          label="名称"
          name="name"
          rules={[
            { required: true, whitespace: true, message: '请输入名称' },
            { max: 100, message: '名称不超过100个字' },
          ]}
        >
          <Input autoFocus maxLength={100} placeholder="如：××街道流动党员服务站" />
        </Form.Item>
        <Form.Item label="地址" name="address" rules={[{ max: 200, message: '地址不超过200个字' }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item label="联系电话" name="phone" rules={[{ max: 40, message: '不超过40个字符' }]}>
          <Input maxLength={40} inputMode="tel" />
        </Form.Item>
        <Form.Item
          label="开放时间"
          name="openingHours"
          rules={[{ max: 100, message: '不超过100个字' }]}
        >
          <Input maxLength={100} placeholder="如：工作日 9:00–17:00" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
