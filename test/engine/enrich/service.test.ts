import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/client.js';
import { runMigrations } from '../../../db/migrate.js';
import { createEnrichmentRunner } from '../../../src/engine/enrich/runner/index.js';
import { createEnrichmentService } from '../../../src/engine/enrich/service.js';
import type { Enricher } from '../../../src/engine/enrich/types.js';
import { createLogger } from '../../../src/logger.js';
import { createAlertStore } from '../../../src/store/alert-store.js';

describe('background enrichment queue', () => {
  it('stays bounded under a storm of new IOCs on a stalled network, and drains what it took', async () => {
    const database = openDatabase({ path: ':memory:' });
    runMigrations(database.db);
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const slow: Enricher = {
      name: 'slow',
      external: true,
      supports: () => true,
      lookup: async () => {
        calls += 1;
        await stalled;
        return { provider: 'slow', status: 'OK', verdict: 'UNKNOWN', reasons: [], data: {} };
      },
    };
    const runner = createEnrichmentRunner({ sqlite: database.sqlite, providers: [slow], clock: Date.now, settings: { defaults: { allowAmber: true, ratePerMinute: 1e9, burst: 1e9, concurrency: 2 } } });
    const service = createEnrichmentService({ runner, providers: [slow], alerts: createAlertStore(database.sqlite), emit: () => undefined, clock: Date.now, logger: createLogger('silent'), concurrency: 2, maxQueued: 50 });
    const targets = Array.from({ length: 500 }, (_, i) => ({ type: 'DOMAIN' as const, value: `d${i}.example-storm.com`, tlp: 'AMBER' as const }));
    const queued = service.schedule('alt_none', 'test', targets);
    expect(queued).toBe(50);
    expect(service.pending).toBeLessThanOrEqual(50);
    release();
    await service.close(5000);
    expect(calls).toBe(50);
    database.close();
  });
});
