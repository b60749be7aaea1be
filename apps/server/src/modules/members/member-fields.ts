import { pinyin } from 'pinyin-pro';
import { normalizeIdNumber, normalizePhoneInput } from '@liudong/domain';
import type { FieldCipher } from '../../platform/crypto';

/**
 * The encrypted fields of members and mobility episodes, each with its own context (the AES-GCM
 * associated data, so a value copied into another column does not decrypt) and, where exact
 * search is needed, its blind-index purpose (SECURITY.md 15).
 */
export const FIELD = {
  idNumber: { context: 'member.id_number', purpose: 'id_number' },
  phone: { context: 'member.phone', purpose: 'phone' },
  homeAddress: { context: 'member.home_address' },
  currentAddress: { context: 'member.current_address' },
  emergencyContactPhone: { context: 'member.emergency_contact_phone' },
  destinationAddress: { context: 'mobility.destination_address' },
} as const;

// Values already in normal form (as parsers return them) skip the normalising replaces, which
// leave them unchanged anyway: a 100,000-row import indexes two values per row (issue 3 §10).
const NORMAL_ID_NUMBER = /^\d{17}[\dX]$/;
const NORMAL_PHONE = /^[\d-]+$/;

export function idNumberBlindIndex(cipher: FieldCipher, idNumber: string) {
  const normal = NORMAL_ID_NUMBER.test(idNumber) ? idNumber : normalizeIdNumber(idNumber);
  return cipher.blindIndex(normal, FIELD.idNumber.purpose);
}

export function phoneBlindIndex(cipher: FieldCipher, phone: string) {
  const normal = NORMAL_PHONE.test(phone) ? phone : normalizePhoneInput(phone);
  return cipher.blindIndex(normal, FIELD.phone.purpose);
}

/**
 * Pinyin search keys (张三丰 → zhangsanfeng / zsf). Surnames are read as surnames (单 → shan,
 * 曾 → zeng), so 单雄信 is found by "shanxiongxin" and "sxx".
 */
export function nameKeys(name: string) {
  const opts = { toneType: 'none', type: 'array', surname: 'head', nonZh: 'consecutive' } as const;
  const full = pinyin(name, opts).map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, ''));
  return { namePinyin: full.join(''), nameInitials: full.map((s) => s.charAt(0)).join('') };
}
