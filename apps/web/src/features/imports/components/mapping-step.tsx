import {
  Alert,
  Button,
  Checkbox,
  Col,
  Flex,
  Form,
  Input,
  Radio,
  Row,
  Select,
  Table,
  Tag,
  Typography,
} from 'antd';
import {
  DEDUPE_MODES,
  DEDUPE_MODE_LABELS,
  IMPORT_KIND_LABELS,
  type ImportColumn,
  type ImportPreview,
} from '@liudong/contracts';
import { isApiError } from '../../../api/client';
import { ErrorAlert } from '../../../ui/error-alert';
import { formatDateTime, formatDateTimeMinutes } from '../../../ui/format';
import { OrgPicker } from '../../orgs/components/org-picker';
import { SHEET_FIELD_LABELS } from './import-labels';
import {
  columnKey,
  columnLetter,
  duplicateFields,
  fieldList,
  fieldSelectOptions,
  headerRowText,
  mappingFromValues,
  missingRequiredFields,
  needsDefaultOrg,
  type ImportFormValues,
  type MappingValues,
} from './mapping-form';

const DEDUPE_OPTIONS = DEDUPE_MODES.map((value) => ({ value, label: DEDUPE_MODE_LABELS[value] }));
const MAPPING_NAME_MAX = 40;

type SampleRow = ImportPreview['sampleRows'][number];

/**
 * 第2步 核对列: the header the server found, a field for each sheet column (its suggestion first),
 * the masked sample rows, and the decisions that go with the data (default org, duplicates).
 */
