import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, settle, type Harness } from '../../helpers/harness.js';

let h: Harness;
beforeEach(() => {
  h = createHarness();
});
afterEach(() => h.close());

describe('durable pipeline jobs', () => {
  it('marks a job FAILED with the error when a stage throws, keeps the alert, and reprocesses it', async () => {
    // A stored JSON payload that is no longer valid JSON makes the normalize stage throw.
    const [outcome] = h.services.pipeline.submit([{ alert: { message: 'x' } }]);
    if (!outcome?.ok) throw new Error('not accepted');
    await settle(h);
    h.services.database.sqlite.prepare('UPDATE alerts SET payload = ? WHERE id = ?').run('{broken', outcome.alert.id);
    const reprocessed = await h.ok(`mutation($id: ID!) { reprocessAlert(id: $id) { __typename ... on ReprocessAlertSuccess { job { id } } } }`, { id: outcome.alert.id });
    expect(reprocessed.reprocessAlert.__typename).toBe('ReprocessAlertSuccess');
    await settle(h);

    const failed = await h.ok(`query($id: ID!) { alert(id: $id) { status payload job { status error attempts } events { stage status summary } } }`, { id: outcome.alert.id });
    expect(failed.alert.status).toBe('FAILED');
    expect(failed.alert.payload).toBe('{broken');
    expect(failed.alert.job).toMatchObject({ status: 'FAILED', error: expect.stringMatching(/^NORMALIZE: .*JSON/) });
    expect(failed.alert.events.at(-1)).toMatchObject({ stage: 'NORMALIZE', status: 'FAILED', summary: expect.stringContaining('normalize failed') });

    h.services.database.sqlite.prepare('UPDATE alerts SET payload = ? WHERE id = ?').run('{"message":"x"}', outcome.alert.id);
    await h.ok(`mutation($id: ID!) { reprocessAlert(id: $id) { __typename } }`, { id: outcome.alert.id });
    await settle(h);
    const fixed = await h.ok(`query($id: ID!) { alert(id: $id) { status job { status error } } }`, { id: outcome.alert.id });
    expect(fixed.alert).toEqual({ status: 'PROCESSED', job: { status: 'COMPLETED', error: null } });
  });

  it('refuses to reprocess an unknown alert or one still in progress', async () => {
    const missing = await h.ok(`mutation { reprocessAlert(id: "alt_nope") { __typename ... on NotFoundError { entity id } } }`);
    expect(missing.reprocessAlert).toEqual({ __typename: 'NotFoundError', entity: 'Alert', id: 'alt_nope' });
    const [outcome] = h.services.pipeline.submit([{ log: 'line' }]);
    if (!outcome?.ok) throw new Error('not accepted');
    await settle(h);
    // As a job another worker is still running would look:
    h.services.database.sqlite.prepare("UPDATE jobs SET status = 'RUNNING', stage = 'EXTRACT'").run();
    const busy = await h.ok(`mutation($id: ID!) { reprocessAlert(id: $id) { __typename ... on ConflictError { message } } }`, { id: outcome.alert.id });
    expect(busy.reprocessAlert).toMatchObject({ __typename: 'ConflictError', message: expect.stringContaining('still being processed') });
  });

  it('keeps IOC sightings exact when an alert is reprocessed', async () => {
    const [outcome] = h.services.pipeline.submit([{ log: 'Failed password for root from 185.22.13.9 port 22 ssh2' }]);
    if (!outcome?.ok) throw new Error('not accepted');
    await settle(h);
    h.services.pipeline.reprocess(outcome.alert.id, 'test');
    await settle(h);
    expect(h.services.iocs.find('IPV4', '185.22.13.9')?.sightings).toBe(1);
  });

  it('resumes jobs a previous process left PENDING or RUNNING', async () => {
    const [a] = h.services.pipeline.submit([{ log: 'Failed password for root from 185.22.13.9 port 22 ssh2' }]);
    if (!a?.ok) throw new Error('not accepted');
    await settle(h);
    // Simulate a crash in the middle of the EXTRACT stage: the job says RUNNING at EXTRACT, no IOCs stored.
    const sqlite = h.services.database.sqlite;
    sqlite.prepare('DELETE FROM alert_iocs').run();
    sqlite.prepare("UPDATE jobs SET status = 'RUNNING', stage = 'EXTRACT'").run();
    expect(h.services.pipeline.start()).toBe(1);
    await settle(h);
    const job = h.services.alerts.latestJob(a.alert.id);
    expect(job).toMatchObject({ status: 'COMPLETED', attempts: 2 });
    expect(h.services.alertQueries.iocsOf(a.alert.id).map((i) => i.value).sort()).toEqual(['185.22.13.9', 'root']);
  });
});

