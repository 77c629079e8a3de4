/**
 * Vigil's tables. Plural snake_case tables, camelCase columns in TypeScript, text ids made in code,
 * timestamps as integer epoch milliseconds, an index on every foreign key and filtered/sorted column.
 * Migrations are generated from this file by `npm run db:generate`; never edit them by hand.
 */
import { index, integer, primaryKey, real, snakeCase, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Columns are camelCase in TypeScript and snake_case in SQL.
const sqliteTable = snakeCase.table;

/** One submitted alert; repeats of it are counted in `occurrenceCount` and listed in alert_occurrences. */
export const alerts = sqliteTable(
  'alerts',
  {
    id: text().primaryKey(),
    source: text().notNull(),
    sourceRef: text(),
    /** LOG (raw line) or JSON (structured alert), as submitted. */
    payloadKind: text().notNull(),
    /** The submitted text, verbatim (a JSON alert is stored as its canonical JSON). */
    payload: text().notNull(),
    fingerprint: text().notNull(),
    /** RECEIVED, PROCESSING, PROCESSED or FAILED: mirrors the job, kept here so lists can filter. */
    status: text().notNull(),
    format: text(),
    /** Short human text for lists and text search; set by the normalize stage. */
    message: text(),
    /** NormalizedEvent as JSON, set by the normalize stage. */
    normalized: text(),
    eventTime: integer(),
    /** Set by the classify stage: the category, its confidence, and the whole Classification as JSON. */
    category: text(),
    confidence: real(),
    classification: text(),
    /** Set by the score stage: 0-100, its level, and the factors that add up to it (JSON). */
    score: integer(),
    riskLevel: text(),
    scoreFactors: text(),
    occurrenceCount: integer().notNull().default(1),
    receivedAt: integer().notNull(),
    lastSeenAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [
    uniqueIndex('alerts_source_ref_uq').on(t.source, t.sourceRef),
    index('alerts_fingerprint_idx').on(t.fingerprint, t.lastSeenAt),
    index('alerts_status_idx').on(t.status),
    index('alerts_received_at_idx').on(t.receivedAt),
    index('alerts_source_idx').on(t.source),
    index('alerts_category_idx').on(t.category, t.receivedAt),
    index('alerts_risk_level_idx').on(t.riskLevel, t.receivedAt),
  ],
);

/** Each time an alert was submitted again (deduplicated), with what identified it as a repeat. */
export const alertOccurrences = sqliteTable(
  'alert_occurrences',
  {
    id: text().primaryKey(),
    alertId: text()
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    /** SOURCE_REF or FINGERPRINT. */
    matchedBy: text().notNull(),
    sourceRef: text(),
    receivedAt: integer().notNull(),
  },
  (t) => [index('alert_occurrences_alert_idx').on(t.alertId, t.receivedAt)],
);

/** The durable unit of pipeline work: one per alert run; `stage` is the next stage to run. */
export const jobs = sqliteTable(
  'jobs',
  {
    id: text().primaryKey(),
    alertId: text()
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    /** PENDING, RUNNING, COMPLETED or FAILED. */
    status: text().notNull(),
    stage: text().notNull(),
    attempts: integer().notNull().default(0),
    error: text(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [index('jobs_alert_idx').on(t.alertId), index('jobs_status_idx').on(t.status, t.createdAt)],
);

/** Append-only log of stage events; `seq` orders them for replay. */
export const pipelineEvents = sqliteTable(
  'pipeline_events',
  {
    seq: integer().primaryKey({ autoIncrement: true }),
    alertId: text()
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    jobId: text().references(() => jobs.id, { onDelete: 'set null' }),
    stage: text().notNull(),
    /** COMPLETED, FAILED or SKIPPED. */
    status: text().notNull(),
    durationMs: integer().notNull(),
    summary: text().notNull(),
    /** Stage-specific JSON detail (counts, ids); never the whole payload. */
    detail: text(),
    createdAt: integer().notNull(),
  },
  (t) => [
    index('pipeline_events_alert_idx').on(t.alertId, t.seq),
    index('pipeline_events_job_idx').on(t.jobId),
    index('pipeline_events_created_idx').on(t.createdAt),
  ],
);

/** One indicator, stored once per (type, normalized value). */
export const iocs = sqliteTable(
  'iocs',
  {
    id: text().primaryKey(),
    type: text().notNull(),
    value: text().notNull(),
    /** IP flags (private, loopback, reserved, range) as JSON; null for non-IP types. */
    attributes: text(),
    firstSeenAt: integer().notNull(),
    lastSeenAt: integer().notNull(),
    sightings: integer().notNull().default(0),
  },
  (t) => [
    uniqueIndex('iocs_type_value_uq').on(t.type, t.value),
    index('iocs_last_seen_idx').on(t.lastSeenAt),
    index('iocs_value_idx').on(t.value),
  ],
);

/** Which IOCs an alert holds, and in which role. */
export const alertIocs = sqliteTable(
  'alert_iocs',
  {
    alertId: text()
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    iocId: text()
      .notNull()
      .references(() => iocs.id, { onDelete: 'cascade' }),
    role: text().notNull(),
    createdAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.alertId, t.iocId, t.role] }), index('alert_iocs_ioc_idx').on(t.iocId, t.alertId)],
);

/** Who changed what: actor, action, entity, and the before/after JSON. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text().primaryKey(),
    actor: text().notNull(),
    action: text().notNull(),
    entityType: text().notNull(),
    entityId: text().notNull(),
    before: text(),
    after: text(),
    createdAt: integer().notNull(),
  },
  (t) => [index('audit_log_entity_idx').on(t.entityType, t.entityId, t.createdAt), index('audit_log_created_idx').on(t.createdAt)],
);

/** API keys: only the SHA-256 of the secret is stored; `prefix` lets people tell keys apart. */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text().primaryKey(),
    name: text().notNull(),
    role: text().notNull(),
    prefix: text().notNull(),
    hash: text().notNull(),
    createdBy: text().notNull(),
    createdAt: integer().notNull(),
    lastUsedAt: integer(),
    revokedAt: integer(),
  },
  (t) => [uniqueIndex('api_keys_hash_uq').on(t.hash), index('api_keys_created_idx').on(t.createdAt)],
);

