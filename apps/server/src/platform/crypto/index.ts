// Field-level encryption at rest and its keys (SECURITY.md 15).
export {
  EMBEDDED_KEYRING_FILE,
  KEY_BYTES,
  KEYRING_ENV,
  KEYRING_FILE_ENV,
  KeyringDocument,
  KeyringError,
  encodeKeyringForEnv,
  generateKeyringDocument,
  loadKeyring,
  readKeyringDocument,
  readKeyringFile,
  rotateKeyring,
  rotateKeyringFile,
  serializeKeyringDocument,
  writeKeyringFile,
} from './keyring';
export type { EncryptionKey, Keyring, KeyringSource, LoadKeyringOptions } from './keyring';
export { FieldDecryptError, createFieldCipher } from './field-cipher';
export type { FieldCipher } from './field-cipher';
