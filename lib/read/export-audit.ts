import { asAuditRow, auditRows, type AuditFilters } from './audit-log';
import { batchOf, type ExportArgs, type ExportBatch } from './export-batch';
import { readModel } from './read-model';
import { formatTimeCursor, parseTimeCursor } from './time-cursor';

/** The audit trail with the page's filters, in the page's order, a batch at a time. */
export const exportAudit = readModel({
  needs: ['metrics'],
  read({ metrics }, scope, args: ExportArgs<Omit<AuditFilters, 'before' | 'pageSize'>>): ExportBatch {
    const before = parseTimeCursor(args.cursor);
    const rows = auditRows(metrics.db, scope.project, scope, { ...args.filters, before, pageSize: args.limit }, args.limit + 1);
    return batchOf(rows, args.limit, asAuditRow, formatTimeCursor);
  },
});
