import { ingestCharts } from '@/lib/charts/ingest-charts';
import type { BucketLabels } from '@/lib/charts/time-series';
import type { IngestPoint } from '@/lib/read/ingest-totals';
import { TimeChart } from './charts/time-chart';
import { Panel } from './panel';
import { TermList } from './term-list';

export function IngestCharts({ series, labels }: { series: IngestPoint[]; labels: BucketLabels }) {
  const charts = ingestCharts(series, labels);
  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
      <Panel title="Files processed by status" id="files-by-status">
        <TimeChart title="Files processed by status" chart={charts.files} />
        <TermList
          terms={[
            ['Skipped', 'skipped'],
            ['Failed', 'failed'],
          ]}
        />
      </Panel>
      <Panel title="Graph changes" id="graph-changes" note="added above the line, removed below">
        <TimeChart title="Chunks, entities and relations added and removed" chart={charts.changes} />
        <TermList terms={[['Chunks', 'chunks']]} />
      </Panel>
      <Panel
        title="Ingest time per file"
        id="ingest-duration"
        note="mean of the files processed in each bucket; gaps where none were"
      >
        <TimeChart title="Mean ingest time per file" chart={charts.duration} unit=" ms" />
      </Panel>
    </div>
  );
}
