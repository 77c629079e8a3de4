import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 has no "exports": Node loads its CJS main while Vite would pick its ESM "module" build,
    // and two copies break `instanceof GraphQLError` between our code and Yoga's. Use Node's choice.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    // Real sockets and child processes: give slow shared machines room, but never hang.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
