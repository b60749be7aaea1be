import { useState } from 'react';
import {
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  Popconfirm,
  Skeleton,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { EditOutlined, PhoneOutlined, UserAddOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { Contact, MemberContactsResponse, MemberDetail } from '@liudong/contracts';
import {
  CONTACT_CATEGORY_LABELS,
  SIGN_OF_LIFE_LABELS,
  isOpenMobilityStatus,
} from '@liudong/domain';
import { ErrorAlert } from '../../../ui/error-alert';
import { formatDate, formatDateTimeMinutes } from '../../../ui/format';
import { usePermission } from '../../auth/hooks/use-me';
import { optOutOfSms, undoSmsOptOut } from '../../sms/api/sms-api';
import { contactKeys, memberContactsQuery } from '../api/contacts-api';
import { intervalText } from '../contact-values';
import { AssignLiaisonModal } from './assign-liaison-modal';
import { AssignmentEditModal } from './assignment-edit-modal';
import { ContactFormDrawer, type ContactTarget } from './contact-form-drawer';
import { BucketTag, LostLevelTag, ReachedTag } from './contact-tags';

const SOURCE_LABELS: Record<Contact['source'], string | null> = {
  liaison: null,
  census: '摸排',
  self_report: '本人报告',
  import: '导入',
};

const TEXT_FIELDS = [
  ['work', '工作情况'],
  ['life', '生活情况'],
  ['thinking', '思想状况'],
  ['difficulties', '困难诉求'],
  ['followUp', '跟进事项'],
] as const;

/**
 * 联系记录 on a member's page (issue 4 §7): the 三定 (liaison, schedule, duty, next due day), the
 * lost-contact status as computed now, and the contact history, newest first, with 登记联系 opening
 * the same form as the queue.
 */
export function MemberContactsCard({ member }: { member: MemberDetail }) {
  const canLog = usePermission('contact.log');
  const canAssign = usePermission('liaison.assign');
  const contacts = useInfiniteQuery(memberContactsQuery(member.id));
  const [target, setTarget] = useState<ContactTarget | null>(null);
  const [isAssigning, setAssigning] = useState(false);
  const [isEditing, setEditing] = useState(false);

  const openOutflow = member.mobilities.find(
    (m) => m.direction === 'outflow' && isOpenMobilityStatus(m.status),
  );
  const first: MemberContactsResponse | undefined = contacts.data?.pages[0];
  const items = contacts.data?.pages.flatMap((page) => page.items) ?? [];
  const assignment = first?.assignment ?? null;

  const logContact = () =>
    setTarget({
      memberId: member.id,
      memberName: member.name,
      orgName: member.orgName,
      destinationName: openOutflow?.destinationName,
      employer: openOutflow?.employer,
      phoneMasked: member.phoneMasked,
      lastContactOn: items[0]?.contactedOn ?? null,
      dueOn: first?.dueOn ?? null,
      lostLevel: first?.lost?.level,
    });

  const actions = (
    <Space wrap className="no-print">
      {canAssign && openOutflow && first && (
        <Button
          icon={assignment ? <EditOutlined /> : <UserAddOutlined />}
          onClick={() => (assignment ? setEditing(true) : setAssigning(true))}
        >
          {assignment ? '调整三定' : '分配联络员'}
        </Button>
      )}
      {canAssign && assignment && <Button onClick={() => setAssigning(true)}>更换联络员</Button>}
      {canLog && openOutflow && (
        <Button type="primary" icon={<PhoneOutlined />} onClick={logContact}>
          登记联系
        </Button>
      )}
    </Space>
  );

  return (
    <Card title="联系记录" className="member-contacts" extra={actions}>
      {contacts.isPending ? (
        <Skeleton active paragraph={{ rows: 4 }} />
      ) : contacts.error ? (
        <ErrorAlert error={contacts.error} />
      ) : (
        <Flex vertical gap={16}>
          {first && <SmsLine memberId={member.id} sms={first.sms} />}
          {first && (openOutflow || assignment) && (
            <Descriptions
              bordered
              size="small"
              column={{ xs: 1, sm: 1, md: 2 }}
              styles={{ label: { width: 112, whiteSpace: 'nowrap' } }}
              items={[
                {
                  key: 'liaison',
                  label: '联络员',
                  children: assignment ? (
                    assignment.liaisonName
                  ) : (
                    <Tag color="warning" style={{ marginInlineEnd: 0 }}>
                      未分配联络员
                    </Tag>
                  ),
                },
                {
                  key: 'interval',
                  label: '联系周期',
                  children: assignment
                    ? `${intervalText(assignment.effectiveIntervalMonths)}（${CONTACT_CATEGORY_LABELS[assignment.category]}${assignment.intervalMonths ? '，单独设置' : ''}）`
                    : '—',
                },
                {
                  key: 'due',
                  label: '下次应联系',
                  children: first.dueOn ? (
                    <Space size={6}>
                      {formatDate(first.dueOn)}
                      {first.bucket && <BucketTag bucket={first.bucket} />}
                    </Space>
                  ) : (
                    '—'
                  ),
                },
                {
                  key: 'lost',
                  label: '失联状态',
                  children: first.lost ? (
                    <Space size={6} wrap>
                      <LostLevelTag
                        level={first.lost.level}
                        warningPoint={first.lost.warningPoint}
                      />
                      <Typography.Text type="secondary">
                        最近{SIGN_OF_LIFE_LABELS[first.lost.lastSignKind]}{' '}
                        {formatDate(first.lost.lastSignOn)}，已 {first.lost.monthsWithout} 个月
                      </Typography.Text>
                    </Space>
                  ) : (
                    '—'
                  ),
                },
                ...(assignment
                  ? [
                      {
                        key: 'duty',
                        label: '职责',
                        span: 'filled' as const,
                        children: assignment.duty,
                      },
                    ]
                  : []),
              ]}
            />
          )}
          {items.length === 0 ? (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={
                openOutflow ? '暂无联系记录' : '该党员没有进行中的流出登记，暂无联系记录'
              }
            />
          ) : (
            <Timeline
              items={items.map((contact) => ({
                key: contact.id,
                color: contact.reached ? 'green' : 'gray',
                content: <ContactEntry contact={contact} />,
              }))}
            />
          )}
          {contacts.hasNextPage && (
            <Button
              className="no-print"
              onClick={() => void contacts.fetchNextPage()}
              loading={contacts.isFetchingNextPage}
              style={{ alignSelf: 'center' }}
            >
              加载更多
            </Button>
          )}
        </Flex>
      )}
      {canLog && <ContactFormDrawer target={target} onClose={() => setTarget(null)} />}
      {canAssign && (
        <>
          <AssignLiaisonModal
            memberIds={[member.id]}
            title={`${assignment ? '更换' : '分配'}联络员 · ${member.name}`}
            open={isAssigning}
            onClose={() => setAssigning(false)}
          />
          <AssignmentEditModal
            assignment={isEditing ? assignment : null}
            memberName={member.name}
            onClose={() => setEditing(false)}
          />
        </>
      )}
    </Card>
  );
}

/**
 * 短信：whether texts reach the member (issue 4 §6: opt-out respected). The member tells their
 * branch they want no more texts (退订); the officers who keep the record (member.write, home or
 * host side, checked again by the server) record it here, and lift it when the member asks.
 */
function SmsLine({ memberId, sms }: { memberId: string; sms: MemberContactsResponse['sms'] }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const canWrite = usePermission('member.write');
  const change = useMutation({
    mutationFn: (optOut: boolean) => (optOut ? optOutOfSms(memberId) : undoSmsOptOut(memberId)),
    onSuccess: async (_, optOut) => {
      message.success(optOut ? '已登记退订，不再向该党员发送短信' : '已恢复接收短信');
      await queryClient.invalidateQueries({ queryKey: contactKeys.member(memberId) });
    },
    // The server's message as is (e.g. 该党员没有登记手机号码，无需退订).
    onError: (error) => message.error(error.message || '操作失败，请稍后重试'),
  });
  const confirm = (optOut: boolean) => change.mutateAsync(optOut).catch(() => undefined);

  return (
    <Flex align="center" gap={8} wrap className="member-sms-state">
      <Typography.Text type="secondary">短信：</Typography.Text>
      {!sms.hasPhone ? (
        <Typography.Text type="secondary">未登记手机号</Typography.Text>
      ) : sms.optedOut ? (
        <Tag color="warning" style={{ marginInlineEnd: 0 }}>
          已退订（不再发送短信）
        </Tag>
      ) : (
        <Typography.Text>正常接收</Typography.Text>
      )}
      {canWrite &&
        sms.hasPhone &&
        (sms.optedOut ? (
          <Popconfirm
            title="恢复接收短信"
            description="恢复后系统将照常向该党员发送短信（含群发）。请确认是党员本人的要求。"
            okText="恢复接收"
            cancelText="取消"
            onConfirm={() => confirm(false)}
          >
            <Button size="small" className="no-print" loading={change.isPending}>
              恢复接收
            </Button>
          </Popconfirm>
        ) : (
          <Popconfirm
            title="登记退订"
            description="登记后系统不再向该党员发送任何短信（含群发）。"
            okText="登记退订"
            okButtonProps={{ danger: true }}
            cancelText="取消"
            onConfirm={() => confirm(true)}
          >
            <Button size="small" className="no-print" loading={change.isPending}>
              登记退订
            </Button>
          </Popconfirm>
        ))}
    </Flex>
  );
}

function ContactEntry({ contact }: { contact: Contact }) {
  const source = SOURCE_LABELS[contact.source];
  const by = [
    contact.liaisonName && `联络员 ${contact.liaisonName}`,
    contact.recordedByName && `登记人 ${contact.recordedByName}`,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <Flex vertical gap={4}>
      <Space size={8} wrap>
        <Typography.Text strong>{formatDate(contact.contactedOn)}</Typography.Text>
        <Typography.Text>{contact.channelLabel}</Typography.Text>
        <ReachedTag reached={contact.reached} />
        {source && <Tag style={{ marginInlineEnd: 0 }}>{source}</Tag>}
        {contact.followUpNeeded && (
          <Tag color="orange" style={{ marginInlineEnd: 0 }}>
            需跟进
          </Tag>
        )}
      </Space>
      {TEXT_FIELDS.map(([field, label]) =>
        contact[field] ? (
          <Typography.Paragraph key={field} style={{ margin: 0 }}>
            <Typography.Text type="secondary">{label}：</Typography.Text>
            {contact[field]}
          </Typography.Paragraph>
        ) : null,
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {by ? `${by} · ` : ''}
        {formatDateTimeMinutes(contact.createdAt)} 登记
      </Typography.Text>
    </Flex>
  );
}
