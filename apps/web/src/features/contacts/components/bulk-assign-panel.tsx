import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  InputNumber,
  Row,
  Skeleton,
  Typography,
} from 'antd';
import { ThunderboltOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { AssignLiaisonInput, type Liaison } from '@liudong/contracts';
import { MAX_CONTACT_INTERVAL_MONTHS } from '@liudong/domain';
import { Link } from 'react-router';
import { ErrorAlert } from '../../../ui/error-alert';
import { showZodErrors } from '../../../ui/zod-form';
import { activeGrant, useMe } from '../../auth/hooks/use-me';
import { OrgPicker } from '../../orgs/components/org-picker';
import { assignLiaison, queueSummaryQuery } from '../api/contacts-api';
import { DEFAULT_DUTY, unassignedSummaryText } from '../contact-values';
import { useRefreshAfterAssignment } from '../hooks/use-refresh-after-assignment';
import { LiaisonSelect } from './liaison-select';

interface PanelValues {
  orgId?: string | null;
  liaisonId?: string;
  duty?: string;
  intervalMonths?: number | null;
}

/**
 * 一键分配 (issue 4 §1, "a branch officer assigns liaisons to all outbound members in a minute"):
 * every outbound member of an org (and below) who has no liaison yet gets the chosen liaison, the
 * duty and the schedule in one step, after a confirmation that names the count.
 */
export function BulkAssignPanel() {
  const me = useMe();
  const grant = activeGrant(me);
  const [form] = Form.useForm<PanelValues>();
  const { message, modal } = App.useApp();
  const refresh = useRefreshAfterAssignment();
  const orgId = Form.useWatch('orgId', form) ?? grant?.orgId ?? null;
  const [orgName, setOrgName] = useState<string | null>(grant?.orgName ?? null);
  const [liaison, setLiaison] = useState<Liaison | null>(null);
  const summary = useQuery({
    ...queueSummaryQuery('org', orgId ?? undefined),
    enabled: orgId !== null,
  });
  const unassigned = summary.data?.unassigned ?? 0;

  const mutation = useMutation({
    mutationFn: (input: AssignLiaisonInput) => assignLiaison(input),
    onSuccess: async (result) => {
      message.success(
        `已为 ${result.assigned} 名党员分配联络员${liaison ? ` ${liaison.name}` : ''}`,
      );
      await refresh();
    },
  });

  const onFinish = (values: PanelValues) => {
    const parsed = AssignLiaisonInput.safeParse({
      target: { filter: { orgId: values.orgId ?? '', unassignedOnly: true } },
      liaisonId: values.liaisonId ?? '',
      duty: values.duty?.trim() ?? '',
      intervalMonths: values.intervalMonths ?? null,
    });
    if (!parsed.success) {
      showZodErrors(form, parsed.error);
      return;
    }
    modal.confirm({
      title: `确认分配 ${unassigned} 名党员？`,
      content: `${orgName ?? '本组织'}（含下级组织）尚未分配联络员的 ${unassigned} 名流出党员，将全部由${liaison?.name ?? '所选联络员'}负责联系${
        values.intervalMonths
          ? `（每${values.intervalMonths}个月至少一次）`
          : '（按组织规定的周期）'
      }。已有联络员的党员不变。`,
      okText: `确认分配（${unassigned} 人）`,
      cancelText: '取消',
      onOk: () => mutation.mutateAsync(parsed.data).catch(() => undefined),
    });
  };

  return (
    <Card
      title="一键分配联络员（定人·定时·定责）"
      extra={<Link to="/contacts?view=org&bucket=unassigned">按人勾选分配</Link>}
    >
      <Form<PanelValues>
        form={form}
        layout="vertical"
        disabled={mutation.isPending}
        initialValues={{ orgId: grant?.orgId ?? null, duty: DEFAULT_DUTY, intervalMonths: null }}
        onFinish={onFinish}
        autoComplete="off"
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              label="组织"
              name="orgId"
              rules={[{ required: true, message: '请选择组织' }]}
            >
              <OrgPicker
                initialLabel={grant?.orgName}
                onChange={(_, org) => setOrgName(org?.name ?? null)}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              label="联络员（定人）"
              name="liaisonId"
              rules={[{ required: true, message: '请选择联络员' }]}
            >
              <LiaisonSelect onChange={(_, picked) => setLiaison(picked)} />
            </Form.Item>
          </Col>
        </Row>
        <div role="status" aria-live="polite" style={{ marginBottom: 16 }}>
          {orgId === null ? null : summary.isPending ? (
            <Skeleton.Input active size="small" style={{ width: 320 }} />
          ) : summary.error ? (
            <ErrorAlert error={summary.error} />
          ) : (
            <Alert
              type={unassigned > 0 ? 'warning' : 'success'}
              showIcon
              title={unassignedSummaryText(summary.data)}
              description={
                unassigned === 0 && summary.data.total > 0
                  ? '所有流出党员都已明确联络员。'
                  : undefined
              }
            />
          )}
        </div>
        <Row gutter={16}>
          <Col xs={24} md={16}>
            <Form.Item
              label="职责（定责）"
              name="duty"
              rules={[
                { required: true, whitespace: true, message: '请填写联络员的职责' },
                { max: 300, message: '不超过300个字' },
              ]}
            >
              <Input.TextArea maxLength={300} autoSize={{ minRows: 2, maxRows: 5 }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              label="联系周期（定时）"
              name="intervalMonths"
              extra="留空按组织规定：默认每月一次，出国（境）每6个月一次"
            >
              <InputNumber
                min={1}
                max={MAX_CONTACT_INTERVAL_MONTHS}
                precision={0}
                placeholder="按组织规定"
                prefix="每"
                suffix="个月一次"
                style={{ width: '100%' }}
              />
            </Form.Item>
          </Col>
        </Row>
        {mutation.error && <ErrorAlert error={mutation.error} style={{ marginBottom: 16 }} />}
        <Flex gap={12} align="center" wrap>
          <Button
            type="primary"
            htmlType="submit"
            icon={<ThunderboltOutlined />}
            loading={mutation.isPending}
            disabled={unassigned === 0}
          >
            一键分配{unassigned > 0 ? `（${unassigned} 人）` : ''}
          </Button>
          <Typography.Text type="secondary">只分配尚未分配联络员的党员</Typography.Text>
        </Flex>
      </Form>
    </Card>
  );
}
