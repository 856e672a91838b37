// @ts-check
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** Imports a folder may not make: the dependency direction of shared/DESIGN.md, checked by the linter. */
const forbid = (groups) => ({
  'no-restricted-imports': [
    'error',
    { patterns: groups.map(([group, message]) => ({ group, message })) },
  ],
});
const NEST = [
  ['@nestjs/*', 'class-validator', 'class-transformer'],
  'no Nest or class-validator here: keep it pure',
];
const DRIVERS = [['better-sqlite3', '@eventstore/*', 'node:fs', 'fs'], 'no drivers or I/O here'];
const APPS = [['**/apps/**', '**/src/**'], 'libs never import apps or the composition root'];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'data/**',
      'coverage/**',
      'bench/.work/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['libs/domain/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: forbid([NEST, DRIVERS, APPS]),
  },
  // The policy's rules are pure; only its loader reads a file.
  {
    files: ['libs/policy/**/*.ts'],
    ignores: ['**/*.spec.ts', 'libs/policy/load-policy.ts'],
    rules: forbid([NEST, DRIVERS, APPS]),
  },
  { files: ['libs/policy/load-policy.ts'], rules: forbid([NEST, APPS]) },
  {
    files: ['libs/**/*.ts'],
    ignores: ['libs/domain/**', 'libs/policy/**', '**/*.spec.ts', '**/*.int-spec.ts'],
    rules: forbid([NEST, APPS]),
  },
  // The worker's thread and process compose this module too: the API is required on demand.
  {
    files: ['src/ledger.module.ts'],
    rules: forbid([
      [['**/apps/api/**'], 'the worker loads this file: reach the API through loadApiParts()'],
    ]),
  },
  // The auditor's verifier runs without the ledger: node:crypto, fs and fetch only.
  {
    files: ['libs/audit/verifier/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: forbid([
      NEST,
      [
        ['better-sqlite3', '@eventstore/*', '**/event-store*', '**/tree-store/**', '**/domain/**'],
        'the verifier runs without the ledger: no store, no domain code',
      ],
      APPS,
    ]),
  },
);
