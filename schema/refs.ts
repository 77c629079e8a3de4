/** Object refs shared between domain files, declared apart so files can point at each other without import cycles. */
import type { ApiKeyRecord } from '../src/auth/api-keys.js';
import type { StageEvent } from '../src/engine/pipeline/stages.js';
import type { AlertRecord, CaseCommentRecord, CaseEventRecord, CaseRecord, IocRecord, JobRecord, OccurrenceRecord, TaskLogRecord, TaskRecord } from '../src/store/records.js';
import { builder } from './builder.js';

export const AlertRef = builder.objectRef<AlertRecord>('Alert');
export const AlertOccurrenceRef = builder.objectRef<OccurrenceRecord>('AlertOccurrence');
export const IocRef = builder.objectRef<IocRecord>('Ioc');
export const PipelineJobRef = builder.objectRef<JobRecord>('PipelineJob');
export const PipelineEventRef = builder.objectRef<StageEvent>('PipelineEvent');
export const ApiKeyRef = builder.objectRef<ApiKeyRecord>('ApiKey');
export const CaseRef = builder.objectRef<CaseRecord>('Case');
export const CaseEventRef = builder.objectRef<CaseEventRecord>('CaseEvent');
export const TaskRef = builder.objectRef<TaskRecord>('Task');
export const TaskLogRef = builder.objectRef<TaskLogRecord>('TaskLog');
export const CaseCommentRef = builder.objectRef<CaseCommentRecord>('CaseComment');
