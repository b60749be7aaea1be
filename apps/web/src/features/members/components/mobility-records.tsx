import type { ReactNode } from 'react';
import { Card, Descriptions, Empty, Flex, Timeline, Typography } from 'antd';
import type { MobilityRecord } from '@liudong/contracts';
import { MOBILITY_DIRECTION_LABELS, MOBILITY_STATUS_LABELS } from '@liudong/domain';
import { formatDate, formatDateTimeMinutes, orEmpty } from '../../../ui/format';
import {
  industryLabel,
  mobilitiesNewestFirst,
  mobilityRangeLabel,
  mobilityReasonLabel,
  occupationLabel,
  unitTypeLabel,
} from './member-labels';
import { MobilityTag } from './mobility-tag';

function describeMobility(mobility: MobilityRecord) {
  const isOutflow = mobility.direction === 'outflow';
  return [
    { key: 'direction', label: '方向', children: MOBILITY_DIRECTION_LABELS[mobility.direction] },
    { key: 'status', label: '状态', children: MOBILITY_STATUS_LABELS[mobility.status] },
    { key: 'registeredOn', label: '登记日期', children: formatDate(mobility.registeredOn) },
    {
      key: 'leftOn',
      label: isOutflow ? '外出日期' : '流入日期',
      children: formatDate(mobility.leftOn),
    },
    {
      key: 'place',
      label: isOutflow ? '流入地' : '流出地',
      children: orEmpty(mobility.destinationName ?? mobility.destinationRegionCode),
    },
    {
      key: 'address',
      label: isOutflow ? '流入地详细地址' : '现住地址',
      children: orEmpty(mobility.destinationAddressMasked),
    },
    { key: 'employer', label: '工作单位', children: orEmpty(mobility.employer) },
    { key: 'industry', label: '行业', children: industryLabel(mobility.industry) },
    { key: 'unitType', label: '单位性质', children: unitTypeLabel(mobility.unitType) },
    {
      key: 'occupation',
      label: '原职业',
      children: occupationLabel(mobility.originalOccupation),
    },
    { key: 'reason', label: '外出原因', children: mobilityReasonLabel(mobility.reason) },
    { key: 'reasonNote', label: '原因说明', children: orEmpty(mobility.reasonNote) },
    {
      key: 'expectedMonths',
      label: '预计外出时长',
      children: mobility.expectedMonths ? `${mobility.expectedMonths}个月` : '—',
    },
    { key: 'range', label: '流动范围', children: mobilityRangeLabel(mobility.mobilityRange) },
    { key: 'homeOrg', label: '流出地党组织', children: orEmpty(mobility.homeOrgName) },
    { key: 'hostOrg', label: '接收党组织', children: orEmpty(mobility.hostOrgName) },
    { key: 'checkedInOn', label: '报到日期', children: formatDate(mobility.checkedInOn) },
    { key: 'hostContact', label: '接收方联系人', children: orEmpty(mobility.hostContact) },
    { key: 'endedOn', label: '结束日期', children: formatDate(mobility.endedOn) },
    { key: 'endNote', label: '结束说明', children: orEmpty(mobility.endNote), span: 2 },
  ];
}

function MobilityTimeline({ mobility }: { mobility: MobilityRecord }) {
  if (mobility.timeline.length === 0) {
    return <Typography.Text type="secondary">暂无状态变更记录</Typography.Text>;
  }
  return (
    <Timeline
      items={mobility.timeline.map((entry, index) => ({
        key: `${entry.at}-${index}`,
        color: index === mobility.timeline.length - 1 ? 'blue' : 'gray',
        content: (
          <Flex vertical gap={2}>
            <Typography.Text strong>
              {entry.fromStatus
                ? `${MOBILITY_STATUS_LABELS[entry.fromStatus]} → ${MOBILITY_STATUS_LABELS[entry.toStatus]}`
                : MOBILITY_STATUS_LABELS[entry.toStatus]}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDateTimeMinutes(entry.at)}
              {entry.actorName ? ` · ${entry.actorName}` : ''}
            </Typography.Text>
            {entry.note && <Typography.Text>{entry.note}</Typography.Text>}
          </Flex>
        ),
      }))}
    />
  );
}

/**
 * 流动记录: every episode, newest first, with its fields and its status timeline; `actions`
 * renders the buttons of one episode (its next steps), `extra` those of the whole card.
 */
export function MobilityRecords({
  mobilities,
  actions,
  extra,
}: {
  mobilities: readonly MobilityRecord[];
  actions?: (mobility: MobilityRecord) => ReactNode;
  extra?: ReactNode;
}) {
  const sorted = mobilitiesNewestFirst(mobilities);
  return (
    <Card title="流动记录" className="member-mobility-records" extra={extra}>
      {sorted.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无流动记录" />
      ) : (
        <Flex vertical gap={16}>
          {sorted.map((mobility) => (
            <Card
              key={mobility.id}
              size="small"
              type="inner"
              className="member-mobility-card"
              title={
                <Flex align="center" gap={8} wrap>
                  <MobilityTag mobility={mobility} />
                  <span>
                    {formatDate(mobility.leftOn)}
                    {mobility.endedOn ? ` 至 ${formatDate(mobility.endedOn)}` : ' 起'}
                  </span>
                </Flex>
              }
              extra={actions?.(mobility)}
            >
              <Flex gap={24} wrap align="flex-start">
                <Descriptions
                  bordered
                  size="small"
                  column={{ xs: 1, sm: 1, md: 2 }}
                  items={describeMobility(mobility)}
                  styles={{ label: { width: 128, whiteSpace: 'nowrap' } }}
                  style={{ flex: '1 1 560px', minWidth: 0 }}
                />
                <div style={{ flex: '0 1 280px', minWidth: 220 }}>
                  <Typography.Title level={5} style={{ marginTop: 0 }}>
                    状态变更
                  </Typography.Title>
                  <MobilityTimeline mobility={mobility} />
                </div>
              </Flex>
            </Card>
          ))}
        </Flex>
      )}
    </Card>
  );
}
