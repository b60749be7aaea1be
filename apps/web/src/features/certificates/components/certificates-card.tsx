import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Space, Table, Tag } from 'antd';
import { PlusOutlined, PrinterOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Certificate } from '@liudong/contracts';
import { CERTIFICATE_STATUS_LABELS } from '@liudong/domain';
import { isApiError } from '../../../api/client';
import { ErrorAlert } from '../../../ui/error-alert';
import { formatDate } from '../../../ui/format';
import { useRefreshAfterMobility } from '../../mobility/hooks/use-refresh-after-mobility';
import {
  cancelCertificate,
  certificateKeys,
  issueCertificate,
  memberCertificatesQuery,
  reissueCertificate,
  returnCertificate,
  reviewCertificate,
} from '../api/certificates-api';

export const CERTIFICATE_CONFLICT_TEXT = '该活动证已被他人办理，请刷新后重试';

const STATUS_COLORS: Record<Certificate['status'], string> = {
  issued: 'green',
  returned: 'default',
  cancelled: 'default',
  void: 'red',
};

type ReasonAction = { kind: 'cancel' | 'reissue'; certificate: Certificate };

/** 流动党员活动证 of one member: its certificates (all states) and what may be done with each. */
export function CertificatesCard({
  member,
  hasOpenOutflow,
}: {
  member: { id: string; name: string; abilities: { update: boolean } };
  hasOpenOutflow: boolean;
}) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const refreshMember = useRefreshAfterMobility();
  const certificates = useQuery(memberCertificatesQuery(member.id));
  const [reasonAction, setReasonAction] = useState<ReasonAction | null>(null);
  const canWrite = member.abilities.update;

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: certificateKeys.ofMember(member.id) }),
      refreshMember(member.id),
    ]);

  const showError = (error: unknown) => {
    if (isApiError(error, 'version_conflict')) {
      message.warning(CERTIFICATE_CONFLICT_TEXT);
      void refresh();
    } else {
      message.error(error instanceof Error ? error.message : '操作失败，请稍后重试');
    }
  };

  const issue = useMutation({
    mutationFn: () => issueCertificate(member.id),
    onSuccess: async (certificate) => {
      message.success(`已发放活动证，编号 ${certificate.number}`);
      await refresh();
    },
    onError: showError,
  });
  const simple = useMutation({
    mutationFn: ({ kind, certificate }: { kind: 'review' | 'return'; certificate: Certificate }) =>
      kind === 'review'
        ? reviewCertificate(certificate.id, certificate.version)
        : returnCertificate(certificate.id, certificate.version),
    onSuccess: async (_, { kind }) => {
      message.success(kind === 'review' ? '已完成年审' : '活动证已交回');
      await refresh();
    },
    onError: showError,
  });

  const items = certificates.data?.items ?? [];
  const hasIssued = items.some((certificate) => certificate.status === 'issued');
  const canIssue = canWrite && hasOpenOutflow && !hasIssued;

  return (
    <Card
      title="流动党员活动证"
      className="member-certificates"
      extra={
        canIssue ? (
          <Popconfirm
            title="发放流动党员活动证"
            description="编号由系统按县、年度连续分配，发放后不可修改。确认发放？"
            okText="发放"
            cancelText="取消"
            onConfirm={() => issue.mutateAsync().catch(() => undefined)}
          >
            <Button className="no-print" type="primary" icon={<PlusOutlined />}>
              发放
            </Button>
          </Popconfirm>
        ) : undefined
      }
    >
      <ErrorAlert error={certificates.error} style={{ marginBottom: 16 }} />
      <Table<Certificate>
        rowKey="id"
        size="small"
        loading={certificates.isPending}
        dataSource={items}
        pagination={false}
        locale={{
          emptyText: hasOpenOutflow ? '尚未发放活动证' : '暂无活动证（发放活动证须先登记流出）',
        }}
        columns={[
          {
            title: '证号',
            dataIndex: 'number',
            render: (number: string) => (
              <span style={{ fontVariantNumeric: 'tabular-nums' }}>{number}</span>
            ),
          },
          {
            title: '状态',
            dataIndex: 'status',
            width: 160,
            render: (status: Certificate['status']) => (
              <Tag color={STATUS_COLORS[status]}>{CERTIFICATE_STATUS_LABELS[status]}</Tag>
            ),
          },
          { title: '发放日期', dataIndex: 'issuedOn', width: 110, render: formatDate },
          { title: '最近年审', dataIndex: 'lastReviewedOn', width: 110, render: formatDate },
          { title: '有效期至', dataIndex: 'validThrough', width: 110, render: formatDate },
          {
            title: '是否有效',
            dataIndex: 'valid',
            width: 90,
            render: (valid: boolean) =>
              valid ? <Tag color="success">有效</Tag> : <Tag color="default">无效</Tag>,
          },
          {
            title: '操作',
            key: 'actions',
            width: 300,
            className: 'no-print',
            render: (_, certificate) => (
              <Space size={4} wrap>
                {certificate.status === 'issued' && (
                  <Link to={`/certificates/${certificate.id}/print?member=${member.id}`}>
                    <Button size="small" type="link" icon={<PrinterOutlined />}>
                      打印
                    </Button>
                  </Link>
                )}
                {canWrite && certificate.status === 'issued' && (
                  <>
                    <Popconfirm
                      title="活动证年审"
                      description={`确认证号 ${certificate.number} 本年度年审通过？`}
                      okText="确认"
                      cancelText="取消"
                      onConfirm={() =>
                        simple.mutateAsync({ kind: 'review', certificate }).catch(() => undefined)
                      }
                    >
                      <Button size="small" type="link">
                        年审
                      </Button>
                    </Popconfirm>
                    <Popconfirm
                      title="交回活动证"
                      description="党员返回后交回活动证，交回后该证号不再有效。确认交回？"
                      okText="交回"
                      cancelText="取消"
                      okButtonProps={{ danger: true }}
                      onConfirm={() =>
                        simple.mutateAsync({ kind: 'return', certificate }).catch(() => undefined)
                      }
                    >
                      <Button size="small" type="link">
                        交回
                      </Button>
                    </Popconfirm>
                    <Button
                      size="small"
                      type="link"
                      danger
                      onClick={() => setReasonAction({ kind: 'cancel', certificate })}
                    >
                      注销
                    </Button>
                    <Button
                      size="small"
                      type="link"
                      onClick={() => setReasonAction({ kind: 'reissue', certificate })}
                    >
                      补发
                    </Button>
                  </>
                )}
              </Space>
            ),
          },
        ]}
      />
      <ReasonModal action={reasonAction} onClose={() => setReasonAction(null)} onDone={refresh} />
    </Card>
  );
}

