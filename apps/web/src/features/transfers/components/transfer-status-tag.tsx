import { Flex, Tag, Tooltip } from 'antd';
import type { Transfer } from '@liudong/contracts';
import { TRANSFER_STATUS_LABELS } from '@liudong/domain';
import { TRANSFER_STATUS_COLORS, overdueLabel } from './transfer-values';

/** 待审批 / 已开介绍信，待回执 / 已接收 / …, plus 逾期N天 in red for an overdue letter. */
export function TransferStatusTag({
  transfer,
  showOverdue = true,
}: {
  transfer: Pick<Transfer, 'status' | 'overdue' | 'overdueDays'> &
    Partial<Pick<Transfer, 'decisionNote' | 'cancelReason'>>;
  /** Off where the due date's column already says it. */
  showOverdue?: boolean;
}) {
  const overdue = showOverdue ? overdueLabel(transfer) : null;
  const why =
    transfer.status === 'rejected'
      ? transfer.decisionNote
      : transfer.status === 'cancelled'
        ? transfer.cancelReason
        : null;
  return (
    <Flex gap={4} wrap>
      {/* Why it was refused or withdrawn, on hover: the officer's own words. */}
      <Tooltip title={why ? `原因：${why}` : undefined}>
        <Tag color={TRANSFER_STATUS_COLORS[transfer.status]} style={{ marginInlineEnd: 0 }}>
          {TRANSFER_STATUS_LABELS[transfer.status]}
        </Tag>
      </Tooltip>
      {overdue && (
        <Tag color="red" style={{ marginInlineEnd: 0 }}>
          {overdue}
        </Tag>
      )}
    </Flex>
  );
}
