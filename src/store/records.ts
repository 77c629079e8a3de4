/**
 * Row types and raw-SQL select lists, both derived from the drizzle schema so they cannot drift from it.
 * Hot paths use better-sqlite3 prepared statements with these lists (camelCase aliases of snake_case columns).
 */
import { getColumns, type Table } from 'drizzle-orm';
import * as schema from '../../db/schema.js';

export type AlertRecord = typeof schema.alerts.$inferSelect;
export type OccurrenceRecord = typeof schema.alertOccurrences.$inferSelect;
export type JobRecord = typeof schema.jobs.$inferSelect;
export type PipelineEventRecord = typeof schema.pipelineEvents.$inferSelect;
export type IocRecord = typeof schema.iocs.$inferSelect;

/** `snake_col AS camelCol, ...` for a table, optionally qualified by an alias and leaving some columns out. */
export function selectList(table: Table, options: { alias?: string; omit?: readonly string[] } = {}): string {
  const prefix = options.alias ? `${options.alias}.` : '';
  return Object.entries(getColumns(table))
    .filter(([key]) => !options.omit?.includes(key))
    .map(([key, column]) => (column.name === key ? `${prefix}${key}` : `${prefix}${column.name} AS ${key}`))
    .join(', ');
}

export const ALERT_COLUMNS = selectList(schema.alerts);
export const JOB_COLUMNS = selectList(schema.jobs);
export const EVENT_COLUMNS = selectList(schema.pipelineEvents);
export const IOC_COLUMNS = selectList(schema.iocs);
export const OCCURRENCE_COLUMNS = selectList(schema.alertOccurrences);

export type CaseRecord = typeof schema.cases.$inferSelect;
export type CaseAlertRecord = typeof schema.caseAlerts.$inferSelect;
export type CaseObservableRecord = typeof schema.caseObservables.$inferSelect;
export type CaseEventRecord = typeof schema.caseEvents.$inferSelect;
export type CaseOperationRecord = typeof schema.caseOperations.$inferSelect;
export type TaskRecord = typeof schema.tasks.$inferSelect;
export type TaskLogRecord = typeof schema.taskLogs.$inferSelect;
export type CaseCommentRecord = typeof schema.caseComments.$inferSelect;

export const CASE_COLUMNS = selectList(schema.cases);
export const CASE_EVENT_COLUMNS = selectList(schema.caseEvents);

export type PlaybookVersionRecord = typeof schema.playbookVersions.$inferSelect;
export type PlaybookRunRecord = typeof schema.playbookRuns.$inferSelect;
export type RunStepRecord = typeof schema.runSteps.$inferSelect;
export type ActionRecord = typeof schema.actions.$inferSelect;
export type ApprovalRecord = typeof schema.approvals.$inferSelect;
export type NotificationRecord = typeof schema.notifications.$inferSelect;
