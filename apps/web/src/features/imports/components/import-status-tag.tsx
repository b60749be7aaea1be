import { Tag, Tooltip } from 'antd';
import type { ImportBatch } from '@liudong/contracts';
import { formatDateTime } from '../../../ui/format';
import { IMPORT_STATUS_COLORS, IMPORT_STATUS_LABELS } from './import-labels';

/** 已导入 / 已撤销 (with when, in a tooltip) / 未导入 / 已过期. */
export function ImportStatusTag({ batch }: { batch: Pick<ImportBatch, 'status' | 'undoneAt'> }) {
  const tag = (
    <Tag color={IMPORT_STATUS_COLORS[batch.status]} style={{ marginInlineEnd: 0 }}>
      {IMPORT_STATUS_LABELS[batch.status]}
    </Tag>
  );
  if (batch.status === 'undone' && batch.undoneAt) {
    return <Tooltip title={`撤销于 ${formatDateTime(batch.undoneAt)}`}>{tag}</Tooltip>;
  }
  return tag;
}
