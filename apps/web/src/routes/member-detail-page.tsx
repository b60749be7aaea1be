import { useState } from 'react';
import { Button, Card, Flex, Space, Tag, Typography } from 'antd';
import { EditOutlined, ExportOutlined, PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useParams } from 'react-router';
import { MEMBERSHIP_LABELS, isOpenMobilityStatus } from '@liudong/domain';
import { BackLink, detailLoadState } from '../ui/detail-page';
import { useMe } from '../features/auth/hooks/use-me';
import { memberDetailQuery } from '../features/members/api/members-api';
import { MemberFormDrawer } from '../features/members/components/member-form-drawer';
import { MemberProfile } from '../features/members/components/member-profile';
import { MobilityRecords } from '../features/members/components/mobility-records';
import { MobilityTag } from '../features/members/components/mobility-tag';
import { CertificatesCard } from '../features/certificates/components/certificates-card';
import { MemberContactsCard } from '../features/contacts/components/member-contacts-card';
import { MobilityActions } from '../features/mobility/components/mobility-transition';
import { OutflowFormModal } from '../features/mobility/components/outflow-form-modal';
import { MemberTransferCard } from '../features/transfers/components/member-transfer-card';
import {
  RevealFieldModal,
  type RevealTarget,
} from '../features/members/components/reveal-field-modal';

/** One member (`/members/:id`): the masked record, 查看 for single values, 流动记录, print. */
export function MemberDetailPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const detail = useQuery(memberDetailQuery(id));
  const [isEditing, setEditing] = useState(false);
  const [revealing, setRevealing] = useState<RevealTarget | null>(null);
  const [isRegisteringOutflow, setRegisteringOutflow] = useState(false);

  const back = <BackLink to="/members" label="返回党员列表" />;
  const loading = detailLoadState({ query: detail, back, what: '党员', rows: 10 });
  if (loading || !detail.data) return loading;

  const member = detail.data;
  const openMobility = member.mobilities.find((mobility) => isOpenMobilityStatus(mobility.status));
  const openOutflow = member.mobilities.find(
    (mobility) => mobility.direction === 'outflow' && isOpenMobilityStatus(mobility.status),
  );
  const hasOpenOutflow = openOutflow !== undefined;
  const canRegisterOutflow = member.abilities.update && !hasOpenOutflow;

  return (
    <Flex vertical gap={16}>
      {back}
      <div className="print-only">
        <Typography.Text type="secondary">
          打印人：{me.account.displayName}（{me.account.username}） 打印时间：
          {dayjs().format('YYYY-MM-DD HH:mm')} 个人信息已脱敏
        </Typography.Text>
      </div>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Flex align="center" gap={8} wrap>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {member.name}
          </Typography.Title>
          <Tag color={member.membership === 'full' ? 'red' : 'gold'} style={{ marginInlineEnd: 0 }}>
            {MEMBERSHIP_LABELS[member.membership]}
          </Tag>
          {openMobility && <MobilityTag mobility={openMobility} />}
        </Flex>
        <Space className="no-print">
          {member.abilities.update && (
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
              编辑
            </Button>
          )}
          <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
            打印
          </Button>
        </Space>
      </Flex>

      <Card title="基本信息">
        <MemberProfile
          member={member}
          onReveal={(field, masked) =>
            setRevealing({ memberId: member.id, memberName: member.name, field, masked })
          }
        />
      </Card>

      <MobilityRecords
        mobilities={member.mobilities}
        extra={
          canRegisterOutflow ? (
            <Button
              className="no-print"
              icon={<ExportOutlined />}
              onClick={() => setRegisteringOutflow(true)}
            >
              登记流出
            </Button>
          ) : undefined
        }
        actions={(mobility) =>
          member.abilities.update && isOpenMobilityStatus(mobility.status) ? (
            <MobilityActions memberId={member.id} mobility={mobility} />
          ) : undefined
        }
      />
      <MemberContactsCard member={member} />
      <CertificatesCard member={member} hasOpenOutflow={hasOpenOutflow} />
      <MemberTransferCard
        member={member}
        canRequest={member.abilities.update}
        defaultRegionCode={openOutflow?.destinationRegionCode}
      />
      {canRegisterOutflow && (
        <OutflowFormModal
          member={member}
          open={isRegisteringOutflow}
          onClose={() => setRegisteringOutflow(false)}
        />
      )}

      {member.abilities.reveal && (
        <RevealFieldModal target={revealing} onClose={() => setRevealing(null)} />
      )}
      {member.abilities.update && (
        <MemberFormDrawer
          target={isEditing ? { mode: 'edit', member } : null}
          onClose={() => setEditing(false)}
          onSaved={() => setEditing(false)}
        />
      )}
    </Flex>
  );
}