describe('job runner batches', () => {
  it("fails only the job whose writes throw, and commits the rest of the batch", async () => {
    const { createJobRunner } = await import('../../../src/engine/pipeline/job-runner.js');
    const { createLogger } = await import('../../../src/logger.js');
    const [a, b, c] = h.services.pipeline.submit([{ log: 'one' }, { log: 'two' }, { log: 'three' }]);
    await settle(h);
    if (!a?.ok || !b?.ok || !c?.ok) throw new Error('not accepted');
    const sqlite = h.services.database.sqlite;
    // Put the three alerts back at the NORMALIZE stage, to be run by a runner whose stage breaks on "two".
    sqlite.prepare("UPDATE jobs SET status = 'PENDING', stage = 'NORMALIZE'").run();
    const events: string[] = [];
    const runner = createJobRunner({
      alerts: h.services.alerts,
      clock: h.clock,
      batchSize: 10,
      concurrency: 1,
      logger: createLogger('silent'),
      emit: (e) => events.push(`${e.alertId}:${e.stage}:${e.status}`),
      handlers: [
        {
          stage: 'NORMALIZE',
          run: ({ alert }) => ({
            summary: 'ok',
            commit: () => {
              sqlite.prepare('UPDATE alerts SET message = ? WHERE id = ?').run(`changed ${alert.payload}`, alert.id);
              if (alert.payload === 'two') sqlite.prepare('INSERT INTO jobs (id) VALUES (NULL)').run();
            },
          }),
        },
        { stage: 'EXTRACT', run: () => ({ summary: 'ok' }) },
        { stage: 'CLASSIFY', run: () => ({ summary: 'ok' }) },
        { stage: 'ENRICH', run: () => ({ summary: 'ok' }) },
        { stage: 'SCORE', run: () => ({ summary: 'ok' }) },
        { stage: 'CORRELATE', run: () => ({ summary: 'ok' }) },
      ],
    });
    runner.resumeUnfinished();
    await Promise.all([a, b, c].map((o) => runner.waitFor(o.jobId!)));
    const status = (id: string) => sqlite.prepare('SELECT a.status AS alert, a.message AS message, j.status AS job, j.error AS error FROM alerts a JOIN jobs j ON j.alert_id = a.id WHERE a.id = ?').get(id);
    expect(status(a.alert.id)).toMatchObject({ alert: 'PROCESSED', message: 'changed one', job: 'COMPLETED' });
    expect(status(c.alert.id)).toMatchObject({ alert: 'PROCESSED', message: 'changed three', job: 'COMPLETED' });
    // The failed job's partial writes were rolled back with its savepoint.
    expect(status(b.alert.id)).toMatchObject({ alert: 'FAILED', message: 'two', job: 'FAILED', error: expect.stringMatching(/^NORMALIZE: NOT NULL constraint failed/) });
    expect(events).toContain(`${b.alert.id}:NORMALIZE:FAILED`);
    expect(events.filter((e) => e.endsWith(':SCORE:COMPLETED'))).toHaveLength(2);
  });
});
