import { useState } from 'react';
import { App, Form, Modal, Typography } from 'antd';
import { useMutation } from '@tanstack/react-query';
import type { OrgDetail, OrgSummary } from '@liudong/contracts';
import { ORG_KIND_LABELS, canContain } from '@liudong/domain';
import { moveOrg } from '../api/orgs-api';
import { useInvalidateOrgs } from '../hooks/use-org-mutations';
import { OrgPicker } from './org-picker';
import { SaveErrorAlert } from './version-conflict-alert';

const FORM_ID = 'move-org-form';

/** 调整隶属关系: pick the new parent, confirm the sentence that says what will happen, move. */
export function MoveOrgModal({
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
  const [form] = Form.useForm<{ newParentId: string }>();
  const [newParent, setNewParent] = useState<OrgSummary | null>(null);
  const currentParentName = org.ancestors[org.ancestors.length - 1]?.name ?? '（无上级组织）';

  const mutation = useMutation({
    mutationFn: (newParentId: string) => moveOrg(org.id, { newParentId, version: org.version }),
    onSuccess: async () => {
      message.success('隶属关系已调整');
      await invalidateOrgs();
      onClose();
    },
  });

  const confirmMove = ({ newParentId }: { newParentId: string }) => {
    const targetName = newParent?.name ?? '所选组织';
    modal.confirm({
      title: '确认调整隶属关系',
      content: `将「${org.name}」及其全部下级组织从「${currentParentName}」调整到「${targetName}」下。调整后，原上级组织的工作人员将不能再查看和管理这些组织。`,
      okText: '确认调整',
      cancelText: '取消',
      onOk: () => mutation.mutateAsync(newParentId).catch(() => undefined),
    });
  };

  return (
    <Modal
      title={`调整隶属关系 · ${org.name}`}
      open={open}
      onCancel={onClose}
      okText="下一步"
      okButtonProps={{ htmlType: 'submit', form: FORM_ID, loading: mutation.isPending }}
      destroyOnHidden
    >
      <SaveErrorAlert
        error={mutation.error}
        onReload={() => {
          onReload();
          onClose();
        }}
      />
      <Typography.Paragraph type="secondary">
        当前上级组织：{currentParentName}。仅列出您有权管理、且可设立{ORG_KIND_LABELS[org.kind]}
        的组织。
      </Typography.Paragraph>
      <Form form={form} id={FORM_ID} layout="vertical" onFinish={confirmMove}>
        <Form.Item
          label="新的上级组织"
          name="newParentId"
          rules={[{ required: true, message: '请选择新的上级组织' }]}
        >
          <OrgPicker
            placeholder="输入组织名称搜索"
            filter={(candidate) =>
              candidate.id !== org.id &&
              candidate.id !== org.parentId &&
              candidate.dissolvedOn === null &&
              candidate.abilities.createChild &&
              canContain(candidate.kind, org.kind)
            }
            onChange={(_, picked) => setNewParent(picked)}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
