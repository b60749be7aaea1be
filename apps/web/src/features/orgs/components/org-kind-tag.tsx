import { Tag } from 'antd';
import { ORG_KIND_LABELS } from '@liudong/domain';
import type { OrgKindName } from '../api/orgs-api';

export function OrgKindTag({ kind }: { kind: OrgKindName }) {
  return (
    <Tag variant="filled" style={{ marginInlineEnd: 0, fontSize: 11, lineHeight: '18px' }}>
      {ORG_KIND_LABELS[kind]}
    </Tag>
  );
}

export function DissolvedTag() {
  return (
    <Tag color="default" style={{ marginInlineEnd: 0, fontSize: 11, lineHeight: '18px' }}>
      已撤销
    </Tag>
  );
}
