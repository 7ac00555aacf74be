// Bundles the `hydramem` command line into dist/hydramem.cjs; npm packages stay external.
import { build } from 'esbuild';

await build({
  entryPoints: ['bin/hydramem.ts'],
  outfile: 'dist/hydramem.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
