import { App, Form, Input, InputNumber, Modal } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { z } from 'zod';
import { AssignLiaisonInput } from '@liudong/contracts';
import { MAX_CONTACT_INTERVAL_MONTHS } from '@liudong/domain';
import { ErrorAlert } from '../../../ui/error-alert';
import { showZodErrors } from '../../../ui/zod-form';
import { assignLiaison } from '../api/contacts-api';
import { DEFAULT_DUTY } from '../contact-values';
import { useRefreshAfterAssignment } from '../hooks/use-refresh-after-assignment';
import { LiaisonSelect } from './liaison-select';

interface AssignFormValues {
  liaisonId?: string;
  duty?: string;
  intervalMonths?: number | null;
}

const FORM_ID = 'assign-liaison-form';

/**
 * 定人·定时·定责 for chosen members (rows picked in 未分配联络员, or one member's page): the
 * liaison, the duty and, if it differs from the org's rule, the member's own interval.
 */
export function AssignLiaisonModal({
  memberIds,
  title,
  open,
  onClose,
  onDone,
}: {
  memberIds: readonly string[];
  title: string;
  open: boolean;
  onClose: () => void;
  onDone?: () => void;
}) {
  const [form] = Form.useForm<AssignFormValues>();
  const { message } = App.useApp();
  const refresh = useRefreshAfterAssignment();
  const mutation = useMutation({
    mutationFn: (values: AssignFormValues) => {
      const parsed = AssignLiaisonInput.safeParse({
        target: { memberIds: [...memberIds] },
        liaisonId: values.liaisonId ?? '',
        duty: values.duty?.trim() ?? '',
        intervalMonths: values.intervalMonths ?? null,
      });
      if (!parsed.success) return Promise.reject(parsed.error);
      return assignLiaison(parsed.data);
    },
    onSuccess: async (result) => {
      message.success(
        result.unchanged > 0
          ? `已分配 ${result.assigned} 人，${result.unchanged} 人原已由该联络员负责`
          : `已分配 ${result.assigned} 人`,
      );
      await refresh();
      onDone?.();
      onClose();
    },
    onError: (error) => {
      if (error instanceof z.ZodError) showZodErrors(form, error);
    },
  });
  return (
    <Modal
      open={open}
      title={title}
      destroyOnHidden
      onCancel={onClose}
      okText={`确认分配（${memberIds.length} 人）`}
      okButtonProps={{ htmlType: 'submit', form: FORM_ID, loading: mutation.isPending }}
      afterClose={() => mutation.reset()}
    >
      <Form<AssignFormValues>
        form={form}
        id={FORM_ID}
        layout="vertical"
        disabled={mutation.isPending}
        initialValues={{ duty: DEFAULT_DUTY, intervalMonths: null }}
        onFinish={(values) => mutation.mutate(values)}
        autoComplete="off"
        clearOnDestroy
      >
        {mutation.error && !(mutation.error instanceof z.ZodError) && (
          <ErrorAlert error={mutation.error} style={{ marginBottom: 16 }} />
        )}
        <Form.Item
          label="联络员（定人）"
          name="liaisonId"
          rules={[{ required: true, message: '请选择联络员' }]}
        >
          <LiaisonSelect autoFocus />
        </Form.Item>
        <Form.Item
          label="职责（定责）"
          name="duty"
          rules={[
            { required: true, whitespace: true, message: '请填写联络员的职责' },
            { max: 300, message: '不超过300个字' },
          ]}
        >
          <Input.TextArea maxLength={300} autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
        <Form.Item
          label="联系周期（定时）"
          name="intervalMonths"
          extra="留空则按本组织规定（默认每月一次，出国（境）党员每6个月一次）"
        >
          <InputNumber
            min={1}
            max={MAX_CONTACT_INTERVAL_MONTHS}
            precision={0}
            placeholder="按组织规定"
            prefix="每"
            suffix="个月一次"
            style={{ width: 220 }}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
