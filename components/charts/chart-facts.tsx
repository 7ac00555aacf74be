'use client';

import { createContext, useContext, type ReactNode } from 'react';
import type { ChartFacts } from '@/lib/charts/chart-footer';

const ChartFactsContext = createContext<ChartFacts | null>(null);

/** Gives every chart of a page the facts its PNG's footer prints (the page frame knows them from the request). */
export function ChartFactsProvider({ facts, children }: { facts: ChartFacts; children: ReactNode }) {
  return <ChartFactsContext.Provider value={facts}>{children}</ChartFactsContext.Provider>;
}

/** Null outside a page frame: the PNG then has no footer rather than a wrong one. */
export function useChartFacts(): ChartFacts | null {
  return useContext(ChartFactsContext);
}
