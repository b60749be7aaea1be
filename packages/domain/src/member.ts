/** Member vocabulary (DOMAIN.md §2): code names here, Chinese labels for the UI. */

export const GENDERS = ['male', 'female'] as const;
export type Gender = (typeof GENDERS)[number];
export const GENDER_LABELS: Record<Gender, string> = { male: '男', female: '女' };

/** 正式党员 / 预备党员. */
export const MEMBERSHIPS = ['full', 'probationary'] as const;
export type Membership = (typeof MEMBERSHIPS)[number];
export const MEMBERSHIP_LABELS: Record<Membership, string> = {
  full: '正式党员',
  probationary: '预备党员',
};

/** Highest education, in the categories of the Party statistics forms. */
export const EDUCATIONS = [
  'postgraduate',
  'bachelor',
  'associate',
  'secondary_vocational',
  'high_school',
  'junior_high',
  'primary_or_below',
] as const;
export type Education = (typeof EDUCATIONS)[number];
export const EDUCATION_LABELS: Record<Education, string> = {
  postgraduate: '研究生',
  bachelor: '大学本科',
  associate: '大学专科',
  secondary_vocational: '中专',
  high_school: '高中',
  junior_high: '初中',
  primary_or_below: '小学及以下',
};
