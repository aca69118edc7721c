import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The domains of docs/architecture.md; reporting (the read model) reads them all. */
const DOMAINS = ['people', 'competency', 'learning', 'assessment', 'certification', 'content', 'development'];

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'dist-bench/',
      'node_modules/',
      'data/',
      'coverage/',
      'templates/assets/',
      'release/',
      'backups/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-unsafe-function-type': 'off',
      'no-console': 'off',
    },
  },
  {
    // The layers below the domains (docs/architecture.md) know no domain: identity, the
    // platform (auth, audit, http, i18n…), the database helpers, configuration and the
    // sector registry. core-schema.ts is the one list of every entity, so it is exempt.
    files: [
      'src/identity/**/*.ts',
      'src/platform/**/*.ts',
      'src/database/**/*.ts',
      'src/config/**/*.ts',
      'src/registry/**/*.ts',
    ],
    ignores: ['src/database/core-schema.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '^(\\.\\./)+(people|competency|learning|assessment|certification|content|development|reporting)/',
              message: 'A layer below the domains imports no domain (docs/architecture.md)',
            },
          ],
        },
      ],
    },
  },
  // A domain reads and writes only its own tables: another domain's entities and repositories
  // are reached through that domain's services (docs/architecture.md). Reporting is the read
  // model and may join every table; content sync hands each domain its part of a pack.
  ...DOMAINS.map((domain) => ({
    files: [`src/${domain}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(\\.\\./)+(?!${domain}/)(${DOMAINS.join('|')})/.*\\.(entity|repository)\\.js$`,
              message: `A domain uses another domain's tables only through its services (docs/architecture.md)`,
            },
          ],
        },
      ],
    },
  })),
  {
    // Sectors use the core only through its public face.
    files: ['modules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./\\.\\./src/(?!sector-api\\.js$)',
              message: 'A sector imports only from src/sector-api.ts',
            },
          ],
        },
      ],
    },
  },
);
