import { useState } from 'react';
import {
  App,
  Button,
  Card,
  DatePicker,
  Flex,
  Form,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import type { OrgDetail, ServicePoint } from '@liudong/contracts';
import { SERVICE_LEVEL_LABELS } from '@liudong/domain';
import { isApiError } from '../../../api/client';
import { formatDate, orEmpty } from '../../../ui/format';
import { updateServicePoint } from '../api/orgs-api';
import { VERSION_CONFLICT_MESSAGE, useInvalidateOrgs } from '../hooks/use-org-mutations';
import { ServicePointModal } from './service-point-modal';

const CLOSE_FORM_ID = 'close-service-point-form';

/** The service network attached to the org, with create / edit / close / reopen per ability. */
export function ServicePointsCard({ org }: { org: OrgDetail }) {
  const { message } = App.useApp();
  const invalidateOrgs = useInvalidateOrgs();
  const canManage = org.abilities.manageServicePoints;
  const [editing, setEditing] = useState<{ point: ServicePoint | null } | null>(null);
  const [closing, setClosing] = useState<ServicePoint | null>(null);

  const statusMutation = useMutation({
    mutationFn: ({ point, closedOn }: { point: ServicePoint; closedOn: string | null }) =>
      updateServicePoint(point.id, { version: point.version, closedOn }),
    onSuccess: async (_, { closedOn }) => {
      message.success(closedOn ? '服务站点已关闭' : '服务站点已恢复');
      setClosing(null);
      await invalidateOrgs();
    },
    onError: async (error) => {
      message.error(
        isApiError(error, 'version_conflict') ? VERSION_CONFLICT_MESSAGE : error.message,
      );
      if (isApiError(error, 'version_conflict')) await invalidateOrgs();
    },
  });

  return (
    <Card
      title="党员服务站点"
      size="small"
      extra={
        canManage && (
          <Button
            size="small"
            icon={<PlusOutlined />}
            className="no-print"
            onClick={() => setEditing({ point: null })}
          >
            新建服务站点
          </Button>
        )
      }
    >
      <Table<ServicePoint>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={org.servicePoints}
        locale={{ emptyText: '暂无服务站点' }}
        tableLayout="fixed"
        // Fits the card beside the tree at 1440 px; only a much narrower card scrolls.
        scroll={{ x: 600 }}
        columns={[
          {
            title: '层级',
            dataIndex: 'level',
            width: 104,
            render: (level: ServicePoint['level']) => SERVICE_LEVEL_LABELS[level],
          },
          {
            title: '名称 / 地址',
            dataIndex: 'name',
            render: (name: string, point) => (
              <Flex vertical>
                <span>{name}</span>
                {point.address && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {point.address}
                  </Typography.Text>
                )}
              </Flex>
            ),
          },
          {
            title: '联系电话 / 开放时间',
            key: 'contact',
            width: 160,
            render: (_, point) => (
              <Flex vertical>
                <span>{orEmpty(point.phone)}</span>
                {point.openingHours && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {point.openingHours}
                  </Typography.Text>
                )}
              </Flex>
            ),
          },
          {
            title: '状态',
            dataIndex: 'closedOn',
            width: 100,
            render: (closedOn: string | null) =>
              closedOn ? (
                <Flex vertical align="flex-start" gap={2}>
                  <Tag style={{ marginInlineEnd: 0 }}>已关闭</Tag>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatDate(closedOn)}
                  </Typography.Text>
                </Flex>
              ) : (
                <Tag color="green">运行中</Tag>
              ),
          },
          ...(canManage
            ? [
                {
                  title: '操作',
                  key: 'actions',
                  width: 104,
                  render: (_: unknown, point: ServicePoint) => (
                    <Space size={0}>
                      <Button type="link" size="small" onClick={() => setEditing({ point })}>
                        编辑
                      </Button>
                      {point.closedOn ? (
                        <Popconfirm
                          title="恢复该服务站点？"
                          okText="恢复"
                          cancelText="取消"
                          onConfirm={() => statusMutation.mutateAsync({ point, closedOn: null })}
                        >
                          <Button type="link" size="small">
                            恢复
                          </Button>
                        </Popconfirm>
                      ) : (
                        <Button type="link" size="small" danger onClick={() => setClosing(point)}>
                          关闭
                        </Button>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && (
        <ServicePointModal
          orgId={org.id}
          point={editing.point}
          open
          onClose={() => setEditing(null)}
        />
      )}
      <Modal
        title={closing ? `关闭服务站点 · ${closing.name}` : ''}
        open={closing !== null}
        onCancel={() => setClosing(null)}
        okText="关闭站点"
        okButtonProps={{
          danger: true,
          htmlType: 'submit',
          form: CLOSE_FORM_ID,
          loading: statusMutation.isPending,
        }}
        destroyOnHidden
      >
        <Form<{ closedOn: Dayjs }>
          id={CLOSE_FORM_ID}
          layout="vertical"
          initialValues={{ closedOn: dayjs() }}
          onFinish={({ closedOn }) => {
            if (closing)
              statusMutation.mutate({ point: closing, closedOn: closedOn.format('YYYY-MM-DD') });
          }}
        >
          <Form.Item
            label="关闭日期"
            name="closedOn"
            rules={[{ required: true, message: '请选择关闭日期' }]}
          >
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
