/**
 * Four projects: pure unit tests, the simulator, integration tests against a real Strapi
 * (in-process, on SQLite or PostgreSQL), and multi-instance tests (several `strapi start`
 * processes sharing one PostgreSQL database).
 */
const transform = { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] };
const base = { transform, testEnvironment: 'node', moduleFileExtensions: ['ts', 'tsx', 'js', 'json'] };

module.exports = {
  // A Strapi boot takes 3–5 s: integration tests need more than jest's default 5 s.
  testTimeout: 60000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/tests/unit/**/*.test.ts'] },
    { ...base, displayName: 'simulator', testMatch: ['<rootDir>/tests/simulator/**/*.test.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
    },
    { ...base, displayName: 'multi-instance', testMatch: ['<rootDir>/tests/multi-instance/**/*.test.ts'] },
  ],
};
