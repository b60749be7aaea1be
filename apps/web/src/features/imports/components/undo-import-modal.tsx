import { Alert, App, Descriptions, Form, Input, Modal } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { IMPORT_KIND_LABELS, type ImportBatch } from '@liudong/contracts';
import { ErrorAlert } from '../../../ui/error-alert';
import { formatDateTime, orEmpty } from '../../../ui/format';
import { undoImport } from '../api/imports-api';
import { useRefreshAfterImport } from '../hooks/use-refresh-after-import';
import { batchCountsText } from './import-labels';

const FORM_ID = 'undo-import-form';
const REASON_MAX = 200;

/**
 * 撤销导入: the whole batch at once, with a reason (audited). The server refuses (409, with its
 * own message) when a record of the batch was changed after the import; that message is shown.
 */
export function UndoImportModal({
  batch,
  onClose,
}: {
  batch: ImportBatch | null;
  onClose: () => void;
}) {
  const { message } = App.useApp();
  const refresh = useRefreshAfterImport();
  const mutation = useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      undoImport(id, { reason: reason.trim() }),
    onSuccess: async (undone) => {
      message.success(`已撤销导入「${undone.fileName}」`);
      await refresh();
      onClose();
    },
  });

  return (
    <Modal
      open={batch !== null}
      title="撤销导入"
      onCancel={onClose}
      okText="撤销整批导入"
      cancelText="取消"
      okButtonProps={{
        danger: true,
        htmlType: 'submit',
        form: FORM_ID,
        loading: mutation.isPending,
      }}
      destroyOnHidden
      afterClose={() => mutation.reset()}
    >
      {batch && (
        <>
          <Descriptions
            size="small"
            column={1}
            bordered
            style={{ marginBottom: 16 }}
            styles={{ label: { width: 96 } }}
            items={[
              { key: 'file', label: '文件', children: batch.fileName },
              { key: 'kind', label: '类型', children: IMPORT_KIND_LABELS[batch.kind] },
              { key: 'org', label: '组织', children: orEmpty(batch.orgName) },
              { key: 'time', label: '导入时间', children: formatDateTime(batch.committedAt) },
              { key: 'counts', label: '导入结果', children: batchCountsText(batch) },
            ]}
          />
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title="整批撤销，不能只撤销其中几行"
            description="本批导入新增的党员和流动登记将被删除，更新过的党员信息恢复为导入前的内容。如果其中有记录在导入之后又被修改过，系统会拒绝撤销，以免覆盖之后的修改。撤销将记入审计日志。"
          />
          <ErrorAlert error={mutation.error} style={{ marginBottom: 16 }} />
          <Form<{ reason: string }>
            id={FORM_ID}
            layout="vertical"
            disabled={mutation.isPending}
            onFinish={({ reason }) => mutation.mutate({ id: batch.id, reason })}
          >
            <Form.Item
              label="撤销原因"
              name="reason"
              rules={[
                { required: true, whitespace: true, message: '请填写撤销原因' },
                { max: REASON_MAX, message: `撤销原因不超过${REASON_MAX}个字` },
              ]}
            >
              <Input.TextArea
                autoFocus
                rows={3}
                maxLength={REASON_MAX}
                showCount
                placeholder="如：导入的表格版本有误，改正后重新导入"
                onPressEnter={(event) => {
                  // Enter submits; Shift+Enter starts a new line.
                  if (!event.shiftKey) {
                    event.preventDefault();
                    event.currentTarget.form?.requestSubmit();
                  }
                }}
              />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
