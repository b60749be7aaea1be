import {
  INDUSTRIES,
  INDUSTRY_LABELS,
  MOBILITY_REASONS,
  MOBILITY_REASON_LABELS,
  OCCUPATIONS,
  OCCUPATION_LABELS,
  UNIT_TYPES,
  UNIT_TYPE_LABELS,
} from '@liudong/domain';

export const INDUSTRY_OPTIONS = INDUSTRIES.map((value) => ({
  value,
  label: INDUSTRY_LABELS[value],
}));
export const UNIT_TYPE_OPTIONS = UNIT_TYPES.map((value) => ({
  value,
  label: UNIT_TYPE_LABELS[value],
}));
export const OCCUPATION_OPTIONS = OCCUPATIONS.map((value) => ({
  value,
  label: OCCUPATION_LABELS[value],
}));
export const REASON_OPTIONS = MOBILITY_REASONS.map((value) => ({
  value,
  label: MOBILITY_REASON_LABELS[value],
}));
