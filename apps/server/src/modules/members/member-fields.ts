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

export function idNumberBlindIndex(cipher: FieldCipher, idNumber: string) {
  return cipher.blindIndex(normalizeIdNumber(idNumber), FIELD.idNumber.purpose);
}

export function phoneBlindIndex(cipher: FieldCipher, phone: string) {
  return cipher.blindIndex(normalizePhoneInput(phone), FIELD.phone.purpose);
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
