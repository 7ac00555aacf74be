import { PageSkeleton } from '@/components/skeletons';

export default function Loading() {
  return (
    <PageSkeleton
      title="Graph statistics"
      layout={[
        { columns: 4, height: 70, count: 4 },
        { columns: 1, height: 90, count: 1 },
        { columns: 2, height: 300, count: 4 },
      ]}
    />
  );
}
