import { Alert, Button, Descriptions, Form, Input, Modal, Typography } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import type { RevealField } from '@liudong/contracts';
import { ErrorAlert } from '../../../ui/error-alert';
import { revealMemberField } from '../api/members-api';
import { REVEAL_FIELD_LABELS } from './member-labels';

const FORM_ID = 'reveal-field-form';
const REASON_MIN = 4;
const REASON_MAX = 200;

export interface RevealTarget {
  memberId: string;
  memberName: string;
  field: RevealField;
  masked: string;
}

/**
 * 查看完整信息: asks why, then shows the one full value until the dialog closes (SECURITY.md 14).
 * The value lives only in this dialog's mutation, which is dropped from the mutation cache as soon
 * as the dialog unmounts (`gcTime: 0`) — never in the query cache or the page.
 */
export function RevealFieldModal({
  target,
  onClose,
}: {
  target: RevealTarget | null;
  onClose: () => void;
}) {
  return (
    <Modal
      title={target ? `查看完整信息 · ${REVEAL_FIELD_LABELS[target.field]}` : ''}
      open={target !== null}
      onCancel={onClose}
      destroyOnHidden
      footer={null}
    >
      {target && (
        <RevealFieldContent
          key={`${target.memberId}:${target.field}`}
          target={target}
          onClose={onClose}
        />
      )}
    </Modal>
  );
}

function RevealFieldContent({ target, onClose }: { target: RevealTarget; onClose: () => void }) {
  const label = REVEAL_FIELD_LABELS[target.field];
  const mutation = useMutation({
    mutationFn: (reason: string) =>
      revealMemberField(target.memberId, { field: target.field, reason: reason.trim() }),
    gcTime: 0,
  });
  const close = () => {
    mutation.reset();
    onClose();
  };

  if (mutation.isSuccess) {
    const { value } = mutation.data;
    return (
      <>
        <Descriptions
          column={1}
          size="small"
          bordered
          styles={{ label: { width: 120 } }}
          items={[
            { key: 'member', label: '党员', children: target.memberName },
            {
              key: 'value',
              label,
              children:
                value === null ? (
                  <Typography.Text type="secondary">未登记</Typography.Text>
                ) : (
                  <Typography.Text
                    copyable={{ text: value, tooltips: ['复制', '已复制'] }}
                    style={{ fontSize: 16, wordBreak: 'break-all' }}
                    aria-label={`完整${label}`}
                  >
                    {value}
                  </Typography.Text>
                ),
            },
          ]}
        />
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '12px 0 0' }}>
          本次查看已记入审计日志。关闭窗口后完整信息不再显示。
        </Typography.Paragraph>
        <div style={{ display: 'flex', justifyContent: 'flex-end', marginTop: 16 }}>
          <Button type="primary" onClick={close} autoFocus>
            关闭
          </Button>
        </div>
      </>
    );
  }

  return (
    <>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title="查看完整信息将被记录在审计日志中"
        description={`党员：${target.memberName}；当前显示：${target.masked}`}
      />
      <ErrorAlert error={mutation.error} style={{ marginBottom: 16 }} />
      <Form<{ reason: string }>
        id={FORM_ID}
        layout="vertical"
        disabled={mutation.isPending}
        onFinish={({ reason }) => mutation.mutate(reason)}
      >
        <Form.Item
          label="查看原因"
          name="reason"
          rules={[
            { required: true, whitespace: true, message: '请填写查看原因' },
            {
              validator: (_, value: string | undefined) =>
                !value?.trim() || value.trim().length >= REASON_MIN
                  ? Promise.resolve()
                  : Promise.reject(new Error('请写明查看原因（至少4个字）')),
            },
            { max: REASON_MAX, message: `查看原因不超过${REASON_MAX}个字` },
          ]}
        >
          <Input.TextArea
            autoFocus
            rows={3}
            maxLength={REASON_MAX}
            showCount
            placeholder="如：办理组织关系转接，核对身份证号"
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
      <div style={{ display: 'flex', justifyContent: 'flex-end', gap: 8, marginTop: 24 }}>
        <Button onClick={close}>取消</Button>
        <Button
          type="primary"
          htmlType="submit"
          form={FORM_ID}
          icon={<EyeOutlined />}
          loading={mutation.isPending}
        >
          查看
        </Button>
      </div>
    </>
  );
}
