import { PageSkeleton } from '@/components/skeletons';

export default function Loading() {
  return (
    <PageSkeleton
      title="Query logs"
      layout={[
        { columns: 1, height: 260, count: 1 },
        { columns: 1, height: 500, count: 1 },
        { columns: 1, height: 300, count: 2 },
      ]}
    />
  );
}
