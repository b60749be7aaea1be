import { App, Collapse, Flex, Form, Radio, Spin, Table, Typography, Upload } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import { IMPORT_KINDS, IMPORT_KIND_LABELS, type ImportKind } from '@liudong/contracts';
import { SHEET_FIELDS, type SheetField } from '@liudong/domain';
import { ErrorAlert } from '../../../ui/error-alert';
import { SHEET_FIELD_GROUPS, SHEET_FIELD_LABELS } from './import-labels';
import { isXlsxFileName } from './mapping-form';

const KIND_OPTIONS = IMPORT_KINDS.map((value) => ({ value, label: IMPORT_KIND_LABELS[value] }));

const KIND_HINTS: Record<ImportKind, string> = {
  members: '党员基本信息：姓名、身份证号码、性别、入党时间、所在党组织等。',
  ledger: '流动党员台账：在党员信息之外还有外出时间、流入地、工作单位等，导入时一并登记流出。',
};

const TITLE_ROWS = SHEET_FIELD_GROUPS.flatMap((group) =>
  group.fields.map((field) => ({ field, group: group.label })),
);

/** 第1步 选择文件: what the sheet is, then the file (checked here for the extension only). */
export function FileStep({
  kind,
  onKindChange,
  uploading,
  error,
  onFile,
}: {
  kind: ImportKind;
  onKindChange: (kind: ImportKind) => void;
  uploading: boolean;
  error: unknown;
  onFile: (file: File) => void;
}) {
  const { message } = App.useApp();

  return (
    <Flex vertical gap={16}>
      <Form layout="vertical" requiredMark={false}>
        <Form.Item label="导入内容" extra={KIND_HINTS[kind]} style={{ marginBottom: 0 }}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={KIND_OPTIONS}
            value={kind}
            disabled={uploading}
            onChange={(event) => onKindChange(event.target.value as ImportKind)}
          />
        </Form.Item>
      </Form>
      <ErrorAlert error={error} />
      <Spin spinning={uploading} description="正在上传并识别表头…">
        <Upload.Dragger
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          multiple={false}
          maxCount={1}
          showUploadList={false}
          disabled={uploading}
          beforeUpload={(file) => {
            // The server checks again (magic number, macros, size: SECURITY.md 24).
            if (!isXlsxFileName(file.name)) {
              message.error(
                '只能导入 .xlsx 格式的Excel文件；.xls 或 .xlsm 文件请先用Excel另存为 .xlsx',
              );
              return Upload.LIST_IGNORE;
            }
            onFile(file);
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">点击选择或将Excel文件拖到此处</p>
          <p className="ant-upload-hint">
            仅支持 .xlsx 文件（不含宏）。系统自动查找表头行并按列标题匹配字段，导入前可逐列核对。
            上传的文件只暂存用于本次导入，过期后自动删除。
          </p>
        </Upload.Dragger>
      </Spin>
      <Collapse
        size="small"
        items={[
          {
            key: 'titles',
            label: '系统能自动识别的列标题',
            children: (
              <Flex vertical gap={8}>
                <Typography.Text type="secondary">
                  列标题中的空格、全角字符、星号和括号内的说明会被忽略，例如“身份证号码（18位）*”可识别为身份证号码。其他标题可在下一步手动对应。
                </Typography.Text>
                <Table<{ field: SheetField; group: string }>
                  size="small"
                  rowKey="field"
                  pagination={false}
                  dataSource={TITLE_ROWS}
                  columns={[
                    { title: '类别', dataIndex: 'group', width: 100 },
                    {
                      title: '字段',
                      dataIndex: 'field',
                      width: 160,
                      render: (field: SheetField) => SHEET_FIELD_LABELS[field],
                    },
                    {
                      title: '可识别的列标题',
                      dataIndex: 'field',
                      key: 'titles',
                      render: (field: SheetField) => SHEET_FIELDS[field].join('、'),
                    },
                  ]}
                />
              </Flex>
            ),
          },
        ]}
      />
    </Flex>
  );
}
