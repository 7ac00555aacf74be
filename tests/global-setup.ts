import { execFileSync } from 'node:child_process';

/** Tests that run the `hydramem` command need the bundle; building it takes about a second. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' });
}
