import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

// Import direction (ARCHITECTURE.md): domain imports nothing of ours; contracts may import domain;
// web imports contracts and domain, never the server.
const ours = (names) =>
  names.map((n) => ({
    group: [`@liudong/${n}`, `@liudong/${n}/*`],
    message: `This package may not import @liudong/${n}.`,
  }));

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'e2e/artifacts/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['packages/domain/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...ours(['contracts', 'server', 'web']),
            {
              group: ['node:*', 'fs', 'pg', 'drizzle-orm*', '@electric-sql/*'],
              message: 'domain is pure: no I/O.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/contracts/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: ours(['server', 'web']) }] },
  },
  {
    files: ['apps/web/**'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...ours(['server']),
            {
              group: ['**/apps/server/**', '../../server/**'],
              message: 'web never imports the server.',
            },
          ],
        },
      ],
    },
  },
);