/**
 * What stateful detections remember, so windows survive a restart: one row per counted event, keyed by
 * detector and entity (e.g. `brute-force` / `185.22.13.9`). `value` is the varying part (user, interval).
 */
export const detectionObservations = sqliteTable(
  'detection_observations',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    detector: text().notNull(),
    key: text().notNull(),
    alertId: text()
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    /** Event time (ms): windows are measured on when things happened, not when they arrived. */
    at: integer().notNull(),
    value: text(),
  },
  (t) => [index('detection_observations_key_idx').on(t.detector, t.key, t.at), index('detection_observations_alert_idx').on(t.alertId)],
);

/** First sightings (e.g. the first admin logon of an account on a host), for "first seen" detections. */
export const detectionFirsts = sqliteTable(
  'detection_firsts',
  {
    detector: text().notNull(),
    key: text().notNull(),
    alertId: text()
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    firstSeenAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.detector, t.key] }), index('detection_firsts_alert_idx').on(t.alertId)],
);

/** Cached enrichment results, one per (provider, IOC type, value); `expiresAt` decides when to ask again. */
export const enrichments = sqliteTable(
  'enrichments',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    provider: text().notNull(),
    iocType: text().notNull(),
    iocValue: text().notNull(),
    /** OK, NO_DATA, RATE_LIMITED, ERROR, TIMEOUT or SKIPPED. */
    status: text().notNull(),
    /** MALICIOUS, SUSPICIOUS, BENIGN or UNKNOWN. */
    verdict: text().notNull(),
    reasons: text().notNull(),
    data: text().notNull(),
    error: text(),
    fetchedAt: integer().notNull(),
    expiresAt: integer().notNull(),
  },
  (t) => [uniqueIndex('enrichments_provider_ioc_uq').on(t.provider, t.iocType, t.iocValue), index('enrichments_ioc_idx').on(t.iocType, t.iocValue), index('enrichments_expires_idx').on(t.expiresAt)],
);

