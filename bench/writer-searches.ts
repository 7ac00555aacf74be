/**
 * A writer that serves searches as fast as it can, for bench/load.bench.ts: it opens the tenant's
 * engine (the writer lock, telemetry recorded as for any call), prints `ready`, then one line per
 * second with the searches done in it, until it is sent SIGTERM.
 *
 *   tsx bench/writer-searches.ts DATA_DIR
 */
import { loadConfig } from '../lib/config';
import { Engine } from '../lib/engine/engine';
import { BENCH_QUERIES, benchTenantEnv } from './dashboard-tenant';

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write('usage: tsx bench/writer-searches.ts DATA_DIR\n');
  process.exit(2);
}
const engine = Engine.open(loadConfig({ ...process.env, ...benchTenantEnv(dataDir) }), { command: 'bench' });
// The first search reads the word vectors: not part of any second counted.
engine.search({ query: BENCH_QUERIES[0] ?? 'bus' });
process.stdout.write('ready\n');

let running = true;
let done = 0;
process.on('SIGTERM', () => {
  running = false;
});
const ticker = setInterval(() => {
  process.stdout.write(`${done}\n`);
  done = 0;
}, 1000);

/** Searches in slices of 20 ms, so that the ticker and SIGTERM are heard between them. */
function slice(): void {
  const until = performance.now() + 20;
  while (performance.now() < until) {
    engine.search({ query: BENCH_QUERIES[done % BENCH_QUERIES.length] ?? 'bus' });
    done += 1;
  }
  if (running) setImmediate(slice);
  else {
    clearInterval(ticker);
    engine.close();
  }
}
slice();
