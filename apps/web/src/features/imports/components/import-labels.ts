import type { ImportBatch, ImportProgressLine, ImportStatus } from '@liudong/contracts';
import type { SheetField } from '@liudong/domain';

/**
 * Our fields as the officer reads them when matching sheet columns (issue 3 §6). The wording
 * follows the usual title of each field in the county ledgers (packages/domain sheet-headers.ts).
 */
export const SHEET_FIELD_LABELS: Record<SheetField, string> = {
  name: '姓名',
  gender: '性别',
  ethnicity: '民族',
  birthDate: '出生日期',
  idNumber: '身份证号码',
  education: '学历',
  phone: '联系电话',
  homeAddress: '家庭住址',
  currentAddress: '现居住地',
  joinedOn: '入党时间',
  fullMemberOn: '转正时间',
  membership: '党员类别',
  orgName: '所在党组织',
  partyPosts: '党内职务',
  emergencyContactName: '紧急联系人',
  emergencyContactPhone: '紧急联系人电话',
  leftOn: '外出时间',
  destination: '流入地',
  destinationAddress: '外出详细地址',
  employer: '工作单位',
  industry: '所在行业',
  reason: '外出原因',
  certificateNumber: '流动党员活动证号',
  hostOrg: '流入地党组织',
  checkedInOn: '报到时间',
};

/** The field list of the column Select, in two groups: the roster and the mobility ledger. */
export const SHEET_FIELD_GROUPS: readonly { label: string; fields: readonly SheetField[] }[] = [
  {
    label: '党员信息',
    fields: [
      'name',
      'idNumber',
      'gender',
      'ethnicity',
      'birthDate',
      'education',
      'phone',
      'homeAddress',
      'currentAddress',
      'joinedOn',
      'fullMemberOn',
      'membership',
      'orgName',
      'partyPosts',
      'emergencyContactName',
      'emergencyContactPhone',
    ],
  },
  {
    label: '流动信息',
    fields: [
      'leftOn',
      'destination',
      'destinationAddress',
      'employer',
      'industry',
      'reason',
      'certificateNumber',
      'hostOrg',
      'checkedInOn',
    ],
  },
];

export const IMPORT_STATUS_LABELS: Record<ImportStatus, string> = {
  uploaded: '未导入',
  committed: '已导入',
  undone: '已撤销',
  expired: '已过期',
};

export const IMPORT_STATUS_COLORS: Record<ImportStatus, string> = {
  uploaded: 'default',
  committed: 'success',
  undone: 'warning',
  expired: 'default',
};

type Phase = Extract<ImportProgressLine, { type: 'progress' }>['phase'];

export const IMPORT_PHASE_LABELS: Record<Phase, string> = {
  reading: '读取',
  checking: '校验',
  writing: '写入',
};

/** '新增 12 名，更新 3 名，跳过 1 名，登记流动 5 条' — what a batch wrote. */
export function batchCountsText(
  counts: Pick<ImportBatch, 'createdCount' | 'updatedCount' | 'skippedCount' | 'episodesCreated'>,
): string {
  const parts = [
    `新增 ${counts.createdCount} 名`,
    `更新 ${counts.updatedCount} 名`,
    `跳过 ${counts.skippedCount} 名`,
  ];
  if (counts.episodesCreated > 0) parts.push(`登记流动 ${counts.episodesCreated} 条`);
  return parts.join('，');
}
