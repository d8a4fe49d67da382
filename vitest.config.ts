import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Both cores: most API and fault tests wait on databases and child processes, so two files at a time
    // roughly halve the wall time of the suite on this 2-core machine.
    maxWorkers: 2,
    projects: [
      { test: { name: 'shared', include: ['shared/src/**/*.test.ts'] } },
      { test: { name: 'server', include: ['server/src/**/*.test.ts'], testTimeout: 30_000 } },
      { test: { name: 'web', include: ['web/src/**/*.test.ts'], globalSetup: ['web/scripts/paraglide-setup.ts'] } },
      { test: { name: 'api', include: ['test/api/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 120_000 } },
      { test: { name: 'fault', include: ['test/fault/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } },
      { test: { name: 'scale', include: ['test/scale/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 180_000 } },
    ],
  },
});
