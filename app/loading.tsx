import { PageSkeleton } from '@/components/skeletons';

export default function Loading() {
  return (
    <PageSkeleton
      title="Overview"
      layout={[
        { columns: 4, height: 150, count: 8 },
        { columns: 2, height: 260, count: 2 },
        { columns: 1, height: 90, count: 1 },
      ]}
    />
  );
}