/** Threat-intel feeds and warning lists, with what their last load did. */
export const feeds = sqliteTable('feeds', {
  name: text().primaryKey(),
  /** FEED (indicators are bad) or WARNING_LIST (known-good infrastructure). */
  kind: text().notNull(),
  format: text().notNull(),
  /** A file path or an http(s) URL from configuration (never from an alert). */
  location: text().notNull(),
  refreshMs: integer(),
  lastLoadedAt: integer(),
  lastStatus: text(),
  loaded: integer().notNull().default(0),
  skipped: integer().notNull().default(0),
  /** Up to a few examples of skipped lines and why, as JSON. */
  problems: text(),
});

/**
 * Indicators loaded from feeds. Exact values are matched by (type, value); CIDR ranges by their numeric
 * bounds (`rangeStart`/`rangeEnd`, fixed-width hex so IPv4 and IPv6 compare as text).
 */
export const indicators = sqliteTable(
  'indicators',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    feed: text()
      .notNull()
      .references(() => feeds.name, { onDelete: 'cascade' }),
    type: text().notNull(),
    value: text().notNull(),
    rangeStart: text(),
    rangeEnd: text(),
    /** Threat, malware family, tags, first seen, confidence, reference, as the feed gave them (JSON). */
    meta: text(),
    loadedAt: integer().notNull(),
  },
  (t) => [
    index('indicators_type_value_idx').on(t.type, t.value),
    index('indicators_range_idx').on(t.rangeStart, t.rangeEnd),
    index('indicators_feed_idx').on(t.feed),
  ],
);

/**
 * A case: related alerts grouped for investigation (TheHive-style). `version` grows by one on every change
 * and guards concurrent edits; `kindKey` (category and deciding rule) is what alert-storm folding matches.
 */
export const cases = sqliteTable(
  'cases',
  {
    id: text().primaryKey(),
    /** Human number, sequential from 1. */
    number: integer().notNull(),
    title: text().notNull(),
    description: text().notNull().default(''),
    /** NEW, IN_PROGRESS, RESOLVED or CLOSED. */
    status: text().notNull(),
    /** TRUE_POSITIVE, FALSE_POSITIVE, BENIGN_POSITIVE or DUPLICATE once RESOLVED or CLOSED. */
    resolution: text(),
    /** LOW, MEDIUM, HIGH or CRITICAL: the highest risk level of its alerts unless set by hand. */
    severity: text().notNull(),
    /** Who set the severity by hand, if anyone: a hand-set severity survives recomputation (alerts can only raise it). */
    severitySetBy: text(),
    score: integer().notNull(),
    category: text(),
    tlp: text().notNull(),
    pap: text().notNull(),
    assignee: text(),
    /** JSON array of strings. */
    tags: text().notNull().default('[]'),
    /** JSON array of ATT&CK technique ids seen in its alerts. */
    techniques: text().notNull().default('[]'),
    kindKey: text(),
    alertCount: integer().notNull().default(0),
    /** Alerts that joined only because of an alert storm of the same kind. */
    foldedCount: integer().notNull().default(0),
    /** Set when this case was merged into another. */
    mergedInto: text(),
    createdBy: text().notNull(),
    version: integer().notNull().default(1),
    firstAlertAt: integer(),
    lastAlertAt: integer(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [
    uniqueIndex('cases_number_uq').on(t.number),
    index('cases_status_idx').on(t.status, t.lastAlertAt),
    index('cases_severity_idx').on(t.severity),
    index('cases_category_idx').on(t.category, t.lastAlertAt),
    index('cases_kind_idx').on(t.kindKey, t.firstAlertAt),
    index('cases_assignee_idx').on(t.assignee),
    index('cases_created_idx').on(t.createdAt),
    index('cases_merged_into_idx').on(t.mergedInto),
  ],
);

/** Which case an alert belongs to (at most one), why, and since when. */
export const caseAlerts = sqliteTable(
  'case_alerts',
  {
    alertId: text()
      .primaryKey()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    caseId: text()
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    /** OPENED, IOC, ENTITY, STORM, MANUAL, MERGE, SPLIT or MOVE. */
    linkedBy: text().notNull(),
    reason: text().notNull(),
    addedBy: text().notNull(),
    addedAt: integer().notNull(),
  },
  (t) => [index('case_alerts_case_idx').on(t.caseId, t.addedAt)],
);

/**
 * The IOCs of a case's alerts, one row per (case, IOC, role), kept in step with case_alerts so that
 * correlation and related-case ranking are index lookups. `isIoc` says whether it can link cases (false
 * for context such as private addresses, warning-listed values and usernames); an analyst may override it.
 */
export const caseObservables = sqliteTable(
  'case_observables',
  {
    caseId: text()
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    iocId: text()
      .notNull()
      .references(() => iocs.id, { onDelete: 'cascade' }),
    role: text().notNull(),
    isIoc: integer({ mode: 'boolean' }).notNull(),
    /** Set when an analyst overrode `isIoc`; survives recomputation. */
    overriddenBy: text(),
    addedAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.iocId, t.role] }), index('case_observables_ioc_idx').on(t.iocId, t.caseId)],
);

