import fs from 'node:fs';
import type { Engine } from './engine';
import type { IngestSummary } from './ingest/ingest';

export interface KnowledgeWatcher {
  close(): void;
}

/**
 * Re-ingests the knowledge folder when something in it changes, once the changes have settled
 * (debounced). A slow periodic rescan backs up file-system events, which can be missed (editors
 * that replace files, folders created while watching, network file systems).
 */
export function watchKnowledgeDir(
  engine: Engine,
  options: {
    debounceMs: number;
    rescanMs?: number;
    onIngest?: (summary: IngestSummary) => void;
    onError?: (error: unknown) => void;
  },
): KnowledgeWatcher {
  const dir = engine.config.knowledgeDir;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const run = (): void => {
    timer = null;
    if (closed) return;
    try {
      const summary = engine.ingest(dir, { source: 'watch', recordUnchanged: false, actor: 'watch' });
      if (summary.files - summary.unchanged > 0) options.onIngest?.(summary);
    } catch (error) {
      options.onError?.(error);
    }
  };
  const schedule = (): void => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, options.debounceMs);
  };

  let watcher: fs.FSWatcher | null = null;
  try {
    watcher = fs.watch(dir, { recursive: true, persistent: false }, schedule);
    watcher.on('error', (error) => options.onError?.(error));
  } catch (error) {
    options.onError?.(error);
  }
  const rescan = setInterval(schedule, options.rescanMs ?? 60_000);
  rescan.unref();

  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      clearInterval(rescan);
      watcher?.close();
    },
  };
}