export function MappingStep({
  preview,
  initialValues,
  defaultOrgLabel,
  switchingSheet,
  sheetError,
  onSheetChange,
  checking,
  checkError,
  onBack,
  onRestart,
  onSubmit,
}: {
  preview: ImportPreview;
  initialValues: ImportFormValues;
  defaultOrgLabel?: string;
  switchingSheet: boolean;
  sheetError: unknown;
  onSheetChange: (sheet: string) => void;
  checking: boolean;
  checkError: unknown;
  onBack: () => void;
  onRestart: () => void;
  onSubmit: (values: ImportFormValues) => void;
}) {
  // Its own form store: a new preview (another file or sheet) is a new component (keyed by id)
  // and starts from that preview's suggestions, not from the previous sheet's choices.
  const [form] = Form.useForm<ImportFormValues>();
  const watched = Form.useWatch<MappingValues | undefined>('mapping', form);
  const saveMapping = Form.useWatch<boolean | undefined>('saveMapping', form);
  const mapping = mappingFromValues(preview.columns, watched ?? initialValues.mapping);
  const duplicates = duplicateFields(mapping);
  const duplicateIndexes = new Set([...duplicates.values()].flat());
  const missing = missingRequiredFields(preview.missingRequired, mapping);
  const orgRequired = needsDefaultOrg(mapping);
  const fieldOptions = fieldSelectOptions(preview.missingRequired);
  const fieldOf = (index: number) => mapping.find((entry) => entry.index === index)?.field;
  const blocked = missing.length > 0 || duplicates.size > 0;
  const expired = isApiError(checkError, 'not_found');

  return (
    <Form<ImportFormValues>
      form={form}
      layout="vertical"
      initialValues={initialValues}
      disabled={checking || switchingSheet}
      onFinish={onSubmit}
      autoComplete="off"
    >
      <Flex vertical gap={16}>
        <Flex wrap gap={16} align="center">
          <Typography.Text>
            文件：<Typography.Text strong>{preview.fileName}</Typography.Text>（
            {IMPORT_KIND_LABELS[preview.kind]}）
          </Typography.Text>
          {preview.sheets.length > 1 ? (
            <Flex align="center" gap={8}>
              <label htmlFor="import-sheet">工作表：</label>
              <Select
                id="import-sheet"
                value={preview.sheetName}
                loading={switchingSheet}
                disabled={switchingSheet || checking}
                options={preview.sheets.map((sheet) => ({ value: sheet, label: sheet }))}
                onChange={onSheetChange}
                style={{ minWidth: 160 }}
              />
            </Flex>
          ) : (
            <Typography.Text>工作表：{preview.sheetName}</Typography.Text>
          )}
          <Tag color="blue" style={{ marginInlineEnd: 0 }}>
            {headerRowText(preview)}
          </Tag>
          <Typography.Text>共 {preview.totalRows.toLocaleString('zh-CN')} 行数据</Typography.Text>
          <Typography.Text type="secondary">
            请在 {formatDateTimeMinutes(preview.expiresAt)} 前完成导入，过期需重新上传
          </Typography.Text>
        </Flex>

        <ErrorAlert error={sheetError} />
        {preview.previousImport && (
          <Alert
            type="warning"
            showIcon
            title={`此文件已于 ${formatDateTime(preview.previousImport.committedAt)} 导入过${
              preview.previousImport.by ? `（操作人：${preview.previousImport.by}）` : ''
            }`}
            description="再次导入同一文件不会重复添加党员；如需更正数据，请修改表格后选择“用表格内容更新已有党员”。"
          />
        )}
        {preview.savedMappingName && (
          <Alert
            type="info"
            showIcon
            title={`已套用保存的列对应关系「${preview.savedMappingName}」，请核对后继续`}
          />
        )}
        {missing.length > 0 && (
          <Alert
            type="error"
            showIcon
            role="alert"
            title="以下必填项还没有对应的列"
            description={
              <Flex vertical gap={8}>
                <Flex wrap gap={4}>
                  {missing.map((field) => (
                    <Tag key={field} color="error">
                      {SHEET_FIELD_LABELS[field]}
                    </Tag>
                  ))}
                </Flex>
                <span>
                  请在下表“对应字段”中为它们选择表格里的列；表格中确实没有这些列的，请补充后重新上传。
                </span>
              </Flex>
            }
          />
        )}
        {duplicates.size > 0 && (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={`同一个字段只能对应一列：${[...duplicates]
              .map(
                ([field, indexes]) =>
                  `${SHEET_FIELD_LABELS[field]}（${indexes.map(columnLetter).join('、')}列）`,
              )
              .join('；')}`}
          />
        )}

        <Table<ImportColumn>
          size="small"
          rowKey="index"
          pagination={false}
          dataSource={preview.columns}
          tableLayout="fixed"
          scroll={{ x: 760 }}
          columns={[
            { title: '列', dataIndex: 'index', width: 56, render: columnLetter },
            {
              title: '表格中的标题',
              dataIndex: 'title',
              width: 200,
              render: (title: string) =>
                title || <Typography.Text type="secondary">（无标题）</Typography.Text>,
            },
            {
              title: '示例内容',
              key: 'sample',
              render: (_, column, position) => (
                <Typography.Text type="secondary" ellipsis>
                  {sampleValues(preview.sampleRows, position) || '（空）'}
                </Typography.Text>
              ),
            },
            {
              title: '对应字段',
              key: 'field',
              width: 220,
              render: (_, column) => (
                <Form.Item name={['mapping', columnKey(column.index)]} noStyle>
                  <Select
                    allowClear
                    showSearch={{ optionFilterProp: 'label' }}
                    placeholder="不导入此列"
                    options={fieldOptions}
                    status={duplicateIndexes.has(column.index) ? 'error' : undefined}
                    aria-label={`${columnLetter(column.index)}列“${column.title}”对应的字段`}
                    style={{ width: '100%' }}
                  />
                </Form.Item>
              ),
            },
            {
              title: '识别方式',
              dataIndex: 'source',
              width: 96,
              render: (source: ImportColumn['source'], column) =>
                fieldOf(column.index) !== (column.field ?? undefined) ? (
                  <Tag color="purple">手动</Tag>
                ) : source === 'saved' ? (
                  <Tag color="green">已保存</Tag>
                ) : source === 'auto' ? (
                  <Tag color="blue">自动识别</Tag>
                ) : (
                  <Typography.Text type="secondary">—</Typography.Text>
                ),
            },
          ]}
        />

        <div>
          <Typography.Title level={5}>
            数据预览（前 {preview.sampleRows.length} 行，个人信息已脱敏）
          </Typography.Title>
          <Table<SampleRow>
            size="small"
            rowKey="row"
            bordered
            pagination={false}
            dataSource={preview.sampleRows}
            tableLayout="fixed"
            scroll={{ x: 64 + preview.columns.length * 140 }}
            locale={{ emptyText: '表头下方没有数据行' }}
            columns={[
              { title: '行号', dataIndex: 'row', width: 64, fixed: 'left' },
              ...preview.columns.map((column, position) => {
                const field = fieldOf(column.index);
                return {
                  key: column.index,
                  width: 140,
                  title: (
                    <Flex vertical>
                      <span>{column.title || columnLetter(column.index)}</span>
                      <Typography.Text
                        type={field ? 'success' : 'secondary'}
                        style={{ fontSize: 12, fontWeight: 'normal' }}
                      >
                        {field ? `→ ${SHEET_FIELD_LABELS[field]}` : '不导入'}
                      </Typography.Text>
                    </Flex>
                  ),
                  render: (_: unknown, row: SampleRow) => (
                    <Typography.Text type={field ? undefined : 'secondary'} ellipsis>
                      {row.cells[position] ?? ''}
                    </Typography.Text>
                  ),
                };
              }),
            ]}
          />
        </div>

        <Row gutter={24}>
          <Col xs={24} lg={12}>
            <Form.Item
              label="默认党组织"
              name="defaultOrgId"
              rules={[
                {
                  required: orgRequired,
                  message: '表格中没有“所在党组织”列，请选择这些党员所属的党组织',
                },
              ]}
              extra={
                orgRequired
                  ? '表格中没有“所在党组织”列：全部党员导入到此组织'
                  : '“所在党组织”一列为空的行导入到此组织；只能选择您管辖范围内的组织'
              }
            >
              <OrgPicker initialLabel={defaultOrgLabel} placeholder="输入组织名称搜索" />
            </Form.Item>
          </Col>
          <Col xs={24} lg={12}>
            <Form.Item
              label="身份证号码已在系统中的党员"
              name="dedupe"
              extra="按身份证号码判断是否为已有党员"
            >
              <Radio.Group orientation="vertical" options={DEDUPE_OPTIONS} />
            </Form.Item>
          </Col>
          <Col xs={24} lg={12}>
            <Form.Item
              name="saveMapping"
              valuePropName="checked"
              style={{ marginBottom: saveMapping ? 8 : undefined }}
              extra={saveMapping ? undefined : '下次导入列标题相同的表格时自动套用'}
            >
              <Checkbox>保存列对应关系</Checkbox>
            </Form.Item>
            {saveMapping && (
              <Form.Item
                label="名称"
                name="mappingName"
                rules={[
                  { required: true, whitespace: true, message: '请填写名称，便于以后识别' },
                  { max: MAPPING_NAME_MAX, message: `不超过${MAPPING_NAME_MAX}个字` },
                ]}
                extra="下次导入列标题相同的表格时自动套用"
              >
                <Input
                  maxLength={MAPPING_NAME_MAX}
                  showCount
                  placeholder="如：2025年县委组织部名册模板"
                />
              </Form.Item>
            )}
          </Col>
        </Row>

        <ErrorAlert
          error={checkError}
          action={
            expired ? (
              <Button size="small" onClick={onRestart}>
                重新选择文件
              </Button>
            ) : undefined
          }
        />
        <Flex justify="space-between" gap={8} wrap>
          <Button onClick={onBack} disabled={checking}>
            重新选择文件
          </Button>
          <Flex align="center" gap={12}>
            {blocked && (
              <Typography.Text type="danger">
                {missing.length > 0
                  ? `请先为 ${fieldList(missing)} 选择对应的列`
                  : '请先处理重复对应的字段'}
              </Typography.Text>
            )}
            <Button type="primary" htmlType="submit" loading={checking} disabled={blocked}>
              检查数据
            </Button>
          </Flex>
        </Flex>
      </Flex>
    </Form>
  );
}

/**
 * The first few non-empty values of a column, as a hint of what it holds (already masked).
 * `position` is the column's place in `preview.columns`: sample cells follow that list, which
 * leaves out columns without a title, not the sheet's column indexes.
 */
function sampleValues(rows: readonly SampleRow[], position: number): string {
  return rows
    .map((row) => row.cells[position]?.trim() ?? '')
    .filter((value) => value !== '')
    .slice(0, 3)
    .join(' / ');
}