/** 注销 (a reason) and 补发 (the old number becomes void; a new one is issued). */
function ReasonModal({
  action,
  onClose,
  onDone,
}: {
  action: ReasonAction | null;
  onClose: () => void;
  onDone: () => Promise<unknown>;
}) {
  const [form] = Form.useForm<{ reason: string }>();
  const { message } = App.useApp();
  const mutation = useMutation({
    mutationFn: async ({ kind, certificate, reason }: ReasonAction & { reason: string }) => {
      if (kind === 'cancel') {
        await cancelCertificate(certificate.id, { version: certificate.version, reason });
        return null;
      }
      const result = await reissueCertificate(certificate.id, {
        version: certificate.version,
        reason,
      });
      return result.new.number;
    },
    onSuccess: async (newNumber) => {
      message.success(newNumber ? `已补发活动证，新编号 ${newNumber}` : '活动证已注销');
      await onDone();
      onClose();
    },
  });
  const isReissue = action?.kind === 'reissue';
  const error = mutation.error;

  return (
    <Modal
      open={action !== null}
      title={isReissue ? '补发活动证' : '注销活动证'}
      destroyOnHidden
      onCancel={onClose}
      okText={isReissue ? '确认补发' : '确认注销'}
      okButtonProps={{ danger: true, loading: mutation.isPending }}
      onOk={() => form.submit()}
      afterClose={() => mutation.reset()}
    >
      {action && (
        <Form<{ reason: string }>
          form={form}
          layout="vertical"
          disabled={mutation.isPending}
          initialValues={{ reason: isReissue ? '遗失补办' : '' }}
          onFinish={({ reason }) => mutation.mutate({ ...action, reason: reason.trim() })}
          clearOnDestroy
        >
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={
              isReissue
                ? `原证号 ${action.certificate.number} 将作废，系统发放新编号的活动证。`
                : `注销后证号 ${action.certificate.number} 不再有效，且不可恢复。`
            }
          />
          {error && (
            <ErrorAlert
              error={
                isApiError(error, 'version_conflict') ? new Error(CERTIFICATE_CONFLICT_TEXT) : error
              }
              style={{ marginBottom: 16 }}
            />
          )}
          <Form.Item
            label={isReissue ? '补办原因' : '注销原因'}
            name="reason"
            rules={[
              { required: true, whitespace: true, message: '请写明原因' },
              { min: 2, message: '至少2个字' },
              { max: 200, message: '不超过200个字' },
            ]}
          >
            <Input.TextArea maxLength={200} autoSize={{ minRows: 2, maxRows: 4 }} autoFocus />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
