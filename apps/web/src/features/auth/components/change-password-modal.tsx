import { useState } from 'react';
import { App, Modal } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { meQueryKey } from '../api/auth-api';
import { useMe } from '../hooks/use-me';
import { PasswordChangeForm } from './password-change-form';

const FORM_ID = 'change-password-modal-form';

/** 修改密码 from the user menu (voluntary change, or before the 90-day expiry). */
export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const me = useMe();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [isPending, setPending] = useState(false);
  return (
    <Modal
      title="修改密码"
      open={open}
      onCancel={onClose}
      okText="确认修改"
      okButtonProps={{ htmlType: 'submit', form: FORM_ID, loading: isPending }}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <PasswordChangeForm
        formId={FORM_ID}
        hideSubmit
        username={me.account.username}
        onPendingChange={setPending}
        onChanged={async () => {
          message.success('密码已修改');
          onClose();
          await queryClient.invalidateQueries({ queryKey: meQueryKey });
        }}
      />
    </Modal>
  );
}
