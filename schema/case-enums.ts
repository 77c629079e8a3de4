/** Enums of the case domain, from the engine's `as const` objects. */
import { CaseEventKind, CaseOperationKind, CaseStatus, LinkedBy, Pap, Resolution, TaskStatus, Tlp } from '../src/engine/cases/model.js';
import { CaseOrderField } from '../src/store/case-queries.js';
import { builder } from './builder.js';

const describe = <K extends string>(values: Record<K, string>) => Object.fromEntries(Object.entries(values).map(([k, d]) => [k, { description: d as string }])) as Record<K, { description: string }>;

export const CaseStatusEnum = builder.enumType('CaseStatus', {
  description: 'Where a case is in its lifecycle: NEW -> IN_PROGRESS -> RESOLVED or CLOSED; RESOLVED or CLOSED can be reopened.',
  values: describe<CaseStatus>({
    NEW: 'Opened, nobody has started on it.',
    IN_PROGRESS: 'Someone is working it (this start is what MTTA measures).',
    RESOLVED: 'Worked and answered, with a resolution.',
    CLOSED: 'Finished, with a resolution (a NEW case may be closed straight away, e.g. as a false positive).',
  }),
});

export const ResolutionEnum = builder.enumType('Resolution', {
  description: 'What a RESOLVED or CLOSED case turned out to be.',
  values: describe<Resolution>({
    TRUE_POSITIVE: 'A real incident.',
    FALSE_POSITIVE: 'The detection was wrong.',
    BENIGN_POSITIVE: 'The detection was right, but the activity was allowed (a pentest, an admin at work).',
    DUPLICATE: 'Another case covers it (set on cases merged into another).',
  }),
});

export const TlpEnum = builder.enumType('Tlp', {
  description: 'Traffic Light Protocol 2.0: who may see the information.',
  values: describe<Tlp>({
    CLEAR: 'No limit.',
    GREEN: 'The community.',
    AMBER: 'The organisation and its clients, need to know.',
    AMBER_STRICT: 'The organisation only.',
    RED: 'The named recipients only.',
  }),
});

export const PapEnum = builder.enumType('Pap', {
  description: 'Permissible Actions Protocol: what may be done with the indicators.',
  values: describe<Pap>({
    CLEAR: 'Anything.',
    GREEN: 'Active actions that the adversary may notice, such as blocking.',
    AMBER: 'Passive cross-checks, such as asking online services.',
    RED: 'Nothing outside the organisation’s own logs.',
  }),
});

export const LinkedByEnum = builder.enumType('LinkedBy', {
  description: 'How an alert came to be in its case.',
  values: describe<LinkedBy>({
    OPENED: 'The case was opened for it.',
    IOC: 'It shares significant indicators with the case.',
    ENTITY: 'Same host or user and same category, within the window.',
    STORM: 'Folded in: an alert storm of its kind.',
    MERGE: 'Its case was merged into this one.',
    SPLIT: 'Detached from another case into this one.',
    MOVE: 'Moved here from another case by hand.',
  }),
});

export const CaseEventKindEnum = builder.enumType('CaseEventKind', {
  description: 'What happened to a case.',
  values: describe<CaseEventKind>({
    CREATED: 'It was opened.',
    UPDATED: 'Fields changed (title, severity, assignee, tags, TLP, PAP, observables).',
    STATUS_CHANGED: 'Its status changed (including reopening).',
    ALERT_ADDED: 'An alert joined it.',
    ALERT_REMOVED: 'An alert left it (split, move, undo).',
    MERGED: 'Cases were merged into it, or it into another.',
    SPLIT: 'Alerts were detached from it into a new case.',
    UNDONE: 'A merge, split or move was undone.',
    COMMENTED: 'Someone commented.',
    TASK_CHANGED: 'A task was added, changed or logged.',
  }),
});

export const TaskStatusEnum = builder.enumType('TaskStatus', {
  description: 'Where a task is.',
  values: describe<TaskStatus>({ WAITING: 'Not started.', IN_PROGRESS: 'Being worked.', COMPLETED: 'Done.', CANCELLED: 'Not needed any more.' }),
});

export const CaseOperationKindEnum = builder.enumType('CaseOperationKind', {
  description: 'An operation that moves alerts between cases; each can be undone.',
  values: describe<CaseOperationKind>({ MERGE: 'Cases merged into one.', SPLIT: 'Alerts detached into a new case.', MOVE: 'An alert moved between cases.' }),
});

export const CaseOrderFieldEnum = builder.enumType('CaseOrderField', {
  description: 'What a case list is sorted by.',
  values: describe<CaseOrderField>({
    CREATED_AT: 'When the case was opened.',
    LAST_ALERT_AT: 'When its latest alert happened.',
    SEVERITY: 'Its severity.',
    SCORE: 'Its highest alert score.',
    NUMBER: 'Its number.',
  }),
});

export const OrderDirectionEnum = builder.enumType('OrderDirection', {
  description: 'Sort direction.',
  values: { ASC: { description: 'Smallest or oldest first.' }, DESC: { description: 'Largest or newest first.' } } as const,
});
