import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, settle, T0, type Harness } from '../../helpers/harness.js';

let h: Harness;
beforeEach(() => {
  h = createHarness({ VIGIL_MAX_ALERT_BYTES: '1024', VIGIL_DEDUP_WINDOW_MS: '60000', VIGIL_MAX_BATCH: '5' });
});
afterEach(() => h.close());

const line = 'Failed password for root from 185.22.13.9 port 22 ssh2';

describe('ingest', () => {
  it('stores an alert and its INGEST event before answering', () => {
    const [outcome] = h.services.pipeline.submit([{ log: line }]);
    expect(outcome?.ok).toBe(true);
    if (!outcome?.ok) return;
    // Synchronously after submit: the row, the job and the event are committed.
    const row = h.services.database.sqlite.prepare('SELECT status, payload, source, received_at AS receivedAt FROM alerts WHERE id = ?').get(outcome.alert.id);
    expect(row).toEqual({ status: 'RECEIVED', payload: line, source: 'api', receivedAt: T0 });
    expect(h.services.alerts.eventsAfter(outcome.alert.id, 0).map((e) => e.stage)).toEqual(['INGEST']);
    expect(h.services.alerts.latestJob(outcome.alert.id)?.status).toBe('PENDING');
  });

  it('counts the same content within the window as an occurrence, and a new alert after it', async () => {
    const [first] = h.services.pipeline.submit([{ log: line }]);
    h.clock.advance(30_000);
    const [again] = h.services.pipeline.submit([{ log: `  ${line}\n` }]);
    expect(again).toMatchObject({ ok: true, duplicate: true });
    if (!first?.ok || !again?.ok) throw new Error('not accepted');
    expect(again.alert.id).toBe(first.alert.id);
    expect(again.alert.occurrenceCount).toBe(2);
    // The window slides from the last sighting: 59 s after the repeat is still the same alert.
    h.clock.advance(59_000);
    const [third] = h.services.pipeline.submit([{ log: line }]);
    expect(third).toMatchObject({ ok: true, duplicate: true });
    h.clock.advance(61_000);
    const [fresh] = h.services.pipeline.submit([{ log: line }]);
    expect(fresh).toMatchObject({ ok: true, duplicate: false });
    if (fresh?.ok) expect(fresh.alert.id).not.toBe(first.alert.id);
    expect(h.services.alerts.occurrences(first.alert.id, 10).map((o) => o.matchedBy)).toEqual(['FINGERPRINT', 'FINGERPRINT']);
    await settle(h);
  });

  it('identifies alerts with a sourceRef by (source, sourceRef), whatever the time', () => {
    const [a] = h.services.pipeline.submit([{ alert: { rule: { id: '5710' }, id: '1' }, source: 'wazuh', sourceRef: 'evt-1' }]);
    h.clock.advance(10 * 24 * 3600 * 1000);
    const [b] = h.services.pipeline.submit([{ alert: { id: '1', rule: { id: '5710' } }, source: 'wazuh', sourceRef: 'evt-1' }]);
    const [c] = h.services.pipeline.submit([{ alert: { id: '1', rule: { id: '5710' } }, source: 'other', sourceRef: 'evt-1' }]);
    if (!a?.ok || !b?.ok || !c?.ok) throw new Error('not accepted');
    expect(b).toMatchObject({ duplicate: true });
    expect(b.alert.id).toBe(a.alert.id);
    expect(c.duplicate).toBe(false);
    expect(h.services.alerts.occurrences(a.alert.id, 10)[0]).toMatchObject({ matchedBy: 'SOURCE_REF', sourceRef: 'evt-1' });
  });

  it('fingerprints JSON alerts regardless of key order', () => {
    const [a] = h.services.pipeline.submit([{ alert: { b: 1, a: { y: 2, x: 1 } } }]);
    const [b] = h.services.pipeline.submit([{ alert: '{"a":{"x":1,"y":2},"b":1}' }]);
    expect(b).toMatchObject({ ok: true, duplicate: true });
    if (a?.ok) expect(a.alert.payload).toBe('{"a":{"x":1,"y":2},"b":1}');
  });

  it.each([
    [{}, 'MISSING', 'log'],
    [{ log: '   ' }, 'EMPTY', 'log'],
    [{ log: 'x', alert: { a: 1 } }, 'AMBIGUOUS', 'log'],
    [{ log: 'x'.repeat(1025) }, 'TOO_LARGE', 'log'],
    [{ alert: '{"a": ' }, 'INVALID_JSON', 'alert'],
    [{ alert: [1, 2] }, 'WRONG_TYPE', 'alert'],
    [{ alert: 42 }, 'WRONG_TYPE', 'alert'],
    [{ alert: {} }, 'EMPTY', 'alert'],
    [{ alert: JSON.parse(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`) }, 'TOO_DEEP', 'alert'],
    [{ alert: { msg: 'é'.repeat(600) } }, 'TOO_LARGE', 'alert'],
    [{ log: 'x', source: 'bad source!' }, 'INVALID_VALUE', 'source'],
    [{ log: 'x', source: 7 }, 'WRONG_TYPE', 'source'],
    [{ log: 'x', sourceRef: '' }, 'EMPTY', 'sourceRef'],
    [{ log: 'x', sourceRef: 'r'.repeat(257) }, 'TOO_LARGE', 'sourceRef'],
  ])('refuses %j with %s on %s, storing nothing', (input, code, field) => {
    const [outcome] = h.services.pipeline.submit([input]);
    expect(outcome).toMatchObject({ ok: false, index: 0, problem: { code, field } });
    expect(outcome?.ok === false && outcome.problem.message.length).toBeGreaterThan(10);
    expect(h.services.database.sqlite.prepare('SELECT count(*) AS n FROM alerts').get()).toEqual({ n: 0 });
  });

  it('stores the good items of a batch and reports each bad one by index', () => {
    const result = h.services.pipeline.submitBatch([{ log: 'one' }, { log: '' }, { alert: '[' }, { log: 'two' }]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.outcomes.map((o) => (o.ok ? 'ok' : o.problem.code))).toEqual(['ok', 'EMPTY', 'INVALID_JSON', 'ok']);
    expect(h.services.database.sqlite.prepare('SELECT count(*) AS n FROM alerts').get()).toEqual({ n: 2 });
  });

  it('refuses a batch over the limit, and an empty one, whole', () => {
    const over = h.services.pipeline.submitBatch(Array.from({ length: 6 }, (_, i) => ({ log: `line ${i}` })));
    expect(over).toMatchObject({ ok: false, problem: { code: 'BATCH_TOO_LARGE', field: 'alerts' } });
    expect(h.services.pipeline.submitBatch([])).toMatchObject({ ok: false, problem: { code: 'EMPTY' } });
    expect(h.services.database.sqlite.prepare('SELECT count(*) AS n FROM alerts').get()).toEqual({ n: 0 });
  });
});
