/**
 * Text ids made in code: a short type prefix and a ULID. The prefix makes an id self-describing
 * (GraphQL `node(id)` resolves the type from it) and the ULID sorts by creation time.
 */
import { monotonicFactory } from 'ulid';

const ulid = monotonicFactory();

export const IdPrefix = {
  Alert: 'alt',
  AlertOccurrence: 'occ',
  PipelineJob: 'job',
  Ioc: 'ioc',
  ApiKey: 'key',
  AuditEntry: 'aud',
  Case: 'cas',
  CaseOperation: 'cop',
  Task: 'tsk',
  TaskLog: 'tlg',
  CaseComment: 'cmt',
  PlaybookRun: 'run',
  RunStep: 'stp',
  Action: 'act',
  Approval: 'apr',
  Notification: 'ntf',
} as const;
export type IdPrefix = (typeof IdPrefix)[keyof typeof IdPrefix];

export function newId(prefix: IdPrefix, now: number = Date.now()): string {
  return `${prefix}_${ulid(now).toLowerCase()}`;
}

/** The entity type an id names, or undefined when it is not one of ours. */
export function typeOfId(id: string): keyof typeof IdPrefix | undefined {
  const prefix = id.slice(0, id.indexOf('_'));
  const entry = Object.entries(IdPrefix).find(([, p]) => p === prefix);
  return entry?.[0] as keyof typeof IdPrefix | undefined;
}
