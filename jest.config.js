/** @type {import('ts-jest').JestConfigWithTsJest} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  resolver: 'ts-jest-resolver',
  testMatch: ['**/__tests__/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', useESM: true }],
    // JavaScript that runs inside the QuickJS sandbox, imported as text (src/script/guest-text.d.ts).
    '\\.guest\\.js$': '<rootDir>/scripts/jest-text-transform.cjs',
  },
  // The CLI tests run dist/cli.js, the bundle users run: rebuild it once before the suites.
  globalSetup: './__tests__/support/global-setup.js',
  testTimeout: 60_000,
}
