/** Unit and integration specs of the API and the libs, against a real PostgreSQL (see apps/api/test). */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: [
    '<rootDir>/apps/api/src/**/*.spec.ts',
    '<rootDir>/libs/*/src/**/*.spec.ts',
    '<rootDir>/e2e/api/**/*.e2e-spec.ts',
  ],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleNameMapper: {
    '^@mt/contracts$': '<rootDir>/libs/contracts/src/index.ts',
    '^@mt/periods$': '<rootDir>/libs/periods/src/index.ts',
  },
  globalSetup: '<rootDir>/apps/api/test/global-setup.ts',
  globalTeardown: '<rootDir>/apps/api/test/global-teardown.ts',
  // A limit against a hang, not a speed bar: up to 8 engineers share 2 cores (load average 10+), and a
  // hook that creates an app or a test that starts the entry point may then take minutes.
  testTimeout: 300_000,
  maxWorkers: 2,
};
