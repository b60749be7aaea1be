import type { ReactNode } from 'react';
import { Button, Descriptions, Flex } from 'antd';
import type { MemberDetail, RevealField } from '@liudong/contracts';
import {
  EDUCATION_LABELS,
  GENDER_LABELS,
  MEMBERSHIP_LABELS,
  isOpenMobilityStatus,
} from '@liudong/domain';
import { formatDate, formatDateTime, orEmpty } from '../../../ui/format';
import { REVEAL_FIELD_LABELS } from './member-labels';

/** A masked value, with 查看 beside it when the actor may reveal it and there is a value. */
function MaskedValue({
  field,
  masked,
  canReveal,
  onReveal,
}: {
  field: RevealField;
  masked: string | null;
  canReveal: boolean;
  onReveal: (field: RevealField, masked: string) => void;
}) {
  if (!masked) return <>—</>;
  return (
    <Flex align="center" gap={8} wrap>
      <span style={{ wordBreak: 'break-all' }}>{masked}</span>
      {canReveal && (
        <Button
          type="link"
          size="small"
          className="no-print"
          style={{ fontSize: 12, height: 'auto', padding: 0 }}
          aria-label={`查看完整${REVEAL_FIELD_LABELS[field]}`}
          onClick={() => onReveal(field, masked)}
        >
          查看
        </Button>
      )}
    </Flex>
  );
}

/** 基本信息 of one member, every personal field masked as the API returns it. */
export function MemberProfile({
  member,
  onReveal,
}: {
  member: MemberDetail;
  onReveal: (field: RevealField, masked: string) => void;
}) {
  const masked = (field: RevealField, value: string | null): ReactNode => (
    <MaskedValue
      field={field}
      masked={value}
      canReveal={member.abilities.reveal}
      onReveal={onReveal}
    />
  );
  return (
    <Descriptions
      bordered
      size="small"
      column={{ xs: 1, sm: 1, md: 2 }}
      styles={{ label: { width: 136, whiteSpace: 'nowrap' } }}
      items={[
        { key: 'name', label: '姓名', children: member.name },
        { key: 'gender', label: '性别', children: GENDER_LABELS[member.gender] },
        { key: 'ethnicity', label: '民族', children: orEmpty(member.ethnicity) },
        {
          key: 'birthDate',
          label: '出生日期',
          // Only the age: the birth date would complete the masked ID number (reveal to see it).
          children: masked('birthDate', member.age === null ? null : `${member.age} 岁`),
        },
        {
          key: 'education',
          label: '学历',
          children: member.education ? EDUCATION_LABELS[member.education] : '—',
        },
        { key: 'idNumber', label: '身份证号', children: masked('idNumber', member.idNumberMasked) },
        { key: 'phone', label: '手机号', children: masked('phone', member.phoneMasked) },
        {
          key: 'emergencyContactName',
          label: '紧急联系人',
          children: orEmpty(member.emergencyContactName),
        },
        {
          key: 'homeAddress',
          label: '家庭住址',
          children: masked('homeAddress', member.homeAddressMasked),
        },
        {
          key: 'emergencyContactPhone',
          label: '紧急联系人电话',
          children: masked('emergencyContactPhone', member.emergencyContactPhoneMasked),
        },
        {
          key: 'currentAddress',
          label: '现居住地',
          children: masked('currentAddress', member.currentAddressMasked),
          span: 2,
        },
        {
          key: 'org',
          label: '所属党组织',
          // A member who came to us keeps the affiliation at home (流入党员).
          children:
            member.orgName ??
            (member.mobilities.some(
              (m) => m.direction === 'inflow' && isOpenMobilityStatus(m.status),
            )
              ? '—（组织关系在流出地）'
              : '—'),
          span: 2,
        },
        { key: 'membership', label: '党员类别', children: MEMBERSHIP_LABELS[member.membership] },
        { key: 'joinedOn', label: '入党日期', children: formatDate(member.joinedOn) },
        {
          key: 'fullMemberOn',
          label: '转正日期',
          children:
            member.membership === 'probationary'
              ? '—（预备党员）'
              : formatDate(member.fullMemberOn),
        },
        { key: 'partyPosts', label: '党内职务', children: orEmpty(member.partyPosts) },
        {
          key: 'updatedAt',
          label: '最后更新',
          children: formatDateTime(member.updatedAt),
          span: 2,
        },
      ]}
    />
  );
}
