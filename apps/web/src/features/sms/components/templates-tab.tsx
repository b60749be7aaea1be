import { useState } from 'react';
import { Button, Flex, Table, Tag, Typography } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import type { SmsTemplate } from '@liudong/contracts';
import { SMS_TEMPLATE_KIND_LABELS } from '@liudong/domain';
import { ErrorAlert } from '../../../ui/error-alert';
import { orEmpty } from '../../../ui/format';
import { smsStatusQuery, smsTemplatesQuery } from '../api/sms-api';
import { previewText, variableLabel } from '../sms-values';
import { TemplateFormModal } from './template-form-modal';

/** 模板: every template with its variables; 新建 / 编辑 for sms.configure. */
export function TemplatesTab({ canConfigure }: { canConfigure: boolean }) {
  const templates = useQuery(smsTemplatesQuery());
  // Aliyun sends only approved templates, named by their code: one without is refused.
  const needsCode = useQuery(smsStatusQuery()).data?.driver === 'aliyun';
  const [editing, setEditing] = useState<SmsTemplate | 'new' | null>(null);
  return (
    <Flex vertical gap={16}>
      {canConfigure && (
        <Flex justify="flex-end">
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            新建模板
          </Button>
        </Flex>
      )}
      <ErrorAlert error={templates.error} />
      <Table<SmsTemplate>
        rowKey="id"
        size="middle"
        loading={templates.isFetching}
        dataSource={templates.data?.items ?? []}
        pagination={false}
        tableLayout="fixed"
        scroll={{ x: 1000 }}
        locale={{ emptyText: '暂无短信模板' }}
        columns={[
          {
            title: '名称',
            dataIndex: 'name',
            width: 130,
            render: (name: string, t) => (
              <Flex vertical>
                <span>{name}</span>
                {!t.active && (
                  <Tag style={{ marginInlineEnd: 0, alignSelf: 'flex-start' }}>已停用</Tag>
                )}
              </Flex>
            ),
          },
          {
            title: '类型',
            dataIndex: 'kind',
            width: 130,
            render: (kind: SmsTemplate['kind']) => SMS_TEMPLATE_KIND_LABELS[kind],
          },
          {
            title: '内容',
            dataIndex: 'body',
            render: (body: string) => {
              const preview = previewText(body, {}, true);
              return (
                <Flex vertical gap={2}>
                  <Typography.Text>{body}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    约 {preview.chars} 字 · {preview.segments} 条
                  </Typography.Text>
                </Flex>
              );
            },
          },
          {
            title: '变量',
            dataIndex: 'variables',
            width: 170,
            render: (variables: string[]) => (
              <Flex gap={4} wrap>
                {variables.map((v) => (
                  <Tag key={v} title={`\${${v}}`} style={{ marginInlineEnd: 0 }}>
                    {variableLabel(v)}
                  </Tag>
                ))}
              </Flex>
            ),
          },
          {
            title: '服务商模板编号',
            dataIndex: 'providerTemplateCode',
            width: 140,
            render: (value: string | null, t) =>
              !value && needsCode && t.active ? (
                <Tag color="warning" style={{ marginInlineEnd: 0 }}>
                  未填写，无法发送
                </Tag>
              ) : (
                orEmpty(value)
              ),
          },
          ...(canConfigure
            ? [
                {
                  title: '操作',
                  key: 'actions',
                  width: 80,
                  fixed: 'right' as const,
                  render: (_: unknown, t: SmsTemplate) => (
                    <Button
                      size="small"
                      type="link"
                      icon={<EditOutlined />}
                      onClick={() => setEditing(t)}
                    >
                      编辑
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {canConfigure && (
        <TemplateFormModal
          template={editing === 'new' ? null : editing}
          open={editing !== null}
          onClose={() => setEditing(null)}
        />
      )}
    </Flex>
  );
}
