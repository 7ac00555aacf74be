import { ingestChartRows } from '@/lib/charts/ingest-chart-data';
import type { IngestActivity } from '@/lib/queries/ingest-activity';
import type { TimeRange } from '@/lib/queries/range';
import { TimeBars } from './charts/time-bars';
import { TimeLines } from './charts/time-lines';
import { Panel } from './panel';

const OK = '#0f766e';
const SKIPPED = '#a16207';
const FAILED = '#be123c';

export function IngestCharts({ activity, range }: { activity: IngestActivity; range: TimeRange }) {
  const rows = ingestChartRows(activity.series, range);
  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
      <Panel title="Files processed by status" id="files-by-status">
        <TimeBars
          title="Files processed by status"
          data={rows}
          series={[
            { key: 'ok', label: 'ok', color: OK, stack: 'files' },
            { key: 'skipped', label: 'skipped', color: SKIPPED, stack: 'files' },
            { key: 'failed', label: 'failed', color: FAILED, stack: 'files' },
          ]}
        />
      </Panel>
      <Panel title="Graph changes" id="graph-changes" note="added above the line, removed below">
        <TimeBars
          title="Chunks, entities and relations added and removed"
          data={rows}
          series={[
            { key: 'chunksAdded', label: 'chunks +', color: '#0369a1', stack: 'chunks' },
            { key: 'chunksRemoved', label: 'chunks −', color: '#7dd3fc', stack: 'chunks' },
            { key: 'entitiesAdded', label: 'entities +', color: '#7c3aed', stack: 'entities' },
            { key: 'entitiesRemoved', label: 'entities −', color: '#c4b5fd', stack: 'entities' },
            { key: 'relationsAdded', label: 'relations +', color: '#0f766e', stack: 'relations' },
            { key: 'relationsRemoved', label: 'relations −', color: '#5eead4', stack: 'relations' },
          ]}
        />
      </Panel>
      <Panel
        title="Ingest time per file"
        id="ingest-duration"
        note="mean of the files processed in each bucket; gaps where none were"
      >
        <TimeLines
          title="Mean ingest time per file"
          data={rows}
          unit=" ms"
          series={[{ key: 'msPerFile', label: 'ms per file', color: OK }]}
        />
      </Panel>
    </div>
  );
}
