import { App, Form, Input, InputNumber, Modal, Radio } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { z } from 'zod';
import { UpdateAssignmentInput, type Assignment, type ContactCategory } from '@liudong/contracts';
import {
  CONTACT_CATEGORIES,
  CONTACT_CATEGORY_LABELS,
  MAX_CONTACT_INTERVAL_MONTHS,
} from '@liudong/domain';
import { isApiError } from '../../../api/client';
import { ErrorAlert } from '../../../ui/error-alert';
import { showZodErrors } from '../../../ui/zod-form';
import { updateAssignment } from '../api/contacts-api';
import { useRefreshAfterAssignment } from '../hooks/use-refresh-after-assignment';

interface EditValues {
  duty?: string;
  intervalMonths?: number | null;
  category?: ContactCategory;
}

const FORM_ID = 'assignment-edit-form';

/** 调整三定 of one member: the duty, the member's own interval (or the org's rule), the category. */
export function AssignmentEditModal({
  assignment,
  memberName,
  onClose,
}: {
  assignment: Assignment | null;
  memberName: string;
  onClose: () => void;
}) {
  const [form] = Form.useForm<EditValues>();
  const { message } = App.useApp();
  const refresh = useRefreshAfterAssignment();
  const mutation = useMutation({
    mutationFn: (values: EditValues) => {
      if (!assignment) return Promise.reject(new Error('该党员尚未分配联络员'));
      const parsed = UpdateAssignmentInput.safeParse({
        duty: values.duty?.trim() ?? '',
        intervalMonths: values.intervalMonths ?? null,
        category: values.category,
        version: assignment.version,
      });
      if (!parsed.success) return Promise.reject(parsed.error);
      return updateAssignment(assignment.id, parsed.data);
    },
    onSuccess: async () => {
      message.success(`已调整${memberName}的联系周期和职责`);
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
      open={assignment !== null}
      title={`调整三定 · ${memberName}`}
      destroyOnHidden
      onCancel={onClose}
      okText="保存"
      okButtonProps={{ htmlType: 'submit', form: FORM_ID, loading: mutation.isPending }}
      afterClose={() => mutation.reset()}
    >
      {assignment && (
        <Form<EditValues>
          form={form}
          id={FORM_ID}
          layout="vertical"
          disabled={mutation.isPending}
          initialValues={{
            duty: assignment.duty,
            intervalMonths: assignment.intervalMonths,
            category: assignment.category,
          }}
          onFinish={(values) => mutation.mutate(values)}
          autoComplete="off"
          clearOnDestroy
        >
          {mutation.error && !(mutation.error instanceof z.ZodError) && (
            <ErrorAlert
              error={
                isApiError(mutation.error, 'version_conflict')
                  ? new Error('该党员的三定刚被他人调整，已重新读取，请核对后再保存')
                  : mutation.error
              }
              style={{ marginBottom: 16 }}
            />
          )}
          <Form.Item
            label="类别"
            name="category"
            extra="出国（境）党员至少每6个月联系一次（条例第34条）"
          >
            <Radio.Group
              optionType="button"
              options={CONTACT_CATEGORIES.map((value) => ({
                value,
                label: CONTACT_CATEGORY_LABELS[value],
              }))}
            />
          </Form.Item>
          <Form.Item
            label="联系周期（定时）"
            name="intervalMonths"
            extra={`留空按组织规定；当前实际执行：每${assignment.effectiveIntervalMonths}个月一次`}
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
          <Form.Item
            label="职责（定责）"
            name="duty"
            rules={[
              { required: true, whitespace: true, message: '请填写联络员的职责' },
              { max: 300, message: '不超过300个字' },
            ]}
          >
            <Input.TextArea maxLength={300} autoSize={{ minRows: 2, maxRows: 5 }} autoFocus />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
