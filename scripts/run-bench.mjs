// Runs a TypeScript benchmark with tsx: `node scripts/run-bench.mjs bench/<name>.bench.ts [args...]`.
// The bench gets the terminal (inherited stdio) and every extra argument; its exit code becomes ours.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [benchFile, ...benchArgs] = process.argv.slice(2);

if (!benchFile) {
  process.stderr.write('usage: node scripts/run-bench.mjs <bench file.ts> [bench arguments...]\n');
  process.exit(2);
}

const benchPath = path.resolve(process.cwd(), benchFile);
if (!fs.existsSync(benchPath)) {
  process.stderr.write(`run-bench: ${benchPath} does not exist\n`);
  process.exit(2);
}

// Resolved from the project rather than PATH, so the pinned tsx is used whatever the shell has.
const tsxCli = createRequire(path.join(root, 'package.json')).resolve('tsx/cli');

const child = spawn(process.execPath, [tsxCli, benchPath, ...benchArgs], { cwd: root, stdio: 'inherit' });

// Ctrl-C reaches the child through the terminal's process group; staying alive until it exits keeps
// its final output and exit code. A SIGTERM sent to us alone is passed on.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));

child.on('error', (error) => {
  process.stderr.write(`run-bench: could not start tsx: ${error.message}\n`);
  process.exit(1);
});

child.on('exit', (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 1);
});
