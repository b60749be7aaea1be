import { Button, Flex, Result, Skeleton, Typography } from 'antd';
import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import QRCode from 'qrcode';
import { Link, useParams, useSearchParams } from 'react-router';
import { GENDER_LABELS } from '@liudong/domain';
import { memberCertificatesQuery } from '../features/certificates/api/certificates-api';
import { memberDetailQuery } from '../features/members/api/members-api';
import { BRAND_RED } from '../ui/theme';

const PRINT_CSS = `
@page { size: A4; margin: 15mm; }
@media print {
  body, #root { background: #fff !important; }
  .certificate-toolbar { display: none !important; }
  .certificate-page { padding: 0 !important; background: #fff !important; }
  .certificate-sheet { box-shadow: none !important; margin: 0 !important; padding: 0 !important; width: auto !important; }
}
`;

const verifyUrl = (number: string) =>
  `${window.location.origin}/verify/${encodeURIComponent(number)}`;

/** The certificate on an A4 sheet (`/certificates/:id/print?member=…`), with its QR code. */
export function CertificatePrintPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const memberId = params.get('member') ?? '';
  const member = useQuery({ ...memberDetailQuery(memberId), enabled: memberId !== '' });
  const certificates = useQuery({ ...memberCertificatesQuery(memberId), enabled: memberId !== '' });
  const certificate = certificates.data?.items.find((item) => item.id === id);
  const qr = useQuery({
    queryKey: ['certificate-qr', certificate?.number ?? ''],
    queryFn: () =>
      QRCode.toDataURL(verifyUrl(certificate?.number ?? ''), {
        margin: 1,
        width: 320,
        errorCorrectionLevel: 'M',
      }),
    enabled: certificate !== undefined,
    staleTime: Infinity,
  });

  const toolbar = (
    <Flex className="certificate-toolbar" justify="space-between" style={{ marginBottom: 16 }}>
      <Link to={memberId ? `/members/${memberId}` : '/members'}>
        <Button type="link" icon={<ArrowLeftOutlined />} style={{ paddingInline: 0 }}>
          返回党员详情
        </Button>
      </Link>
      <Button
        type="primary"
        icon={<PrinterOutlined />}
        disabled={!certificate || !qr.data}
        onClick={() => window.print()}
      >
        打印
      </Button>
    </Flex>
  );

  let sheet;
  if (!memberId) {
    sheet = <Result status="404" title="请从党员详情页的活动证卡片中打开打印" />;
  } else if (member.isPending || certificates.isPending) {
    sheet = <Skeleton active paragraph={{ rows: 12 }} />;
  } else if (member.error || certificates.error || !certificate) {
    sheet = (
      <Result
        status="404"
        title="未找到该活动证"
        subTitle={(member.error ?? certificates.error)?.message}
      />
    );
  } else {
    const m = member.data;
    const rows: [string, string][] = [
      ['姓　　名', m?.name ?? '—'],
      ['性　　别', m ? GENDER_LABELS[m.gender] : '—'],
      ['所属党组织', m?.orgName ?? '—'],
      ['发证日期', dayjs(certificate.issuedOn).format('YYYY年M月D日')],
      ['发证机关', certificate.issuedByOrgName ?? '—'],
    ];
    sheet = (
      <div style={{ border: `3px double ${BRAND_RED}`, padding: '14mm 16mm', minHeight: '225mm' }}>
        <Typography.Title
          level={1}
          style={{ textAlign: 'center', color: BRAND_RED, letterSpacing: 8, marginBottom: 8 }}
        >
          流动党员活动证
        </Typography.Title>
        <Typography.Paragraph style={{ textAlign: 'center', fontSize: 16 }}>
          证号：
          <span style={{ fontVariantNumeric: 'tabular-nums', fontWeight: 600 }}>
            {certificate.number}
          </span>
        </Typography.Paragraph>
        {certificate.status !== 'issued' && (
          <Typography.Paragraph type="danger" style={{ textAlign: 'center' }}>
            （此证{certificate.statusLabel}，不再有效）
          </Typography.Paragraph>
        )}
        <table
          style={{
            width: '100%',
            borderCollapse: 'collapse',
            fontSize: 18,
            marginTop: '14mm',
          }}
        >
          <tbody>
            {rows.map(([label, value]) => (
              <tr key={label}>
                <th
                  style={{
                    width: '38mm',
                    textAlign: 'left',
                    padding: '5mm 0',
                    borderBottom: '1px solid #ddd',
                    fontWeight: 600,
                  }}
                >
                  {label}
                </th>
                <td style={{ padding: '5mm 0', borderBottom: '1px solid #ddd' }}>{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <Flex justify="space-between" align="flex-end" style={{ marginTop: '18mm' }}>
          <Flex vertical align="center" gap={4}>
            {qr.data && (
              <img src={qr.data} alt="活动证核验二维码" style={{ width: '38mm', height: '38mm' }} />
            )}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              扫码核验证件是否有效
            </Typography.Text>
          </Flex>
          <Flex vertical align="flex-end" gap={8} style={{ fontSize: 16 }}>
            <span>{certificate.issuedByOrgName ?? ''}（盖章）</span>
            <span>{dayjs(certificate.issuedOn).format('YYYY年M月D日')}</span>
          </Flex>
        </Flex>
        <Typography.Paragraph type="secondary" style={{ marginTop: '14mm', fontSize: 12 }}>
          持证人外出期间应主动向流入地党组织报到，按规定参加组织生活；本证每年年审一次，返回时交回原发证党组织。
        </Typography.Paragraph>
      </div>
    );
  }

  return (
    <div className="certificate-page" style={{ minHeight: '100vh', padding: 24 }}>
      <style>{PRINT_CSS}</style>
      <div
        className="certificate-sheet"
        style={{
          width: '210mm',
          maxWidth: '100%',
          margin: '0 auto',
          background: '#fff',
          padding: '15mm',
          boxSizing: 'border-box',
          boxShadow: '0 2px 12px rgba(0,0,0,0.08)',
        }}
      >
        {toolbar}
        {sheet}
      </div>
    </div>
  );
}
