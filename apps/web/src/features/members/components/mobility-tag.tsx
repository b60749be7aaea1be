import { Flex, Tag, Typography } from 'antd';
import type { MobilityBrief } from '@liudong/contracts';
import {
  mobilityPlaceText,
  mobilitySummaryText,
  mobilityTagColor,
  mobilityTagText,
} from './member-labels';

export function MobilityTag({
  mobility,
}: {
  mobility: Pick<MobilityBrief, 'direction' | 'status'>;
}) {
  return (
    <Tag color={mobilityTagColor(mobility)} style={{ marginInlineEnd: 0 }}>
      {mobilityTagText(mobility)}
    </Tag>
  );
}

/** The list's 流动情况: '流出·服务中' with where the member is and the host org, or 未流动. */
export function MobilityCell({ mobility }: { mobility: MobilityBrief | null }) {
  if (!mobility) return <Typography.Text type="secondary">未流动</Typography.Text>;
  return (
    <Flex vertical gap={2} style={{ minWidth: 0 }} title={mobilitySummaryText(mobility)}>
      <Flex align="center" gap={6} style={{ minWidth: 0 }}>
        <MobilityTag mobility={mobility} />
        <Typography.Text ellipsis style={{ minWidth: 0 }}>
          {mobilityPlaceText(mobility)}
        </Typography.Text>
      </Flex>
      {mobility.hostOrgName && (
        <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
          接收：{mobility.hostOrgName}
        </Typography.Text>
      )}
    </Flex>
  );
}
