/** GraphQL enums mirroring the engine's `as const` objects, so both sides share one list of values. */
import { AlertFormat, IocRole, IocType } from '../src/engine/types.js';
import { AlertStatus, JobStatus, PipelineStage, StageStatus } from '../src/engine/pipeline/stages.js';
import { Role } from '../src/auth/roles.js';
import { builder } from './builder.js';

export const AlertStatusEnum = builder.enumType('AlertStatus', {
  description: 'Where an alert is in the pipeline.',
  values: {
    [AlertStatus.RECEIVED]: { description: 'Stored; waiting for the pipeline.' },
    [AlertStatus.PROCESSING]: { description: 'A pipeline job is running on it.' },
    [AlertStatus.PROCESSED]: { description: 'Every stage completed.' },
    [AlertStatus.FAILED]: { description: 'A stage failed; see the job error. `reprocessAlert` runs it again.' },
  } as const,
});

export const AlertFormatEnum = builder.enumType('AlertFormat', {
  description: 'The format the normalizer recognised.',
  values: {
    [AlertFormat.SYSLOG_RFC3164]: { description: 'BSD syslog (RFC 3164).' },
    [AlertFormat.SYSLOG_RFC5424]: { description: 'Syslog protocol (RFC 5424).' },
    [AlertFormat.WAZUH]: { description: 'Wazuh alert JSON.' },
    [AlertFormat.ECS]: { description: 'Elastic Common Schema JSON.' },
    [AlertFormat.CEF]: { description: 'ArcSight Common Event Format.' },
    [AlertFormat.JSON]: { description: 'Other JSON, mapped by common field names.' },
    [AlertFormat.UNKNOWN]: { description: 'Unrecognised text; the message is kept as given.' },
  } as const,
});

export const PayloadKindEnum = builder.enumType('PayloadKind', {
  description: 'How the alert was submitted.',
  values: { LOG: { description: 'A raw log line (`log`).' }, JSON: { description: 'A structured JSON alert (`alert`).' } } as const,
});

export const IocTypeEnum = builder.enumType('IocType', {
  description: 'Kind of indicator.',
  values: Object.fromEntries(Object.values(IocType).map((v) => [v, { description: `${v.replace('_', ' ')} indicator.` }])) as Record<IocType, { description: string }>,
});

export const IocRoleEnum = builder.enumType('IocRole', {
  description: 'The part an indicator plays in an alert.',
  values: {
    [IocRole.SOURCE]: { description: 'Origin of the activity (e.g. the attacking IP).' },
    [IocRole.DESTINATION]: { description: 'Target of the activity.' },
    [IocRole.USER]: { description: 'The acting account.' },
    [IocRole.TARGET_USER]: { description: 'The account acted upon.' },
    [IocRole.HOST]: { description: 'The host that reported the event.' },
    [IocRole.FILE]: { description: 'A file involved (by hash).' },
    [IocRole.URL]: { description: 'A URL involved.' },
    [IocRole.SENDER]: { description: 'The sender of a message.' },
    [IocRole.RELATED]: { description: 'Mentioned in the event text.' },
  } as const,
});

export const PipelineStageEnum = builder.enumType('PipelineStage', {
  description: 'A stage of the pipeline.',
  values: {
    [PipelineStage.INGEST]: { description: 'Validation, deduplication and storage (in the request).' },
    [PipelineStage.NORMALIZE]: { description: 'Parsing the format into common fields.' },
    [PipelineStage.EXTRACT]: { description: 'Finding IOCs.' },
    [PipelineStage.CLASSIFY]: { description: 'Rules, text model and stateful detections: category, confidence, ATT&CK.' },
    [PipelineStage.SCORE]: { description: 'The explainable risk score (0-100) and level, recomputed when new evidence arrives.' },
    [PipelineStage.CORRELATE]: { description: 'Joining an open case (shared significant indicators, or same host/user and category) or opening one when the score is high enough.' },
    [PipelineStage.ENRICH]: { description: 'Feeds, warning lists and cached lookups at once; DNS, RDAP/WHOIS and reputation lookups in the background, each as a later event.' },
  } as const,
});

export const StageStatusEnum = builder.enumType('StageStatus', {
  description: 'Outcome of a stage.',
  values: {
    [StageStatus.COMPLETED]: { description: 'The stage stored its result.' },
    [StageStatus.FAILED]: { description: 'The stage threw; the job is FAILED.' },
    [StageStatus.SKIPPED]: { description: 'The stage had nothing to do.' },
  } as const,
});

export const JobStatusEnum = builder.enumType('JobStatus', {
  description: 'State of a pipeline job.',
  values: {
    [JobStatus.PENDING]: { description: 'Waiting to run (also after a restart).' },
    [JobStatus.RUNNING]: { description: 'Running a stage.' },
    [JobStatus.COMPLETED]: { description: 'Every stage completed.' },
    [JobStatus.FAILED]: { description: 'A stage failed; `error` says why.' },
  } as const,
});

export const RoleEnum = builder.enumType('Role', {
  description: 'What an API key may do; each role includes the ones before it.',
  values: {
    [Role.VIEWER]: { description: 'Read everything, subscribe to events.' },
    [Role.ANALYST]: { description: 'Also submit and reprocess alerts.' },
    [Role.RESPONDER]: { description: 'Also run response actions (later).' },
    [Role.ADMIN]: { description: 'Also manage API keys.' },
  } as const,
});
