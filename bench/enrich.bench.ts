/**
 * Enrichment cost per alert with a warm cache: what the ENRICH stage does for each alert once its IOCs
 * have been looked up before (feeds and warning lists, then the cache for the networked providers, and
 * the check that nothing needs queueing). Baseline in the same run: one raw SQLite point read of the
 * cache per IOC and provider, the least a cache-backed design can do.
 */
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../db/client.js';
import { runMigrations } from '../db/migrate.js';
import { createLogger } from '../src/logger.js';
import { createFeedEnricher, createFeedStore, loadFeed, shippedWarningListConfigs, createFetchText } from '../src/engine/enrich/feeds/index.js';
import { createEnrichmentRunner } from '../src/engine/enrich/runner/index.js';
import { createEnrichmentService } from '../src/engine/enrich/service.js';
import { createAlertStore } from '../src/store/alert-store.js';
import type { Enricher, EnrichmentTarget } from '../src/engine/enrich/types.js';
import { report } from './harness.js';

const ALERTS = 5000;
const IOCS_PER_ALERT = 3;

/** Stands in for DNS/RDAP/reputation: answers at once, so the cache can be warmed without a network. */
const offline = (name: string): Enricher => ({
  name,
  external: true,
  supports: () => true,
  lookup: async () => ({ provider: name, status: 'OK', verdict: 'UNKNOWN', reasons: [], data: { bench: true } }),
});

export async function benchEnrich(): Promise<void> {
  const database = openDatabase({ path: ':memory:' });
  runMigrations(database.db);
  const { sqlite } = database;
  const feedStore = createFeedStore(sqlite);
  for (const feed of shippedWarningListConfigs()) await loadFeed(feed, feedStore, { fetchText: createFetchText() });
  const providers = [createFeedEnricher(feedStore), offline('dns'), offline('registration'), offline('reputation')];
  const runner = createEnrichmentRunner({ sqlite, providers, clock: Date.now, settings: { defaults: { allowAmber: true, ratePerMinute: 1e9, burst: 1e9 } } });
  const service = createEnrichmentService({ runner, providers, alerts: createAlertStore(sqlite), emit: () => undefined, clock: Date.now, logger: createLogger('silent') });
  const targets: EnrichmentTarget[] = Array.from({ length: ALERTS * IOCS_PER_ALERT }, (_, i) => ({
    type: i % 3 === 0 ? 'DOMAIN' : 'IPV4',
    value: i % 3 === 0 ? `host${i}.example-bench.com` : `203.0.${(i >> 8) % 256}.${i % 256}`,
    ...(i % 3 === 0 ? {} : { ip: { private: false, loopback: false, reserved: false, range: 'unicast' } }),
    tlp: 'AMBER',
  }));
  for (const target of targets) await runner.enrich(target);

  const read = sqlite.prepare('SELECT status, verdict, reasons, data FROM enrichments WHERE provider = ? AND ioc_type = ? AND ioc_value = ?');
  let started = performance.now();
  for (const t of targets) for (const p of providers) read.get(p.name, t.type, t.value);
  const baseline = ALERTS / ((performance.now() - started) / 1000);

  let queued = 0;
  started = performance.now();
  for (let a = 0; a < ALERTS; a++) {
    const mine = targets.slice(a * IOCS_PER_ALERT, (a + 1) * IOCS_PER_ALERT);
    await Promise.all(mine.map((t) => service.localAndCached(t)));
    queued += service.schedule(`alt_${a}`, 'bench', mine);
  }
  const warm = ALERTS / ((performance.now() - started) / 1000);
  await service.close(1000);
  database.close();

  console.log(`\nenrichment with a warm cache (${ALERTS} alerts x ${IOCS_PER_ALERT} IOCs, 4 providers, in-memory database)`);
  report([
    { name: 'baseline: raw cache reads (1 per IOC and provider)', value: baseline, unit: 'alerts/s' },
    { name: 'ENRICH stage work (feeds + cache + queue check)', value: warm, unit: 'alerts/s', baseline },
  ]);
  console.log(`${(1e6 / warm).toFixed(0)} µs per alert; network lookups queued with the cache warm: ${queued}`);
}
