/**
 * Nest 12 is ESM-only, so Jest runs in ESM mode (node --experimental-vm-modules) with
 * ts-jest transpiling each file on its own (type checking is `npm run typecheck`'s job).
 */
const tsJest = ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }];

const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': tsJest },
  testEnvironment: 'node',
};

export default {
  // Global (Jest ignores it per project): e2e boots apps and migrates databases, browser tests drive Chromium.
  testTimeout: 60000,
  // With one worker (two cores) Jest would run every file in its main process, where each
  // booted app's modules stay in memory: the e2e run grew past the 4 GB heap. A limit makes
  // Jest use a worker even then, and replace it when it holds more than this after a file.
  workerIdleMemoryLimit: '1536MB',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/modules/**/*.spec.ts'],
    },
    // One domain's services on a copy of a migrated SQLite template, called directly (test/helpers/medium.ts).
    { ...common, displayName: 'medium', testMatch: ['<rootDir>/test/medium/**/*.medium-spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
    },
  ],
};
