import { Alert, Button, Descriptions, Modal, Typography } from 'antd';
import type { OneTimePasswordResponse } from '@liudong/contracts';

/**
 * Shows a one-time password exactly once (SECURITY.md 7). It is not kept anywhere in the app:
 * closing the dialog forgets it, so the dialog closes only by the explicit button.
 */
export function OneTimePasswordModal({
  result,
  title,
  onClose,
}: {
  result: OneTimePasswordResponse | null;
  title: string;
  onClose: () => void;
}) {
  return (
    <Modal
      title={title}
      open={result !== null}
      closable={false}
      keyboard={false}
      mask={{ closable: false }}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose}>
          我已妥善记录，关闭
        </Button>
      }
    >
      {result && (
        <>
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title="一次性密码只显示这一次"
            description="关闭后将无法再次查看。请通过安全渠道当面或电话告知本人，不要通过聊天软件或邮件发送；用户首次登录时须修改密码。"
          />
          <Descriptions
            column={1}
            size="small"
            bordered
            items={[
              { key: 'username', label: '用户名', children: result.account.username },
              { key: 'name', label: '姓名', children: result.account.displayName },
              {
                key: 'password',
                label: '一次性密码',
                children: (
                  <Typography.Text
                    code
                    copyable={{ text: result.oneTimePassword, tooltips: ['复制密码', '已复制'] }}
                    style={{ fontSize: 16, letterSpacing: 1 }}
                    aria-label="一次性密码"
                  >
                    {result.oneTimePassword}
                  </Typography.Text>
                ),
              },
            ]}
          />
        </>
      )}
    </Modal>
  );
}
