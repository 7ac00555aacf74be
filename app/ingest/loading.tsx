import { PageSkeleton } from '@/components/skeletons';

export default function Loading() {
  return (
    <PageSkeleton
      title="Ingest activity"
      layout={[
        { columns: 4, height: 70, count: 4 },
        { columns: 2, height: 280, count: 3 },
        { columns: 1, height: 400, count: 1 },
      ]}
    />
  );
}
