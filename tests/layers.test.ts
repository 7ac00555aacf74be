import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers';

/** The lint messages of the layer rule for a file at `file` with these imports (the file need not exist). */
async function layerErrors(file: string, imports: string[]): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const code = `${imports.map((from, index) => `import * as m${index} from '${from}';`).join('\n')}\nexport const all = [${imports.map((_, index) => `m${index}`).join(', ')}];\n`;
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'import/no-restricted-paths')
    .map((message) => message.message);
}

describe('the layers run one way, enforced by the linter', () => {
  it('refuses imports against the direction', async () => {
    expect(
      await layerErrors('lib/read/new-read.ts', ['../request/links', '../charts/palette', '../auth/redaction', '@/lib/config']),
    ).toHaveLength(4);
    expect(await layerErrors('lib/store/new-contract.ts', ['../read/window', '../engine/errors'])).toHaveLength(2);
    expect(await layerErrors('lib/charts/new-chart.ts', ['../request/range', '../auth/roles'])).toHaveLength(2);
    expect(await layerErrors('lib/auth/new-rule.ts', ['../read/sensitive', '../request/links'])).toHaveLength(2);
    expect(await layerErrors('lib/request/new-path.ts', ['../engine/engine'])).toHaveLength(1);
    expect(await layerErrors('lib/engine/new-tool.ts', ['../read/query-log', '../request/links', '../auth/roles'])).toHaveLength(
      3,
    );
    expect(
      await layerErrors('components/new-widget.tsx', [
        '@/lib/store/open-readonly',
        '@/lib/request/run-read',
        '@/lib/read/registry',
      ]),
    ).toHaveLength(3);
    expect(
      await layerErrors('app/new-page/page.tsx', [
        '@/lib/engine/engine',
        '@/lib/store/sql/graph-counts',
        '@/lib/request/read-pool',
      ]),
    ).toHaveLength(3);
    expect(await layerErrors('lib/format-helper.ts', ['../components/panel'])).toHaveLength(1);
  }, 60_000);

  it('allows the imports the recipe uses', async () => {
    expect(await layerErrors('lib/read/new-read.ts', ['../store/read-db', './read-model', './sensitive'])).toEqual([]);
    expect(await layerErrors('lib/charts/new-chart.ts', ['../read/tool-usage', '../format', './palette'])).toEqual([]);
    expect(
      await layerErrors('lib/request/new-path.ts', ['../read/registry', '../auth/redaction', '../charts/time-buckets']),
    ).toEqual([]);
    expect(
      await layerErrors('app/new-page/page.tsx', [
        '@/lib/request/dashboard-page',
        '@/components/page-frame',
        '@/lib/charts/call-charts',
      ]),
    ).toEqual([]);
  }, 60_000);
});
