import { defineConfig } from 'vitest/config';

/**
 * Merged by `ng test` (angular.json's runnerConfig) into the builder's own Vitest setup. Vitest's 5 s
 * default per test is a speed bar on a loaded 2-core machine; these limits only bound a hang.
 */
export default defineConfig({
  test: { testTimeout: 120_000, hookTimeout: 120_000 },
});
