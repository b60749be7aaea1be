import { Tag, Tooltip } from 'antd';
import type { LostContactLevel, LostContactReason, QueueBucket } from '@liudong/contracts';
import {
  LOST_CONTACT_LEVEL_LABELS,
  LOST_CONTACT_REASON_LABELS,
  QUEUE_BUCKET_LABELS,
} from '@liudong/domain';

const LEVEL_COLORS: Record<LostContactLevel, string> = {
  ok: 'success',
  warning: 'warning',
  lost: 'error',
};

/** 正常 / 预警 / 失联 (DOMAIN.md §4; derived when read). */
export function LostLevelTag({
  level,
  warningPoint,
  showOk = true,
}: {
  level: LostContactLevel;
  warningPoint?: number | null;
  showOk?: boolean;
}) {
  if (level === 'ok' && !showOk) return null;
  const label =
    level === 'warning' && warningPoint
      ? `${LOST_CONTACT_LEVEL_LABELS.warning}·满${warningPoint}个月`
      : LOST_CONTACT_LEVEL_LABELS[level];
  return (
    <Tag color={LEVEL_COLORS[level]} style={{ marginInlineEnd: 0 }}>
      {label}
    </Tag>
  );
}

const BUCKET_COLORS: Record<QueueBucket, string> = {
  overdue: 'error',
  week: 'warning',
  later: 'default',
};

export function BucketTag({ bucket }: { bucket: QueueBucket }) {
  return (
    <Tag color={BUCKET_COLORS[bucket]} style={{ marginInlineEnd: 0 }}>
      {QUEUE_BUCKET_LABELS[bucket]}
    </Tag>
  );
}

export function ReachedTag({ reached }: { reached: boolean }) {
  return (
    <Tag color={reached ? 'success' : 'default'} style={{ marginInlineEnd: 0 }}>
      {reached ? '联系上' : '未联系上'}
    </Tag>
  );
}

/** The recorded reason code (①–⑦), or the suggested one drawn dashed until someone records it. */
export function ReasonTag({
  code,
  suggested,
}: {
  code: LostContactReason | null;
  suggested?: LostContactReason;
}) {
  if (code) return <Tag style={{ marginInlineEnd: 0 }}>{LOST_CONTACT_REASON_LABELS[code]}</Tag>;
  if (!suggested) return <>—</>;
  return (
    <Tooltip title="系统根据外出原因和流入地建议，尚未登记">
      <Tag style={{ marginInlineEnd: 0, color: '#8c8c8c', borderStyle: 'dashed' }}>
        建议：{LOST_CONTACT_REASON_LABELS[suggested]}
      </Tag>
    </Tooltip>
  );
}
