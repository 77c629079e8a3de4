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
import { createAuditLog } from './store/audit-log.js';
import { createIocQueries } from './store/ioc-queries.js';
import { createIocStore } from './store/ioc-store.js';

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
  const caseWriter = createCaseWriter({ cases, alerts, iocs, enrichment: enrichment.service, journal: caseJournal, clock });
  const taskStore = createTaskStore(sqlite);
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
    caseWriter,
    caseLineage: createCaseLineage({ cases, alerts, writer: caseWriter, journal: caseJournal, operations: createCaseOperationStore(sqlite), clock }),
    taskStore,
    caseLifecycle: createCaseLifecycle({ writer: caseWriter, journal: caseJournal, cases, clock, observableFlags: taskStore.observableFlags }),
    tasks: createTasks({ tasks: taskStore, cases, journal: caseJournal, clock }),
    comments: createComments({ tasks: taskStore, cases, journal: caseJournal, clock }),
    correlator,
    recommender: createRecommender({ iocs, enrichment: enrichment.service, protectedUsers: [] }),
    pipeline,
    attack,
    classifier,
    enrichment,
    alertQueries: createAlertQueries(db, sqlite),
    iocQueries: createIocQueries(db, sqlite),
    caseQueries: createCaseQueries(db, sqlite),
    relatedCases: createRelatedCases({ queries: createCaseGraphQueries(sqlite) }),
    caseGraph: createCaseGraph({ queries: createCaseGraphQueries(sqlite) }),
    metrics: createMetricsQueries(sqlite),
    apiKeys: createApiKeyService({ sqlite, clock, audit, adminToken: config.adminToken }),
  };
}

export type Services = ReturnType<typeof createServices>;
