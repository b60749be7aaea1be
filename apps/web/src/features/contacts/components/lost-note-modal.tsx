import { App, Form, Input, Modal, Select } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { z } from 'zod';
import { LostNoteInput, type LostItem } from '@liudong/contracts';
import { ErrorAlert } from '../../../ui/error-alert';
import { blankToNull } from '../../../ui/format';
import { showZodErrors } from '../../../ui/zod-form';
import { setLostNote } from '../api/contacts-api';
import { LOST_REASON_OPTIONS } from '../contact-values';
import { useRefreshAfterContact } from '../hooks/use-refresh-after-contact';

interface NoteValues {
  reasonCode?: LostItem['suggestedReason'];
  note?: string;
}

const FORM_ID = 'lost-note-form';

/**
 * 失联原因 (①–⑦ of the official forms, DOMAIN.md §4) and a note on the search so far, for the
 * registers. Recording it decides nothing about the membership: the branch does (条例 Art. 24).
 */
export function LostNoteModal({ item, onClose }: { item: LostItem | null; onClose: () => void }) {
  const [form] = Form.useForm<NoteValues>();
  const { message } = App.useApp();
  const refresh = useRefreshAfterContact();
  const mutation = useMutation({
    mutationFn: (values: NoteValues) => {
      if (!item) return Promise.reject(new Error('请先选择党员'));
      const parsed = LostNoteInput.safeParse({
        reasonCode: values.reasonCode,
        note: blankToNull(values.note),
      });
      if (!parsed.success) return Promise.reject(parsed.error);
      return setLostNote(item.memberId, parsed.data);
    },
    onSuccess: async () => {
      message.success(`已登记${item?.memberName ?? ''}的失联原因`);
      if (item) await refresh(item.memberId);
      onClose();
    },
    onError: (error) => {
      if (error instanceof z.ZodError) showZodErrors(form, error);
    },
  });
  return (
    <Modal
      open={item !== null}
      title={item ? `失联原因 · ${item.memberName}` : '失联原因'}
      destroyOnHidden
      onCancel={onClose}
      okText="保存"
      okButtonProps={{ htmlType: 'submit', form: FORM_ID, loading: mutation.isPending }}
      afterClose={() => mutation.reset()}
    >
      {item && (
        <Form<NoteValues>
          form={form}
          id={FORM_ID}
          layout="vertical"
          disabled={mutation.isPending}
          initialValues={{
            reasonCode: item.reasonCode ?? item.suggestedReason,
            note: item.note ?? '',
          }}
          onFinish={(values) => mutation.mutate(values)}
          autoComplete="off"
          clearOnDestroy
        >
          {mutation.error && !(mutation.error instanceof z.ZodError) && (
            <ErrorAlert error={mutation.error} style={{ marginBottom: 16 }} />
          )}
          <Form.Item
            label="失联原因"
            name="reasonCode"
            rules={[{ required: true, message: '请选择失联原因' }]}
            extra={item.reasonCode ? undefined : '已按外出原因和流入地预选建议的原因，请核对'}
          >
            <Select options={LOST_REASON_OPTIONS} autoFocus />
          </Form.Item>
          <Form.Item
            label="查找情况说明"
            name="note"
            rules={[{ max: 500, message: '不超过500个字' }]}
          >
            <Input.TextArea
              maxLength={500}
              autoSize={{ minRows: 3, maxRows: 6 }}
              placeholder="如：已向家属、原工作单位、流入地党组织查找"
            />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
