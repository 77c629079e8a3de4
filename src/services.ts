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
  enrichment.service.onResult(createRescorer({ alerts, scorer, emit, clock }));
  const pipeline = createPipeline({
    alerts,
    iocs,
    audit,
    classifier,
    enrichment: enrichment.service,
    scorer,
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
    pipeline,
    attack,
    classifier,
    enrichment,
    alertQueries: createAlertQueries(db, sqlite),
    iocQueries: createIocQueries(db, sqlite),
    apiKeys: createApiKeyService({ sqlite, clock, audit, adminToken: config.adminToken }),
  };
}

export type Services = ReturnType<typeof createServices>;
