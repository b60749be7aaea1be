import { Card, Flex, Result, Spin, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { isApiError } from '../api/client';
import { verifyCertificateQuery } from '../features/certificates/api/certificates-api';
import { ProductMark } from '../ui/product-mark';

/**
 * 活动证核验 (`/verify/:number`), public: whoever scans the QR code of a certificate sees whether
 * the number is valid — the number and its state, nothing about the person.
 */
export function VerifyCertificatePage() {
  const { number = '' } = useParams();
  const check = useQuery({ ...verifyCertificateQuery(number), enabled: number !== '' });

  let body;
  if (check.isPending) {
    body = (
      <Flex justify="center" style={{ padding: 48 }}>
        <Spin size="large" />
      </Flex>
    );
  } else if (check.error) {
    body =
      isApiError(check.error, 'not_found') || isApiError(check.error, 'validation_failed') ? (
        <Result
          status="warning"
          title="未查到该证号"
          subTitle={`系统中没有编号为「${number}」的流动党员活动证，请核对证号。`}
        />
      ) : (
        <Result status="error" title="暂时无法核验" subTitle={check.error.message} />
      );
  } else {
    const { valid, statusLabel } = check.data;
    body = (
      <Result
        status={valid ? 'success' : 'error'}
        title={valid ? '有效' : '无效'}
        subTitle={
          <Flex vertical gap={4}>
            <span>
              证号：
              <Typography.Text strong style={{ fontVariantNumeric: 'tabular-nums' }}>
                {check.data.number}
              </Typography.Text>
            </span>
            <span>状态：{statusLabel}</span>
          </Flex>
        }
      />
    );
  }

  return (
    <Flex vertical align="center" style={{ minHeight: '100vh', padding: '24px 16px' }}>
      <Card style={{ width: '100%', maxWidth: 520 }} styles={{ body: { padding: 0 } }}>
        <ProductMark />
        <div style={{ padding: '8px 24px 0' }}>
          <Typography.Title level={4} style={{ textAlign: 'center', marginBottom: 0 }}>
            流动党员活动证核验
          </Typography.Title>
        </div>
        {body}
      </Card>
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, fontSize: 12 }}>
        本页仅显示证号是否有效，不提供任何个人信息。
      </Typography.Paragraph>
    </Flex>
  );
}
