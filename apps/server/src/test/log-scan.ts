import fs from 'node:fs';
import path from 'node:path';

/**
 * Patterns that must never appear in logs (SECURITY.md 16). ID numbers and mobile numbers by
 * shape; passwords and tokens by the values the tests themselves used, which the harness
 * registers in a side file as it creates them.
 */
const ID_NUMBER =
  /(?<![0-9A-Za-z])\d{6}(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/;
const MOBILE = /(?<![0-9A-Za-z-])1[3-9]\d{9}(?![0-9A-Za-z])/;

export const SECRETS_FILE = 'secrets.txt';

export function scanLogsForSecrets(logDir: string): string[] {
  const findings: string[] = [];
  const secretsPath = path.join(logDir, SECRETS_FILE);
  const secrets = fs.existsSync(secretsPath)
    ? fs
        .readFileSync(secretsPath, 'utf8')
        .split('\n')
        .filter((s) => s.length >= 8)
    : [];
  for (const file of fs.readdirSync(logDir)) {
    if (file === SECRETS_FILE) continue;
    const lines = fs.readFileSync(path.join(logDir, file), 'utf8').split('\n');
    lines.forEach((line, i) => {
      const where = `${file}:${i + 1}`;
      if (ID_NUMBER.test(line)) findings.push(`${where} 身份证号码`);
      if (MOBILE.test(line)) findings.push(`${where} 手机号码`);
      for (const s of secrets) if (line.includes(s)) findings.push(`${where} 密码/令牌`);
    });
  }
  return findings;
}
