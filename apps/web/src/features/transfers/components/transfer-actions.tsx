import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Modal,
  Radio,
  Space,
  type FormInstance,
} from 'antd';
import { useMutation } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { z } from 'zod';
import {
  CancelTransferInput,
  DecideTransferInput,
  ReceiveTransferInput,
  type Transfer,
} from '@liudong/contracts';
import { isApiError } from '../../../api/client';
import { ErrorAlert } from '../../../ui/error-alert';
import { formatDate } from '../../../ui/format';
import { showZodErrors } from '../../../ui/zod-form';
import { cancelTransfer, decideTransfer, receiveTransfer } from '../api/transfers-api';
import { useRefreshAfterTransfer } from '../hooks/use-refresh-after-transfer';
import {
  RECEIPT_SOURCE_LABELS,
  destinationText,
  hasLetter,
  receiptDateDisabled,
  receiptSources,
  toDecideInput,
  toReceiveInput,
  type DecisionFormValues,
  type ReceiptFormValues,
} from './transfer-values';

export const TRANSFER_CONFLICT_TEXT = '该转接已被他人办理，请刷新后重试';

type Action = 'decide' | 'receipt' | 'cancel';

/** The letter page opens in a tab of its own, so that the list stays where it was. */
export const letterPath = (id: string) => `/transfers/${encodeURIComponent(id)}/letter`;

/**
 * What this actor may do with one transfer, as the server's `abilities` say (审批, 登记回执, 撤销),
 * plus 打印介绍信 once the letter exists.
 */
export function TransferActions({ transfer }: { transfer: Transfer }) {
  const [action, setAction] = useState<Action | null>(null);
  const { abilities } = transfer;
  const canReceive = receiptSources(abilities).length > 0;
  const close = () => setAction(null);
  return (
    <Space size={0} wrap>
      {abilities.decide && (
        <Button size="small" type="link" onClick={() => setAction('decide')}>
          审批
        </Button>
      )}
      {canReceive && (
        <Button size="small" type="link" onClick={() => setAction('receipt')}>
          登记回执
        </Button>
      )}
      {hasLetter(transfer) && (
        <Button
          size="small"
          type="link"
          href={letterPath(transfer.id)}
          target="_blank"
          rel="noopener"
        >
          打印介绍信
        </Button>
      )}
      {abilities.cancel && (
        <Button size="small" type="link" danger onClick={() => setAction('cancel')}>
          撤销
        </Button>
      )}
      {abilities.decide && (
        <DecisionModal transfer={transfer} open={action === 'decide'} onClose={close} />
      )}
      {canReceive && (
        <ReceiptModal transfer={transfer} open={action === 'receipt'} onClose={close} />
      )}
      {abilities.cancel && (
        <CancelModal transfer={transfer} open={action === 'cancel'} onClose={close} />
      )}
    </Space>
  );
}

/** The server's message, or for 409 `version_conflict` an offer to reload (SECURITY.md 26). */
function ActionError({ error, onReload }: { error: unknown; onReload: () => void }) {
  if (!error || error instanceof z.ZodError) return null;
  if (isApiError(error, 'version_conflict')) {
    return (
      <ErrorAlert
        error={new Error(TRANSFER_CONFLICT_TEXT)}
        style={{ marginBottom: 16 }}
        action={
          <Button size="small" onClick={onReload}>
            刷新
          </Button>
        }
      />
    );
  }
  return <ErrorAlert error={error} style={{ marginBottom: 16 }} />;
}

/** Who goes where: the facts an officer checks before deciding or recording. */
function TransferSummary({ transfer }: { transfer: Transfer }) {
  return (
    <Descriptions
      size="small"
      column={1}
      bordered
      style={{ marginBottom: 16 }}
      styles={{ label: { width: 110, whiteSpace: 'nowrap' } }}
      items={[
        { key: 'member', label: '党员', children: transfer.memberName },
        { key: 'from', label: '转出党组织', children: transfer.fromOrgName },
        { key: 'to', label: '接收党组织', children: destinationText(transfer) },
        { key: 'reason', label: '转接原因', children: transfer.reason },
        ...(transfer.letterNumber
          ? [
              { key: 'letter', label: '介绍信编号', children: transfer.letterNumber },
              {
                key: 'due',
                label: '有效期至',
                children: formatDate(transfer.dueOn),
              },
            ]
          : []),
      ]}
    />
  );
}

