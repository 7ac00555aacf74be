import { runRead, type ReadTask } from './run-read';

/**
 * The read worker's entry (bundled to dist/read-worker.cjs): piscina calls it with one task at a
 * time in a worker thread, which has its own read-only connections, so a slow read never holds up
 * the dashboard's event loop; a read over budget stops at its next statement.
 */
export default function readWorker(task: ReadTask) {
  return runRead(task);
}
