import { Alert, Button, Card, Col, Flex, Row, Statistic, Table, Typography, theme } from 'antd';
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import type { ImportCheckResult, ImportKind, ImportRowError } from '@liudong/contracts';
import { orEmpty } from '../../../ui/format';
import { importErrorsUrl } from '../api/imports-api';

/** Rows the commit would write: with none, importing would only record an empty batch. */
export const hasWork = (result: ImportCheckResult) =>
  result.toCreate + result.toUpdate + result.episodesToCreate > 0;

/**
 * 第3步 检查: the dry run's counts and row errors. Importing is possible only without errors —
 * the batch is all-or-nothing (SECURITY.md 25), so the sheet is fixed and uploaded again.
 */
export function CheckStep({
  importId,
  kind,
  result,
  onBack,
  onRestart,
  onCommit,
}: {
  importId: string;
  kind: ImportKind;
  result: ImportCheckResult;
  onBack: () => void;
  onRestart: () => void;
  onCommit: () => void;
}) {
  const hasErrors = result.errorCount > 0;
  const canCommit = !hasErrors && hasWork(result);

  return (
    <Flex vertical gap={16}>
      <Row gutter={[16, 16]}>
        <CountCard title="数据行" value={result.total} />
        <CountCard title="新增党员" value={result.toCreate} />
        <CountCard title="更新党员" value={result.toUpdate} />
        <CountCard title="跳过" value={result.toSkip} />
        {(kind === 'ledger' || result.episodesToCreate > 0) && (
          <CountCard title="流动登记" value={result.episodesToCreate} />
        )}
        <CountCard title="错误" value={result.errorCount} danger={hasErrors} />
      </Row>

      {hasErrors ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={`发现 ${result.errorCount.toLocaleString('zh-CN')} 处错误，暂不能导入`}
          description="导入是整批进行的：只要有一行有错，整批都不会写入。请下载错误报告，在原表格中改正后重新选择文件上传。"
          action={
            <Flex vertical gap={8}>
              <Button
                size="small"
                icon={<DownloadOutlined />}
                href={importErrorsUrl(importId)}
                download
              >
                下载错误报告
              </Button>
              <Button size="small" icon={<ReloadOutlined />} onClick={onRestart}>
                重新选择文件
              </Button>
            </Flex>
          }
        />
      ) : canCommit ? (
        <Alert type="success" showIcon title="检查通过，可以导入" />
      ) : (
        <Alert
          type="info"
          showIcon
          title="没有需要导入的数据"
          description="表格中的党员都已在系统中且按当前选择会被跳过（同一文件已导入过时也是如此）。如需更新已有党员，请返回上一步修改“身份证号码已在系统中的党员”的处理方式。"
        />
      )}

      {hasErrors && (
        <Flex vertical gap={8}>
          {result.errors.length < result.errorCount && (
            <Typography.Text type="secondary">
              下表列出前 {result.errors.length} 处错误，全部错误请下载错误报告查看。
            </Typography.Text>
          )}
          <Table<ImportRowError>
            size="small"
            rowKey={(error) => `${error.row}:${error.column ?? ''}:${error.message}`}
            dataSource={result.errors}
            pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
            tableLayout="fixed"
            columns={[
              { title: '行号', dataIndex: 'row', width: 72 },
              {
                title: '列',
                dataIndex: 'column',
                width: 160,
                render: (column: string | null) => column ?? '整行',
              },
              {
                title: '内容',
                dataIndex: 'value',
                width: 200,
                render: (value: string | null) => (
                  <Typography.Text ellipsis={{ tooltip: value }}>{orEmpty(value)}</Typography.Text>
                ),
              },
              {
                title: '问题',
                dataIndex: 'message',
                render: (message: string) => (
                  <Typography.Text type="danger">{message}</Typography.Text>
                ),
              },
            ]}
          />
        </Flex>
      )}

      <Flex justify="space-between" gap={8} wrap>
        <Button onClick={onBack}>上一步</Button>
        <Flex gap={8} wrap>
          {!hasErrors && (
            <Button icon={<ReloadOutlined />} onClick={onRestart}>
              重新选择文件
            </Button>
          )}
          <Button type="primary" disabled={!canCommit} onClick={onCommit}>
            导入
          </Button>
        </Flex>
      </Flex>
    </Flex>
  );
}

function CountCard({ title, value, danger }: { title: string; value: number; danger?: boolean }) {
  const { token } = theme.useToken();
  return (
    <Col xs={12} sm={8} md={4}>
      <Card size="small">
        <Statistic
          title={title}
          value={value}
          styles={danger ? { content: { color: token.colorError } } : undefined}
        />
      </Card>
    </Col>
  );
}
