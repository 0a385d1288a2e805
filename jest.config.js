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
  // Most suites wait on child processes and local servers, not on the CPU: on two cores
  // jest's default (cores - 1 = one worker) leaves the machine idle half the time.
  maxWorkers: 3,
  // A safety net for a hung test, not a speed bar: a busy machine (two CI runs at once) may be
  // several times slower than a quiet one; TEST_TIME_SCALE stretches it further.
  testTimeout: 180_000 * Math.max(1, Number(process.env.TEST_TIME_SCALE) || 1),
}
