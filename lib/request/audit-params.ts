import { AUDIT_RESULTS, type AuditFilters } from '../read/audit-log';
import { parseTimeCursor } from '../read/time-cursor';
import { timeOrderParam, timeOrderParams } from './sort-param';

export const AUDIT_PAGE_SIZE = 100;

/** The audit trail's filters from the URL: actor, action and result exactly, the order and where the page starts. */
export function auditFilters(params: Record<string, string>): AuditFilters {
  const exact = (value: string | undefined): string | null => (value?.trim() ? value.trim().slice(0, 200) : null);
  return {
    actor: exact(params.actor),
    action: exact(params.action),
    result: AUDIT_RESULTS.find((value) => value === params.result) ?? null,
    before: parseTimeCursor(params.before),
    order: timeOrderParam(params),
    pageSize: AUDIT_PAGE_SIZE,
  };
}

/** The URL parameters that reproduce the filters and order (without the cursor). */
export function auditFilterParams(filters: AuditFilters): Record<string, string> {
  const out: Record<string, string> = timeOrderParams(filters.order);
  if (filters.actor) out.actor = filters.actor;
  if (filters.action) out.action = filters.action;
  if (filters.result) out.result = filters.result;
  return out;
}
