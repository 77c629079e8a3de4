import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, settle, type Harness } from '../../helpers/harness.js';

let h: Harness;
afterEach(async () => h?.close());

const ALERTS = 2000;
/** Statements one lineage operation may run whatever the alert count (a per-alert cost would be thousands here). */
const BOUND = 100;
const sshFailure = (i: number, host: string, ip: string) => `Nov 23 04:00:${String(i).padStart(2, '0')} ${host} sshd[${1000 + i}]: Failed password for root from ${ip} port ${40000 + i} ssh2`;

/**
 * Three cases from the pipeline, then the second grown to ALERTS storm-folded copies of its alert with SQL
 * (through the pipeline this would take minutes): the shape of a folded alert storm.
 */
async function stormCase(statements: string[]) {
  h = createHarness({}, ':memory:', { databaseOptions: { verbose: (sql) => statements.push(sql) } });
  const ids = ['web-01', 'db-02', 'mail-03'].map((host, i) => {
    const [outcome] = h.services.pipeline.submit([{ log: sshFailure(i + 1, host, `203.0.113.${i + 1}`) }]);
    if (!outcome?.ok) throw new Error(JSON.stringify(outcome));
    return outcome.alert.id;
  });
  await settle(h);
  const [a, b, c] = ids.map((id) => h.services.cases.linkOf(id)!.caseId) as [string, string, string];
  const sql = h.services.database.sqlite;
  sql.transaction(() => {
    sql
      .prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
         INSERT INTO alerts (id, source, source_ref, payload_kind, payload, fingerprint, status, format, message, normalized, event_time, category, confidence, classification, score, risk_level, score_factors, occurrence_count, received_at, last_seen_at, updated_at)
         SELECT 'alt_storm' || printf('%06d', i), source, 'storm-' || i, payload_kind, payload, fingerprint || i, status, format, message, normalized, event_time + i, category, confidence, classification, score, risk_level, score_factors, 1, received_at + i, last_seen_at, updated_at
         FROM n, alerts WHERE alerts.id = ?`,
      )
      .run(ALERTS - 1, ids[1]);
    sql.prepare(`INSERT INTO alert_iocs (alert_id, ioc_id, role, created_at) SELECT a.id, ai.ioc_id, ai.role, ai.created_at FROM alerts a, alert_iocs ai WHERE a.id LIKE 'alt_storm%' AND ai.alert_id = ?`).run(ids[1]);
    sql.prepare(`INSERT INTO case_alerts (alert_id, case_id, linked_by, reason, added_by, added_at) SELECT id, ?, 'STORM', 'storm', 'vigil', received_at FROM alerts WHERE id LIKE 'alt_storm%'`).run(b);
  })();
  h.services.cases.transaction(() => h.services.caseWriter.change(b, undefined, () => ({ foldedCount: ALERTS - 1 })));
  h.services.cases.transaction(() => h.services.caseWriter.recompute(b));
  expect(h.services.cases.get(b)).toMatchObject({ alertCount: ALERTS, foldedCount: ALERTS - 1 });
  return { a, b, c };
}

describe('lineage operations on a storm case', () => {
  it(`merge, split, move and their undo run a bounded number of statements on a case of ${ALERTS} alerts`, async () => {
    const statements: string[] = [];
    const { a, b, c } = await stormCase(statements);
    const lineage = h.services.caseLineage;
    const count = <T>(fn: () => T): { result: T; n: number } => {
      const mark = statements.length;
      const result = fn();
      return { result, n: statements.length - mark };
    };

    const merge = count(() => lineage.merge(a, [b], 'alice'));
    expect(merge.result.target).toMatchObject({ alertCount: ALERTS + 1 });
    expect(merge.result.operation.movedAlertCount).toBe(ALERTS);
    expect(merge.n, statements.slice(-merge.n).join('\n')).toBeLessThanOrEqual(BOUND);
    const undoMerge = count(() => lineage.undo(merge.result.operation.id, 'alice'));
    expect(h.services.cases.get(b)).toMatchObject({ alertCount: ALERTS, foldedCount: ALERTS - 1, status: 'NEW', mergedInto: null });
    expect(undoMerge.n).toBeLessThanOrEqual(BOUND);

    const split = count(() => lineage.split(b, ['alt_storm000001', 'alt_storm000002'], 'alice'));
    expect(split.result.source).toMatchObject({ alertCount: ALERTS - 2, foldedCount: ALERTS - 3 });
    expect(split.n).toBeLessThanOrEqual(BOUND);
    const undoSplit = count(() => lineage.undo(split.result.operation.id, 'alice'));
    expect(undoSplit.n).toBeLessThanOrEqual(BOUND);

    const move = count(() => lineage.move('alt_storm000003', c, 'alice'));
    expect(move.result.from).toMatchObject({ alertCount: ALERTS - 1 });
    expect(move.n).toBeLessThanOrEqual(BOUND);
    const undoMove = count(() => lineage.undo(move.result.operation.id, 'alice'));
    expect(h.services.cases.get(b)).toMatchObject({ alertCount: ALERTS, foldedCount: ALERTS - 1 });
    expect(undoMove.n).toBeLessThanOrEqual(BOUND);
  });
});
