import { Flex, Progress, Tag, Typography } from 'antd';
import type { CensusCampaign, CensusCounts, CensusTask } from '@liudong/contracts';
import { progressPercent, progressText, TASK_STATUS_COLORS } from '../census-values';

/**
 * 已核实 x / 总数 with the share as a bar. Done (nothing pending) shows green; a campaign with no
 * task at all says so instead of an empty bar.
 */
export function CensusProgressBar({
  counts,
  size = 'default',
  closed = false,
}: {
  counts: CensusCounts;
  size?: 'default' | 'small';
  /** A closed campaign's bar stands still: what was left pending stays so. */
  closed?: boolean;
}) {
  if (counts.total === 0) {
    return <Typography.Text type="secondary">无核实任务</Typography.Text>;
  }
  const percent = progressPercent(counts);
  return (
    <Flex vertical gap={0} style={{ minWidth: 0 }}>
      <Progress
        percent={percent}
        size={size === 'small' ? 'small' : 'default'}
        status={counts.pending === 0 ? 'success' : closed ? 'normal' : 'active'}
        // The share in figures even when done (antd would show a tick instead): "100%".
        format={(value) => `${value ?? 0}%`}
        aria-label={`核实进度 ${percent}%`}
      />
      <Typography.Text
        type="secondary"
        style={{ fontSize: 12, fontVariantNumeric: 'tabular-nums' }}
      >
        {progressText(counts)}
      </Typography.Text>
    </Flex>
  );
}

export function CampaignStatusTag({
  campaign,
}: {
  campaign: Pick<CensusCampaign, 'status' | 'statusLabel'>;
}) {
  return (
    <Tag
      color={campaign.status === 'open' ? 'processing' : 'default'}
      style={{ marginInlineEnd: 0 }}
    >
      {campaign.statusLabel}
    </Tag>
  );
}

export function TaskStatusTag({ task }: { task: Pick<CensusTask, 'status' | 'statusLabel'> }) {
  return (
    <Tag color={TASK_STATUS_COLORS[task.status]} style={{ marginInlineEnd: 0 }}>
      {task.statusLabel}
    </Tag>
  );
}
