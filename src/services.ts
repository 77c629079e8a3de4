/**
 * Wires stores, the pipeline and the event channels around one database. Plain factories, no framework:
 * tests build this with a `:memory:` database and a fixed clock.
 */
import type { DatabaseHandle } from '../db/client.js';
import { createApiKeyService } from './auth/api-keys.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { loadAttackCatalog } from './engine/attack/catalog.js';
import { createClassifier } from './engine/classify/classifier.js';
import { createDetections } from './engine/classify/detections/index.js';
import { loadTextModel } from './engine/classify/model/index.js';
import { createEnrichment } from './engine/enrich/setup.js';
import type { Enricher } from './engine/enrich/types.js';
import { createPipeline } from './engine/pipeline/pipeline.js';
import { createRescorer } from './engine/score/rescore.js';
import { createScorer } from './engine/score/scorer.js';
import type { StageEvent } from './engine/pipeline/stages.js';
import { createChannel } from './events.js';
import { createCaseJournal } from './engine/cases/journal.js';
import { createCaseWriter } from './engine/cases/case-writer.js';
import { createCaseLineage } from './engine/cases/lineage.js';
import { createCaseOperationStore } from './store/case-operation-store.js';
import { createCaseLifecycle } from './engine/cases/lifecycle.js';
import { createTasks } from './engine/cases/tasks.js';
import { createComments } from './engine/cases/comments.js';
import { createTaskStore } from './store/task-store.js';
import { createCorrelator } from './engine/correlate/correlator.js';
import { createRecommender } from './engine/respond/recommender.js';
import { createCaseStore } from './store/case-store.js';
import { createCaseQueries } from './store/case-queries.js';
import { createCaseGraphQueries } from './store/case-graph-queries.js';
import { createCaseGraph } from './engine/cases/graph.js';
import { createRelatedCases } from './engine/cases/related.js';
import { createMetricsQueries } from './store/metrics-queries.js';
import type { CaseEventRecord } from './store/records.js';
import type { Logger } from './logger.js';
import { createAlertQueries } from './store/alert-queries.js';
import { createAlertStore } from './store/alert-store.js';
import { createBatchQueries } from './store/batch-queries.js';
import { createAuditLog } from './store/audit-log.js';
import { createIocQueries } from './store/ioc-queries.js';
import { createIocStore } from './store/ioc-store.js';
import { createNotificationStore } from './store/notification-store.js';
import { createNotifications } from './engine/notify/index.js';
import { createActionService, type ActionEvent } from './engine/respond/actions/index.js';
import { createActionStore } from './store/action-store.js';
import { createPlaybooks } from './engine/respond/playbooks/index.js';
import { createRuns } from './engine/respond/runs/index.js';
import { createPlaybookStore } from './store/playbook-store.js';