function useActionMutation<V>(
  transfer: Transfer,
  form: FormInstance<V>,
  run: (values: V) => Promise<Transfer>,
  done: (result: Transfer) => string,
  onClose: () => void,
) {
  const { message } = App.useApp();
  const refresh = useRefreshAfterTransfer();
  const mutation = useMutation({
    mutationFn: run,
    onSuccess: async (result) => {
      message.success(done(result));
      await refresh(result);
      onClose();
    },
    onError: (error) => {
      if (error instanceof z.ZodError) showZodErrors(form, error);
    },
  });
  const reload = () => {
    void refresh(transfer);
    onClose();
  };
  return { mutation, reload };
}

const DECISION_FORM_ID = 'transfer-decision-form';

/** 审批: approve (issues the numbered letter) or reject with the reason written down. */
function DecisionModal({
  transfer,
  open,
  onClose,
}: {
  transfer: Transfer;
  open: boolean;
  onClose: () => void;
}) {
  const [form] = Form.useForm<DecisionFormValues>();
  const decision = Form.useWatch('decision', form) ?? 'approve';
  const { mutation, reload } = useActionMutation(
    transfer,
    form,
    (values) => {
      const parsed = DecideTransferInput.safeParse(toDecideInput(values, transfer.version));
      if (!parsed.success) return Promise.reject(parsed.error);
      return decideTransfer(transfer.id, parsed.data);
    },
    (result) =>
      result.status === 'approved'
        ? `已批准，介绍信编号 ${result.letterNumber ?? ''}`
        : '已作出不予批准的决定',
    onClose,
  );
  const isReject = decision === 'reject';
  return (
    <Modal
      open={open}
      title={`审批组织关系转接 · ${transfer.memberName}`}
      destroyOnHidden
      onCancel={onClose}
      okText={isReject ? '确认不予批准' : '确认批准并开具介绍信'}
      okButtonProps={{
        htmlType: 'submit',
        form: DECISION_FORM_ID,
        loading: mutation.isPending,
        danger: isReject,
      }}
      afterClose={() => mutation.reset()}
    >
      <Form<DecisionFormValues>
        form={form}
        id={DECISION_FORM_ID}
        layout="vertical"
        disabled={mutation.isPending}
        initialValues={{ decision: 'approve' }}
        onFinish={(values) => mutation.mutate(values)}
        autoComplete="off"
        clearOnDestroy
      >
        <ActionError error={mutation.error} onReload={reload} />
        <TransferSummary transfer={transfer} />
        <Form.Item label="审批意见" name="decision">
          <Radio.Group
            options={[
              { value: 'approve', label: '批准' },
              { value: 'reject', label: '不予批准' },
            ]}
          />
        </Form.Item>
        {!isReject && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title="批准后系统按年度连续编号开具介绍信，有效期按本地设置的天数计算；党员组织关系在接收方回执后才转出。"
          />
        )}
        <Form.Item
          label={isReject ? '不予批准的原因' : '备注'}
          name="note"
          rules={[
            ...(isReject ? [{ required: true, whitespace: true, message: '请写明原因' }] : []),
            { max: 200, message: '不超过200个字' },
          ]}
        >
          <Input.TextArea maxLength={200} autoSize={{ minRows: 2, maxRows: 4 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

const RECEIPT_FORM_ID = 'transfer-receipt-form';

/**
 * 登记回执: the receiving org confirms in the system, or the sending side records the paper
 * receipt that came back. Completes the transfer: the member's org changes now (条例 Art. 25).
 */
function ReceiptModal({
  transfer,
  open,
  onClose,
}: {
  transfer: Transfer;
  open: boolean;
  onClose: () => void;
}) {
  const [form] = Form.useForm<ReceiptFormValues>();
  const sources = receiptSources(transfer.abilities);
  const { mutation, reload } = useActionMutation(
    transfer,
    form,
    (values) => {
      const parsed = ReceiveTransferInput.safeParse(toReceiveInput(values, transfer.version));
      if (!parsed.success) return Promise.reject(parsed.error);
      return receiveTransfer(transfer.id, parsed.data);
    },
    (result) => `已登记回执，${result.memberName}的组织关系已转至${result.toOrgName}`,
    onClose,
  );
  return (
    <Modal
      open={open}
      title={`登记回执 · ${transfer.memberName}`}
      destroyOnHidden
      onCancel={onClose}
      okText="确认接收"
      okButtonProps={{ htmlType: 'submit', form: RECEIPT_FORM_ID, loading: mutation.isPending }}
      afterClose={() => mutation.reset()}
    >
      <Form<ReceiptFormValues>
        form={form}
        id={RECEIPT_FORM_ID}
        layout="vertical"
        disabled={mutation.isPending}
        initialValues={{ source: sources[0], receivedOn: dayjs() }}
        onFinish={(values) => mutation.mutate(values)}
        autoComplete="off"
        clearOnDestroy
      >
        <ActionError error={mutation.error} onReload={reload} />
        <TransferSummary transfer={transfer} />
        <Form.Item
          label="回执方式"
          name="source"
          rules={[{ required: true, message: '请选择回执方式' }]}
        >
          <Radio.Group
            options={sources.map((value) => ({ value, label: RECEIPT_SOURCE_LABELS[value] }))}
          />
        </Form.Item>
        <Form.Item
          label="接收日期"
          name="receivedOn"
          rules={[{ required: true, message: '请选择接收日期' }]}
          extra={
            transfer.letterIssuedOn
              ? `不早于介绍信开具日期 ${formatDate(transfer.letterIssuedOn)}`
              : undefined
          }
        >
          <DatePicker
            style={{ width: '100%' }}
            placeholder="请选择日期"
            disabledDate={(date) => receiptDateDisabled(date, transfer.letterIssuedOn)}
          />
        </Form.Item>
        <Form.Item label="备注" name="note" rules={[{ max: 200, message: '不超过200个字' }]}>
          <Input.TextArea maxLength={200} autoSize={{ minRows: 2, maxRows: 4 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

const CANCEL_FORM_ID = 'transfer-cancel-form';

/** 撤销: the request is withdrawn, or an unused letter voided; the member stays where they were. */
function CancelModal({
  transfer,
  open,
  onClose,
}: {
  transfer: Transfer;
  open: boolean;
  onClose: () => void;
}) {
  const [form] = Form.useForm<{ reason?: string }>();
  const { mutation, reload } = useActionMutation(
    transfer,
    form,
    (values) => {
      const parsed = CancelTransferInput.safeParse({
        reason: values.reason?.trim() ?? '',
        version: transfer.version,
      });
      if (!parsed.success) return Promise.reject(parsed.error);
      return cancelTransfer(transfer.id, parsed.data);
    },
    () => '已撤销该转接',
    onClose,
  );
  return (
    <Modal
      open={open}
      title={`撤销组织关系转接 · ${transfer.memberName}`}
      destroyOnHidden
      onCancel={onClose}
      okText="确认撤销"
      okButtonProps={{
        htmlType: 'submit',
        form: CANCEL_FORM_ID,
        loading: mutation.isPending,
        danger: true,
      }}
      afterClose={() => mutation.reset()}
    >
      <Form<{ reason?: string }>
        form={form}
        id={CANCEL_FORM_ID}
        layout="vertical"
        disabled={mutation.isPending}
        onFinish={(values) => mutation.mutate(values)}
        autoComplete="off"
        clearOnDestroy
      >
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={
            transfer.letterNumber
              ? `撤销后介绍信 ${transfer.letterNumber} 作废，党员组织关系留在原党组织，且不可恢复。`
              : '撤销后该转接申请作废，且不可恢复。'
          }
        />
        <ActionError error={mutation.error} onReload={reload} />
        <Form.Item
          label="撤销原因"
          name="reason"
          rules={[
            { required: true, whitespace: true, message: '请写明撤销原因' },
            { max: 200, message: '不超过200个字' },
          ]}
        >
          <Input.TextArea maxLength={200} autoSize={{ minRows: 2, maxRows: 4 }} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}
