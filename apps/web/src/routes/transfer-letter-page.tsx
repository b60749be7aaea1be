import { Button, Flex, Result, Skeleton } from 'antd';
import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { isApiError } from '../api/client';
import { transferLetterQuery } from '../features/transfers/api/transfers-api';
import { TransferLetterSheet } from '../features/transfers/components/transfer-letter-sheet';

// One A4 sheet: the toolbar and the on-screen frame disappear on paper; a part never splits.
const PRINT_CSS = `
@page { size: A4; margin: 12mm 15mm; }
@media print {
  /* Not 100% of the page: a rounding fraction past it would print a blank second sheet. */
  html, body, #root { height: auto !important; background: #fff !important; }
  .letter-toolbar { display: none !important; }
  .letter-page { padding: 0 !important; background: #fff !important; min-height: 0 !important; }
  .letter-sheet { box-shadow: none !important; margin: 0 !important; padding: 0 !important; width: auto !important; }
  .letter-part { break-inside: avoid; }
}
`;

/** 介绍信 (`/transfers/:id/letter`): the three parts on A4, opened in a tab of its own. */
export function TransferLetterPage() {
  const { id = '' } = useParams();
  const letter = useQuery(transferLetterQuery(id));
  const isReady = letter.data !== undefined && letter.data.transfer.letterNumber !== null;

  const toolbar = (
    <Flex className="letter-toolbar" justify="space-between" style={{ marginBottom: 16 }}>
      <Link to="/transfers">
        <Button type="link" icon={<ArrowLeftOutlined />} style={{ paddingInline: 0 }}>
          返回组织关系转接
        </Button>
      </Link>
      <Button
        type="primary"
        icon={<PrinterOutlined />}
        disabled={!isReady}
        onClick={() => window.print()}
      >
        打印
      </Button>
    </Flex>
  );

  let sheet;
  if (letter.isPending) {
    sheet = <Skeleton active paragraph={{ rows: 16 }} />;
  } else if (letter.error) {
    sheet = isApiError(letter.error, 'not_found') ? (
      <Result
        status="404"
        title="未找到该介绍信"
        subTitle="该转接不存在，或不在您当前角色的管辖范围内。"
      />
    ) : (
      <Result status="error" title="加载失败" subTitle={letter.error.message} />
    );
  } else if (!isReady) {
    sheet = (
      <Result
        status="info"
        title="尚未开具介绍信"
        subTitle="转接申请经审批批准后，系统才开具编号的介绍信。"
      />
    );
  } else {
    sheet = <TransferLetterSheet letter={letter.data} />;
  }

  return (
    <div className="letter-page" style={{ minHeight: '100vh', padding: 24 }}>
      <style>{PRINT_CSS}</style>
      <div
        className="letter-sheet"
        style={{
          width: '210mm',
          maxWidth: '100%',
          margin: '0 auto',
          background: '#fff',
          padding: '12mm 15mm',
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
