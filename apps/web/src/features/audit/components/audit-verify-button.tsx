import { useState } from 'react';
import { Button, Modal, Result } from 'antd';
import { SafetyOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { ErrorAlert } from '../../../ui/error-alert';
import { verifyAuditChain } from '../api/audit-api';

/** 校验日志完整性: re-checks the hash chain on the server (SECURITY.md 19) and shows the outcome. */
export function AuditVerifyButton() {
  const [open, setOpen] = useState(false);
  const mutation = useMutation({ mutationFn: verifyAuditChain });
  const result = mutation.data;

  return (
    <>
      <Button
        icon={<SafetyOutlined />}
        loading={mutation.isPending}
        onClick={() => {
          setOpen(true);
          mutation.mutate();
        }}
      >
        校验日志完整性
      </Button>
      <Modal
        title="审计日志完整性校验"
        open={open}
        onCancel={() => setOpen(false)}
        footer={
          <Button type="primary" onClick={() => setOpen(false)} disabled={mutation.isPending}>
            关闭
          </Button>
        }
      >
        {mutation.isPending && <Result status="info" title="正在校验，请稍候…" />}
        {mutation.error && <ErrorAlert error={mutation.error} />}
        {result &&
          (result.ok ? (
            <Result
              status="success"
              title="校验通过"
              subTitle={`共校验 ${result.checked} 条审计记录，哈希链完整，未发现篡改。`}
            />
          ) : (
            <Result
              status="error"
              title="校验未通过：审计日志可能已被篡改"
              subTitle={`已校验 ${result.checked} 条记录；自记录 ${result.firstBrokenId ?? '（未知）'} 起哈希链不连续。请立即报告安全管理员并保全现场。`}
            />
          ))}
      </Modal>
    </>
  );
}