/** Append-only log of case events for subscriptions; `seq` orders them for replay. */
export const caseEvents = sqliteTable(
  'case_events',
  {
    seq: integer().primaryKey({ autoIncrement: true }),
    caseId: text()
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    /** CREATED, UPDATED, STATUS_CHANGED, ALERT_ADDED, ALERT_REMOVED, MERGED, SPLIT, UNDONE, COMMENTED, TASK_CHANGED. */
    kind: text().notNull(),
    actor: text().notNull(),
    summary: text().notNull(),
    detail: text(),
    createdAt: integer().notNull(),
  },
  (t) => [index('case_events_case_idx').on(t.caseId, t.seq), index('case_events_created_idx').on(t.createdAt)],
);

/** Merges, splits and moves, with what they changed so they can be undone. */
export const caseOperations = sqliteTable(
  'case_operations',
  {
    id: text().primaryKey(),
    /** MERGE, SPLIT or MOVE. */
    kind: text().notNull(),
    actor: text().notNull(),
    /** The case the operation put alerts into. */
    targetCaseId: text()
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    /**
     * JSON, small whatever the alert count: each changed case's state before (status, resolution, merge
     * pointer, tags, TLP/PAP, folds, version) and what undo checks after. Moved alerts are in case_operation_alerts.
     */
    detail: text().notNull(),
    /** How many alerts it moved (the rows of case_operation_alerts), kept here so lists need not count. */
    movedAlertCount: integer().notNull().default(0),
    createdAt: integer().notNull(),
    undoneAt: integer(),
    undoneBy: text(),
  },
  (t) => [index('case_operations_target_idx').on(t.targetCaseId, t.createdAt)],
);

/**
 * Each alert a merge, split or move took, with the case and link it had before: what undo restores, set-based
 * (a folded storm case can hold 100,000 alerts). `fromCaseId` is history, not a reference: no cascade.
 */
export const caseOperationAlerts = sqliteTable(
  'case_operation_alerts',
  {
    operationId: text()
      .notNull()
      .references(() => caseOperations.id, { onDelete: 'cascade' }),
    alertId: text()
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    fromCaseId: text().notNull(),
    linkedBy: text().notNull(),
    reason: text().notNull(),
    addedBy: text().notNull(),
    addedAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.operationId, t.alertId] }), index('case_operation_alerts_alert_idx').on(t.alertId)],
);

/** The cases an operation touched and how (SOURCE, TARGET or CREATED): `Case.operations` is an index lookup. */
export const caseOperationCases = sqliteTable(
  'case_operation_cases',
  {
    operationId: text()
      .notNull()
      .references(() => caseOperations.id, { onDelete: 'cascade' }),
    caseId: text()
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    role: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.operationId, t.caseId] }), index('case_operation_cases_case_idx').on(t.caseId, t.operationId)],
);