export function createServices(deps: {
  config: Config;
  database: DatabaseHandle;
  clock: Clock;
  logger: Logger;
  /** Replaces DNS/RDAP/WHOIS/reputation providers: tests point them at their own loopback servers. */
  networkProviders?: Enricher[];
}) {
  const { config, database, clock, logger } = deps;
  const { sqlite, db } = database;
  const alerts = createAlertStore(sqlite);
  const iocs = createIocStore(sqlite);
  const audit = createAuditLog(sqlite, clock);
  /** Stage events, keyed by alert id (subscribe to ALL for every alert). */
  const stageEvents = createChannel<StageEvent>();
  /** Case events, keyed by case id (subscribe to ALL for every case). */
  const caseEvents = createChannel<CaseEventRecord>();
  const cases = createCaseStore(sqlite);
  const attack = loadAttackCatalog();
  const classifier = createClassifier({
    attack,
    model: loadTextModel(),
    detections: createDetections(sqlite, config.detections),
    rules: { userDir: config.rulesDir },
  });
  for (const error of classifier.ruleSet.errors) logger.warn({ ruleError: error }, 'a rule was skipped');
  const emit = (event: StageEvent) => stageEvents.publish(event.alertId, event);
  const enrichment = createEnrichment({ config, sqlite, alerts, emit, clock, logger, ...(deps.networkProviders ? { networkProviders: deps.networkProviders } : {}) });
  const scorer = createScorer({ alerts, iocs, enrichment: enrichment.service, settings: config.score });
  const caseJournal = createCaseJournal({ cases, audit, clock, publish: (event) => caseEvents.publish(event.caseId, event) });
  // The outbox: `notify` writes rows inside the caller's transaction; case changes are announced by a journal hook.
  const notifications = createNotifications({ sqlite, store: createNotificationStore(db, sqlite), cases, journal: caseJournal, audit, clock, logger, settings: config.notify });
  const caseWriter = createCaseWriter({ cases, alerts, iocs, enrichment: enrichment.service, journal: caseJournal, clock });
  const taskStore = createTaskStore(sqlite);
  const caseLifecycle = createCaseLifecycle({ writer: caseWriter, journal: caseJournal, cases, clock, observableFlags: taskStore.observableFlags });
  const tasks = createTasks({ tasks: taskStore, cases, journal: caseJournal, clock });
  const caseQueries = createCaseQueries(db, sqlite);
  const caseGraphQueries = createCaseGraphQueries(sqlite);
  const correlator = createCorrelator({ cases, iocs, writer: caseWriter, journal: caseJournal, enrichment: enrichment.service, settings: config.correlation });
  enrichment.service.onResult(createRescorer({ alerts, scorer, emit, clock, correlator }));
  const pipeline = createPipeline({
    alerts,
    iocs,
    audit,
    classifier,
    enrichment: enrichment.service,
    scorer,
    correlator,
    clock,
    logger,
    emit,
    settings: config,
  });
  /** Action changes, keyed by case id (`-` for actions without a case; subscribe to ALL for every action). */
  const actionEvents = createChannel<ActionEvent>();
  const actions = createActionService({
    sqlite,
    store: createActionStore(db, sqlite),
    audit,
    cases,
    caseLifecycle,
    tasks,
    clock,
    logger,
    settings: config.actions,
    notify: () => notifications.notify,
    publish: (event) => actionEvents.publish(event.action.caseId ?? '-', event),
  });
  // Playbooks (shipped and user YAML, every version stored by hash) and their durable runs, started by case and correlation hooks.
  const playbooks = createPlaybooks({
    sqlite,
    store: createPlaybookStore(sqlite),
    clock,
    userDir: config.playbooks.dir,
    onError: (error) => logger.warn({ playbookError: error }, 'a playbook was skipped'),
  });
  const runs = createRuns({
    sqlite,
    playbooks,
    actions,
    journal: caseJournal,
    correlator,
    cases,
    alerts,
    iocs,
    observablesOf: caseQueries.observablesOf,
    enrichment: enrichment.service,
    audit,
    clock,
    logger,
    notify: () => notifications.notify,
    triggers: config.playbooks.triggers,
    sweepIntervalMs: config.playbooks.sweepIntervalMs,
    executorTimeoutMs: config.actions.executorTimeoutMs,
  });

  return {
    config,
    clock,
    logger,
    database,
    alerts,
    iocs,
    audit,
    stageEvents,
    caseEvents,
    cases,
    caseJournal,
    notify: notifications.notify,
    notifications,
    actions,
    actionEvents,
    playbooks,
    runs,
    caseWriter,
    caseLineage: createCaseLineage({ cases, alerts, writer: caseWriter, journal: caseJournal, operations: createCaseOperationStore(sqlite), clock }),
    taskStore,
    caseLifecycle,
    tasks,
    comments: createComments({ tasks: taskStore, cases, journal: caseJournal, clock }),
    correlator,
    recommender: createRecommender({
      iocs,
      enrichment: enrichment.service,
      protectedUsers: config.actions.vipUsers,
      playbooksFor: (a) => playbooks.forSubject({ severity: a.riskLevel, category: a.category, score: a.score, tags: [], iocTypes: iocs.linksOf(a.id).map((l) => l.type) }),
    }),
    pipeline,
    attack,
    classifier,
    enrichment,
    alertQueries: createAlertQueries(db, sqlite),
    iocQueries: createIocQueries(db, sqlite),
    caseQueries,
    batchQueries: createBatchQueries(sqlite),
    relatedCases: createRelatedCases({ queries: caseGraphQueries }),
    caseGraph: createCaseGraph({ queries: caseGraphQueries }),
    metrics: createMetricsQueries(sqlite),
    apiKeys: createApiKeyService({ sqlite, clock, audit, adminToken: config.adminToken }),
  };
}

export type Services = ReturnType<typeof createServices>;
