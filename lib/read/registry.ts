import { apiKeyList } from './api-key-list';
import { auditLog } from './audit-log';
import { callActivity } from './call-activity';
import { dataAsOf } from './data-as-of';
import { entityDetail } from './entity-detail';
import { entityRelations } from './entity-relations';
import { entitySearch } from './entity-search';
import { exportAudit } from './export-audit';
import { exportEntities } from './export-entities';
import { exportIngestRuns } from './export-ingest-runs';
import { exportQueryLog } from './export-query-log';
import { federationHistory } from './federation-history';
import { gardenHistory } from './garden-history';
import { graphGrowth } from './graph-growth';
import { graphSnapshot } from './graph-snapshot';
import { graphTotals } from './graph-totals';
import { ingestActivity } from './ingest-activity';
import { ingestRuns } from './ingest-runs';
import { ingestSources } from './ingest-sources';
import { queryDetail } from './query-detail';
import { queryHighlights } from './query-highlights';
import { queryLog } from './query-log';
import { queryTools } from './query-tools';
import { searchLatency } from './search-latency';
import { storeIntegrity } from './store-integrity';
import { storeStatus } from './store-status';
import { toolUsage } from './tool-usage';
import { userDetail } from './user-detail';
import { userList } from './users';
import { writerHealth } from './writer-health';

/**
 * Every read model by name. A read crosses into a worker thread by name (functions cannot), so a
 * new read model is added here; its name, arguments and data are typed from this table.
 */
export const READ_MODELS = {
  apiKeyList,
  auditLog,
  callActivity,
  dataAsOf,
  entityDetail,
  entityRelations,
  entitySearch,
  exportAudit,
  exportEntities,
  exportIngestRuns,
  exportQueryLog,
  federationHistory,
  gardenHistory,
  graphGrowth,
  graphSnapshot,
  graphTotals,
  ingestActivity,
  ingestRuns,
  ingestSources,
  queryDetail,
  queryHighlights,
  queryLog,
  queryTools,
  searchLatency,
  storeIntegrity,
  storeStatus,
  toolUsage,
  userDetail,
  userList,
  writerHealth,
} as const;

export type ReadName = keyof typeof READ_MODELS;
type ModelOf<Name extends ReadName> = (typeof READ_MODELS)[Name];
export type ReadArgs<Name extends ReadName> = Parameters<ModelOf<Name>['read']>[2];
export type ReadData<Name extends ReadName> = ReturnType<ModelOf<Name>['read']>;
