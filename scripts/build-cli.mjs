// Bundles the `hydramem` command line into dist/hydramem.cjs, and the dashboard's read worker into
// dist/read-worker.cjs (the worker threads load it by file name); npm packages stay external.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
};

await Promise.all([
  build({ ...common, entryPoints: ['bin/hydramem.ts'], outfile: 'dist/hydramem.cjs' }),
  build({ ...common, entryPoints: ['lib/request/read-worker.ts'], outfile: 'dist/read-worker.cjs' }),
]);
