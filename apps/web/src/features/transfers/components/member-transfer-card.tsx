import { useState } from 'react';
import { Button, Card, Descriptions, Empty, Flex } from 'antd';
import { NodeIndexOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ErrorAlert } from '../../../ui/error-alert';
import { formatDate, orEmpty } from '../../../ui/format';
import { transferListQuery } from '../api/transfers-api';
import { TransferActions } from './transfer-actions';
import { TransferRequestModal } from './transfer-request-modal';
import { TransferStatusTag } from './transfer-status-tag';
import { destinationText, openTransferOf } from './transfer-values';

/** A member's transfers are few: one page holds them all. */
const MEMBER_TRANSFER_LIMIT = 20;

/**
 * 组织关系转接 on a member's page: the transfer under way (if any), what the actor may do with
 * it and a link to the transfers page; 申请转接组织关系 when the actor keeps the member's record
 * and none is under way (one open transfer per member).
 */
export function MemberTransferCard({
  member,
  canRequest,
  defaultRegionCode,
}: {
  member: { id: string; name: string; orgId: string | null; orgName: string | null };
  /** The actor may write the member's record (member.write in scope). */
  canRequest: boolean;
  /** The destination of an open outflow: a likely region for a receiving org outside. */
  defaultRegionCode?: string | null;
}) {
  const [isRequesting, setRequesting] = useState(false);
  const transfers = useQuery(
    transferListQuery({ memberId: member.id }, undefined, MEMBER_TRANSFER_LIMIT),
  );
  const items = transfers.data?.items ?? [];
  const open = openTransferOf(items);
  // The sending org is the member's org of affiliation: a member whose affiliation lies
  // elsewhere (流入党员) is transferred by their home org.
  const isSender = canRequest && member.orgId !== null;
  const mayRequest = isSender && transfers.isSuccess && !open;
  const listLink = `/transfers?memberId=${encodeURIComponent(member.id)}`;

  return (
    <Card
      title="组织关系转接"
      className="member-transfers"
      extra={
        mayRequest ? (
          <Button
            className="no-print"
            icon={<NodeIndexOutlined />}
            onClick={() => setRequesting(true)}
          >
            申请转接组织关系
          </Button>
        ) : undefined
      }
    >
      <ErrorAlert error={transfers.error} style={{ marginBottom: 16 }} />
      {open ? (
        <Flex vertical gap={12}>
          <Descriptions
            bordered
            size="small"
            column={{ xs: 1, sm: 1, md: 2 }}
            styles={{ label: { width: 128, whiteSpace: 'nowrap' } }}
            items={[
              { key: 'status', label: '状态', children: <TransferStatusTag transfer={open} /> },
              { key: 'requestedOn', label: '申请日期', children: formatDate(open.requestedOn) },
              { key: 'from', label: '转出党组织', children: open.fromOrgName },
              { key: 'to', label: '接收党组织', children: destinationText(open) },
              { key: 'letter', label: '介绍信编号', children: orEmpty(open.letterNumber) },
              { key: 'due', label: '有效期至', children: formatDate(open.dueOn) },
              { key: 'reason', label: '转接原因', children: open.reason, span: 2 },
            ]}
          />
          <Flex justify="space-between" align="center" wrap gap={8} className="no-print">
            <TransferActions transfer={open} />
            <Link to={listLink}>在“组织关系转接”中查看</Link>
          </Flex>
        </Flex>
      ) : transfers.isSuccess ? (
        <Flex vertical align="center" gap={4}>
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无进行中的组织关系转接" />
          {items.length > 0 && (
            <Link to={listLink} className="no-print">
              查看以往的转接记录
            </Link>
          )}
        </Flex>
      ) : null}
      {isSender && (
        <TransferRequestModal
          member={member}
          open={isRequesting}
          onClose={() => setRequesting(false)}
          defaultRegionCode={defaultRegionCode}
        />
      )}
    </Card>
  );
}
