import { Flex, Tag } from 'antd';
import type { Transfer } from '@liudong/contracts';
import { TRANSFER_STATUS_LABELS } from '@liudong/domain';
import { TRANSFER_STATUS_COLORS, overdueLabel } from './transfer-values';

/** 待审批 / 已开介绍信，待回执 / 已接收 / …, plus 逾期N天 in red for an overdue letter. */
export function TransferStatusTag({
  transfer,
  showOverdue = true,
}: {
  transfer: Pick<Transfer, 'status' | 'overdue' | 'overdueDays'>;
  /** Off where the due date's column already says it. */
  showOverdue?: boolean;
}) {
  const overdue = showOverdue ? overdueLabel(transfer) : null;
  return (
    <Flex gap={4} wrap>
      <Tag color={TRANSFER_STATUS_COLORS[transfer.status]} style={{ marginInlineEnd: 0 }}>
        {TRANSFER_STATUS_LABELS[transfer.status]}
      </Tag>
      {overdue && (
        <Tag color="red" style={{ marginInlineEnd: 0 }}>
          {overdue}
        </Tag>
      )}
    </Flex>
  );
}
