import { describe, expect, it } from 'vitest';
import { wordVectorsLoaded } from '../lib/engine/dense/word-vectors';
import { makeTenant, openEngine, writeFile } from './helpers';

// A file of its own: vitest runs each file in its own process, so no other test has loaded the vectors here.
describe('HYDRAMEM_DENSE=off', () => {
  it('never loads the word vectors, through ingest, search and a reopen', () => {
    const tenant = makeTenant('off', { HYDRAMEM_DENSE: 'off' });
    writeFile(tenant.kms, 'cars.md', '# Garage notes\n\nFixing cars and tuning the motor.\n');
    let engine = openEngine(tenant);
    engine.ingest(tenant.kms, { source: 'test' });
    expect(engine.search({ query: 'fixing the motor' }).results).toHaveLength(1);
    engine.close();
    engine = openEngine(tenant);
    engine.search({ query: 'automobile repair' });
    engine.close();
    expect(wordVectorsLoaded()).toBe(false);
  });
});