/** Work items on a case. */
export const tasks = sqliteTable(
  'tasks',
  {
    id: text().primaryKey(),
    caseId: text()
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    title: text().notNull(),
    description: text().notNull().default(''),
    /** WAITING, IN_PROGRESS, COMPLETED or CANCELLED. */
    status: text().notNull(),
    assignee: text(),
    /** A team the task is for, e.g. `tier2`. */
    assigneeGroup: text(),
    createdBy: text().notNull(),
    version: integer().notNull().default(1),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [index('tasks_case_idx').on(t.caseId, t.createdAt), index('tasks_assignee_idx').on(t.assignee)],
);

/** What people recorded while working a task. */
export const taskLogs = sqliteTable(
  'task_logs',
  {
    id: text().primaryKey(),
    taskId: text()
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    author: text().notNull(),
    message: text().notNull(),
    createdAt: integer().notNull(),
  },
  (t) => [index('task_logs_task_idx').on(t.taskId, t.createdAt)],
);

/** Discussion on a case. */
export const caseComments = sqliteTable(
  'case_comments',
  {
    id: text().primaryKey(),
    caseId: text()
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    author: text().notNull(),
    body: text().notNull(),
    createdAt: integer().notNull(),
  },
  (t) => [index('case_comments_case_idx').on(t.caseId, t.createdAt)],
);

/** Every playbook version ever loaded, by content hash: a run names the exact version it ran. */
export const playbookVersions = sqliteTable(
  'playbook_versions',
  {
    /** SHA-256 of the YAML text. */
    hash: text().primaryKey(),
    name: text().notNull(),
    /** Where it came from: `shipped:brute-force.yaml` or `user:local.yaml`. */
    origin: text().notNull(),
    /** The YAML text as loaded. */
    source: text().notNull(),
    loadedAt: integer().notNull(),
  },
  (t) => [index('playbook_versions_name_idx').on(t.name, t.loadedAt)],
);

/** One run of a playbook, durable: a restart resumes it at its first unfinished step. */
export const playbookRuns = sqliteTable(
  'playbook_runs',
  {
    id: text().primaryKey(),
    playbook: text().notNull(),
    playbookHash: text()
      .notNull()
      .references(() => playbookVersions.hash),
    caseId: text().references(() => cases.id, { onDelete: 'cascade' }),
    alertId: text().references(() => alerts.id, { onDelete: 'set null' }),
    /** What started it: CASE_OPENED, CASE_UPDATED, ALERT_SCORED or MANUAL. */
    trigger: text().notNull(),
    /** PENDING, RUNNING, WAITING_APPROVAL, COMPLETED, FAILED, STALLED or CANCELLED. */
    status: text().notNull(),
    dryRun: integer({ mode: 'boolean' }).notNull().default(false),
    /** JSON: the variables templates see (case, alert, IOCs) as they were when the run started. */
    context: text().notNull(),
    error: text(),
    startedBy: text().notNull(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
    finishedAt: integer(),
  },
  (t) => [
    index('playbook_runs_case_idx').on(t.caseId, t.createdAt),
    index('playbook_runs_status_idx').on(t.status, t.updatedAt),
    index('playbook_runs_playbook_idx').on(t.playbook, t.createdAt),
    index('playbook_runs_alert_idx').on(t.alertId),
  ],
);

/** The steps of a run (one row per step, and per item of a step that loops over IOCs). */
export const runSteps = sqliteTable(
  'run_steps',
  {
    id: text().primaryKey(),
    runId: text()
      .notNull()
      .references(() => playbookRuns.id, { onDelete: 'cascade' }),
    /** Order within the run. */
    position: integer().notNull(),
    /** The step's name in the playbook, with the loop item when it loops (`block-ips[185.22.13.9]`). */
    name: text().notNull(),
    action: text().notNull(),
    /** PENDING, RUNNING, WAITING_APPROVAL, COMPLETED, FAILED, STALLED, SKIPPED, REFUSED or REJECTED. */
    status: text().notNull(),
    attempts: integer().notNull().default(0),
    /** When a RUNNING step is overdue (its timeout): past it, it ends FAILED or STALLED. */
    deadlineAt: integer(),
    /** When a failed attempt is retried (backoff). */
    retryAt: integer(),
    /** JSON: the step's parameters after templating. */
    params: text().notNull(),
    output: text(),
    error: text(),
    startedAt: integer(),
    finishedAt: integer(),
  },
  (t) => [index('run_steps_run_idx').on(t.runId, t.position), index('run_steps_status_idx').on(t.status, t.deadlineAt)],
);

/**
 * A response action: what was (or would be) done, to what, by which executor, and its artifact (the JSON
 * record of the side effect, including the firewall command a real executor would run).
 */
export const actions = sqliteTable(
  'actions',
  {
    id: text().primaryKey(),
    runId: text().references(() => playbookRuns.id, { onDelete: 'set null' }),
    stepId: text().references(() => runSteps.id, { onDelete: 'set null' }),
    caseId: text().references(() => cases.id, { onDelete: 'cascade' }),
    /** BLOCK_IP, UNBLOCK_IP, ISOLATE_HOST, RELEASE_HOST, DISABLE_USER, RESET_PASSWORD, CREATE_TASK, ESCALATE, ADD_TAG, SET_SEVERITY or NOTIFY. */
    kind: text().notNull(),
    /** What it acts on: an address, host, account, or the case. */
    target: text().notNull(),
    params: text().notNull(),
    /** `simulated` unless a real executor is configured for the kind. */
    executor: text().notNull(),
    /** PLANNED, PENDING_APPROVAL, EXECUTED, FAILED, REFUSED, REJECTED, EXPIRED or REVERTED. */
    status: text().notNull(),
    dryRun: integer({ mode: 'boolean' }).notNull().default(false),
    /** Why it was refused or failed. */
    reason: text(),
    artifact: text(),
    /** When a block or isolation reverts on its own (its TTL). */
    revertAt: integer(),
    revertedAt: integer(),
    /** For an UNBLOCK/RELEASE made by reverting: the action it undid. */
    revertOf: text(),
    requestedBy: text().notNull(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [
    index('actions_case_idx').on(t.caseId, t.createdAt),
    index('actions_run_idx').on(t.runId),
    index('actions_step_idx').on(t.stepId),
    index('actions_status_idx').on(t.status, t.createdAt),
    index('actions_revert_idx').on(t.revertAt),
    index('actions_kind_target_idx').on(t.kind, t.target),
    index('actions_created_idx').on(t.createdAt),
  ],
);

/** An approval an action waits for: N people of a role, before it expires (then `defaultOutcome`). */
export const approvals = sqliteTable(
  'approvals',
  {
    id: text().primaryKey(),
    actionId: text()
      .notNull()
      .references(() => actions.id, { onDelete: 'cascade' }),
    requiredRole: text().notNull(),
    requiredCount: integer().notNull(),
    /** PENDING, APPROVED, REJECTED or EXPIRED. */
    status: text().notNull(),
    /** APPROVE or REJECT: what happens at expiry. */
    defaultOutcome: text().notNull(),
    expiresAt: integer().notNull(),
    /** JSON array of { actor, decision, comment, at }. */
    decisions: text().notNull().default('[]'),
    createdAt: integer().notNull(),
    decidedAt: integer(),
  },
  (t) => [uniqueIndex('approvals_action_uq').on(t.actionId), index('approvals_status_idx').on(t.status, t.expiresAt)],
);

/** The notification outbox: written in the transaction of the change that causes it, delivered after. */
export const notifications = sqliteTable(
  'notifications',
  {
    id: text().primaryKey(),
    /** The channel's configured name (e.g. `outbox`, `soc-slack`). */
    channel: text().notNull(),
    /** What happened, e.g. `case.created`, `action.executed`, `approval.requested`. */
    event: text().notNull(),
    severity: text(),
    caseId: text().references(() => cases.id, { onDelete: 'set null' }),
    /** JSON: title, text, and facts for the channel to format. */
    payload: text().notNull(),
    /** Sent to receivers so a retried delivery is recognised as the same message. */
    idempotencyKey: text().notNull(),
    /** PENDING, DELIVERED or DEAD (retries exhausted). */
    status: text().notNull(),
    attempts: integer().notNull().default(0),
    nextAttemptAt: integer().notNull(),
    lastError: text(),
    createdAt: integer().notNull(),
    deliveredAt: integer(),
  },
  (t) => [
    index('notifications_due_idx').on(t.status, t.nextAttemptAt),
    index('notifications_case_idx').on(t.caseId, t.createdAt),
    index('notifications_created_idx').on(t.createdAt),
    uniqueIndex('notifications_idempotency_uq').on(t.idempotencyKey),
  ],
);
