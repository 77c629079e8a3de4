import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { transactionsOf } from '../../../src/store/transactions.js';
import type { RunEvent } from '../../../src/engine/respond/runs/index.js';
import { T0, type Harness } from '../../helpers/harness.js';
import { BRUTE_FORCE_OFF, bruteForceCase, harnessFor, outbox, sandbox, type Sandbox } from './run-helpers.js';

let h: Harness | undefined;
let box: Sandbox | undefined;
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
  await h?.close();
  h = undefined;
  box?.cleanup();
  box = undefined;
});

const TWO_TASKS = `name: two-tasks
description: two tasks, by hand only
enabled: false
trigger: {}
steps:
  - name: first
    action: CREATE_TASK
    params: { title: 'Check {{ case.host }}' }
  - name: second
    action: CREATE_TASK
    params: { title: Then the rest }
`;

/** A firewall endpoint on 127.0.0.1 answering each request with what `answer` says (or never). */
async function firewall(answer: (n: number) => number | 'hang'): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push(body);
      const status = answer(requests.length);
      if (status === 'hang') return;
      res.writeHead(status, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/block`, requests };
}

/** Leaves step `position` of a run as a process that died mid-step would: RUNNING, its action requested (and maybe executed). */
async function dieMidStep(hh: Harness, runId: string, position: number, opts: { executed: boolean; attempts?: number; deadlineAt?: number }) {
  const runs = hh.services.runs.store;
  const step = runs.stepsOf(runId)[position]!;
  const run = runs.getRun(runId)!;
  const action = transactionsOf(hh.services.database.sqlite).run(() => {
    runs.updateRun(runId, { status: 'RUNNING', updatedAt: T0 });
    runs.updateStep(step.id, { status: 'RUNNING', attempts: opts.attempts ?? 1, startedAt: T0, deadlineAt: opts.deadlineAt ?? T0 + 60_000 });
    return hh.services.actions.request({ kind: step.action as never, params: JSON.parse(step.params), caseId: run.caseId, runId, stepId: step.id, actor: run.startedBy, dryRun: false });
  });
  if (opts.executed) await hh.services.actions.execute(action.id);
  return { step, action };
}

/**
 * A two-task run on a file database whose process died in the middle of its first step; returns with it
 * a fresh process on the same file (`restarted`), its runs not started yet.
 */
async function diedMidFirstStep(state: { executed: boolean; attempts?: number }) {
  box = sandbox({ 'off.yaml': BRUTE_FORCE_OFF, 'two.yaml': TWO_TASKS });
  const file = join(box.dir, 'vigil.db');
  h = harnessFor(box, {}, file);
  const caseId = await bruteForceCase(h);
  // Nothing drives runs from here on: the run is left as the process left it when it died.
  await h.services.runs.close();
  const run = await h.services.runs.runPlaybook(caseId, 'two-tasks', false, 'alice');
  const { step, action } = await dieMidStep(h, run.id, 0, state);
  await h.close();
  return { caseId, run, step, action, restarted: harnessFor(box, {}, file) };
}

describe('durable runs', () => {
  it('resumes a run killed mid-step after a restart, and completes it exactly once', async () => {
    const { caseId, run, step, action, restarted } = await diedMidFirstStep({ executed: false });
    h = restarted;
    expect(h.services.runs.get(run.id)?.status).toBe('RUNNING');
    expect(h.services.runs.start()).toBe(1);
    await h.services.runs.idle();
    expect(h.services.runs.get(run.id)).toMatchObject({ status: 'COMPLETED', error: null, finishedAt: T0 });
    const steps = h.services.runs.stepsOf(run.id);
    expect(steps.map((s) => [s.name, s.status, s.attempts])).toEqual([
      ['first', 'COMPLETED', 2],
      ['second', 'COMPLETED', 1],
    ]);
    // The interrupted action was executed once, not requested again.
    expect(h.services.actions.ofRun(run.id).filter((a) => a.stepId === step.id).map((a) => [a.id, a.status])).toEqual([[action.id, 'EXECUTED']]);
    expect(h.services.taskStore.tasksOf(caseId).map((t) => t.title)).toEqual(['Check web-01', 'Then the rest']);
  });

  it('marks a RUNNING step whose action already EXECUTED as COMPLETED at restart, without doing it again', async () => {
    const { caseId, run, step, restarted } = await diedMidFirstStep({ executed: true });
    h = restarted;
    h.services.runs.start();
    await h.services.runs.idle();
    expect(h.services.runs.get(run.id)?.status).toBe('COMPLETED');
    const first = h.services.runs.store.getStep(step.id)!;
    expect(first).toMatchObject({ status: 'COMPLETED', attempts: 1 });
    expect(JSON.parse(first.output!)).toMatchObject({ status: 'EXECUTED', resumed: true });
    expect(h.services.taskStore.tasksOf(caseId).map((t) => t.title)).toEqual(['Check web-01', 'Then the rest']);
  });

  it('stalls a step interrupted more often than its attempts allow, instead of repeating it forever', async () => {
    // Its third execution (1 attempt + 2 allowed after interruptions) was interrupted too.
    const { run, step, action, restarted } = await diedMidFirstStep({ executed: false, attempts: 3 });
    h = restarted;
    h.services.runs.start();
    await h.services.runs.idle();
    expect(h.services.runs.store.getStep(step.id)).toMatchObject({ status: 'STALLED', error: `interrupted 3 times while running (the process stopped mid-step); the outcome of action ${action.id} is unknown, so it is not executed again` });
    expect(h.services.runs.get(run.id)?.status).toBe('STALLED');
    expect(h.services.actions.get(action.id)?.status).toBe('PLANNED');
  });

  it('ends a step whose firewall hangs FAILED at the executor timeout; the run fails, later steps are skipped and people are told', async () => {
    const fw = await firewall(() => 'hang');
    box = sandbox({
      'off.yaml': BRUTE_FORCE_OFF,
      'hang.yaml': `name: hang
description: a block whose firewall never answers
enabled: false
trigger: {}
steps:
  - name: block
    action: BLOCK_IP
    params: { ip: 185.22.13.9, ttl: 1h }
    timeout: 100ms
  - name: after
    action: CREATE_TASK
    params: { title: never created }
`,
    });
    h = harnessFor(box, { VIGIL_EXECUTOR_FIREWALL_URL: fw.url, VIGIL_EXECUTOR_TIMEOUT_MS: '150' });
    const caseId = await bruteForceCase(h);
    const run = await h.services.runs.runPlaybook(caseId, 'hang', false, 'alice');
    await h.services.runs.idle();
    const reason = 'firewall executor did not answer within 150 ms';
    expect(h.services.runs.get(run.id)).toMatchObject({ status: 'FAILED', error: `step block FAILED: ${reason}` });
    expect(h.services.runs.stepsOf(run.id).map((s) => [s.name, s.status, s.error])).toEqual([
      ['block', 'FAILED', reason],
      ['after', 'SKIPPED', null],
    ]);
    expect(fw.requests).toHaveLength(1);
    expect(h.services.taskStore.tasksOf(caseId)).toEqual([]);
    expect(outbox(h, 'playbook.failed').map((n) => JSON.parse(n.payload))).toEqual([expect.objectContaining({ title: 'Playbook hang failed', text: `step block FAILED: ${reason}` })]);
  });

  it('ends a step whose execution never answers FAILED after the step timeout', async () => {
    box = sandbox({
      'off.yaml': BRUTE_FORCE_OFF,
      'hang.yaml': `name: hang
description: a simulated block whose execution never answers
enabled: false
trigger: {}
steps:
  - name: block
    action: BLOCK_IP
    params: { ip: 185.22.13.9 }
    timeout: 150ms
`,
    });
    h = harnessFor(box);
    const caseId = await bruteForceCase(h);
    h.services.actions.execute = () => new Promise(() => {});
    const run = await h.services.runs.runPlaybook(caseId, 'hang', false, 'alice');
    await h.services.runs.idle();
    expect(h.services.runs.get(run.id)).toMatchObject({ status: 'FAILED', error: 'step block FAILED: timed out after 150ms' });
  });

  it('waits out a real executor slower than the step timeout: one call, one action, the step COMPLETED', async () => {
    // The firewall answers after 400ms; the step says 100ms, but the executor's own timeout (10s) decides.
    const requests: Array<{ idempotencyKey: string }> = [];
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        requests.push(JSON.parse(body));
        setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), 400);
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    box = sandbox({
      'off.yaml': BRUTE_FORCE_OFF,
      'slow.yaml': `name: slow
description: a block through a slow firewall
enabled: false
trigger: {}
steps:
  - name: block
    action: BLOCK_IP
    params: { ip: 185.22.13.9 }
    timeout: 100ms
    retries: { count: 1, backoff: 10ms }
`,
    });
    h = harnessFor(box, { VIGIL_EXECUTOR_FIREWALL_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/block` });
    const caseId = await bruteForceCase(h);
    const run = await h.services.runs.runPlaybook(caseId, 'slow', false, 'alice');
    await h.services.runs.idle();
    const actions = h.services.actions.ofRun(run.id);
    expect(actions.map((a) => a.status)).toEqual(['EXECUTED']);
    expect(requests.map((r) => r.idempotencyKey)).toEqual([actions[0]!.id]);
    expect(h.services.runs.stepsOf(run.id)).toEqual([expect.objectContaining({ status: 'COMPLETED', attempts: 1, error: null })]);
    expect(h.services.runs.get(run.id)).toMatchObject({ status: 'COMPLETED', error: null });
    expect(outbox(h, 'playbook.failed')).toEqual([]);
  });

  it('retries a timed-out attempt whose action is still ready with that same action, never a second one', async () => {
    const fw = await firewall(() => 200);
    box = sandbox({
      'off.yaml': BRUTE_FORCE_OFF,
      'retry.yaml': `name: retry
description: a block retried after a timeout
enabled: false
trigger: {}
steps:
  - name: block
    action: BLOCK_IP
    params: { ip: 185.22.13.9 }
    retries: { count: 2, backoff: 10ms }
`,
    });
    const file = join(box.dir, 'vigil.db');
    h = harnessFor(box, { VIGIL_EXECUTOR_FIREWALL_URL: fw.url }, file);
    const caseId = await bruteForceCase(h);
    await h.services.runs.close();
    const run = await h.services.runs.runPlaybook(caseId, 'retry', false, 'alice');
    // Attempt 1 requested its action and timed out before the executor answered; the process stopped before the retry.
    const { step, action } = await dieMidStep(h, run.id, 0, { executed: false });
    h.services.runs.store.updateStep(step.id, { status: 'PENDING', error: 'attempt 1 of 3 failed: timed out after 60s', deadlineAt: null, retryAt: T0 });
    await h.close();

    h = harnessFor(box, { VIGIL_EXECUTOR_FIREWALL_URL: fw.url }, file);
    h.services.runs.start();
    await h.services.runs.idle();
    expect(h.services.runs.store.getStep(step.id)).toMatchObject({ status: 'COMPLETED', attempts: 2, error: null });
    expect(h.services.actions.ofRun(run.id).map((a) => [a.id, a.status])).toEqual([[action.id, 'EXECUTED']]);
    expect(fw.requests.map((r) => JSON.parse(r).idempotencyKey)).toEqual([action.id]);
  });

  it('retries a failing step with exponential backoff, one new action per attempt, until it succeeds', async () => {
    const fw = await firewall((n) => (n <= 2 ? 503 : 200));
    box = sandbox({
      'off.yaml': BRUTE_FORCE_OFF,
      'retry.yaml': `name: retry
description: a block whose firewall fails twice
enabled: false
trigger: {}
steps:
  - name: block
    action: BLOCK_IP
    params: { ip: 185.22.13.9 }
    retries: { count: 3, backoff: 20ms }
`,
    });
    h = harnessFor(box, { VIGIL_EXECUTOR_FIREWALL_URL: fw.url });
    const caseId = await bruteForceCase(h);
    const events: RunEvent[] = [];
    const live = h.services.runs.runEvents.subscribe('*');
    void (async () => {
      for await (const e of live) events.push(e);
    })();
    const run = await h.services.runs.runPlaybook(caseId, 'retry', false, 'alice');
    await h.services.runs.idle();
    await live.return();
    expect(h.services.runs.get(run.id)?.status).toBe('COMPLETED');
    const [step] = h.services.runs.stepsOf(run.id);
    expect(step).toMatchObject({ status: 'COMPLETED', attempts: 3, error: null });
    // Waits of 20ms, then 40ms (the fixed clock stands at T0).
    const retries = events.filter((e) => e.step?.status === 'PENDING' && e.step.retryAt !== null).map((e) => [e.step!.retryAt, e.step!.error]);
    expect(retries).toEqual([
      [T0 + 20, expect.stringMatching(/^attempt 1 of 4 failed: .*HTTP 503/)],
      [T0 + 40, expect.stringMatching(/^attempt 2 of 4 failed: .*HTTP 503/)],
    ]);
    expect(h.services.actions.ofRun(run.id).map((a) => a.status)).toEqual(['FAILED', 'FAILED', 'EXECUTED']);
    expect(fw.requests).toHaveLength(3);
  });
});

describe('onError', () => {
  const ERRORS = `name: errors
description: every way a step can go wrong
enabled: false
trigger: {}
steps:
  - name: bad-params
    action: BLOCK_IP
    params: { ip: not-an-ip }
    retries: { count: 2, backoff: 10ms }
    onError: handle
  - name: jumped-over
    action: CREATE_TASK
    params: { title: jumped over }
  - name: handle
    action: CREATE_TASK
    onlyOnError: true
    params: { title: 'Handle the failure on {{ case.host }}' }
  - name: refused
    action: BLOCK_IP
    params: { ip: 10.0.0.5 }
    onError: continue
  - name: last
    action: ADD_TAG
    params: { tag: handled }
`;
  const FAILING = `name: failing
description: stops at the first error
enabled: false
trigger: {}
steps:
  - name: no-handler-needed
    action: CREATE_TASK
    onlyOnError: true
    params: { title: not needed }
  - name: refused
    action: BLOCK_IP
    params: { ip: 127.0.0.1 }
  - name: never
    action: CREATE_TASK
    params: { title: never }
`;

  it('jumps to a handler, continues past a refusal, and skips onlyOnError steps when nothing failed', async () => {
    box = sandbox({ 'off.yaml': BRUTE_FORCE_OFF, 'errors.yaml': ERRORS, 'failing.yaml': FAILING });
    h = harnessFor(box);
    const caseId = await bruteForceCase(h);
    const run = await h.services.runs.runPlaybook(caseId, 'errors', false, 'alice');
    await h.services.runs.idle();
    const steps = h.services.runs.stepsOf(run.id);
    expect(steps.map((s) => [s.name, s.status, s.attempts])).toEqual([
      ['bad-params', 'FAILED', 1],
      ['jumped-over', 'SKIPPED', 0],
      ['handle', 'COMPLETED', 1],
      ['refused', 'REFUSED', 1],
      ['last', 'COMPLETED', 1],
    ]);
    // A bad parameter is not retried: it would fail the same way.
    expect(steps[0]!.error).toMatch(/^BLOCK_IP: ip "not-an-ip" is not an IPv4 or IPv6 address/);
    expect(JSON.parse(steps[1]!.output!)).toEqual({ skipped: 'onError of bad-params jumped to handle' });
    expect(steps[3]!.error).toMatch(/10\.0\.0\.5 is in a private range/);
    expect(h.services.runs.get(run.id)).toMatchObject({ status: 'COMPLETED', error: 'completed; bad-params FAILED, refused REFUSED (onError went on)' });
    expect(h.services.taskStore.tasksOf(caseId).map((t) => t.title)).toEqual(['Handle the failure on web-01']);

    const failing = await h.services.runs.runPlaybook(caseId, 'failing', false, 'alice');
    await h.services.runs.idle();
    expect(h.services.runs.stepsOf(failing.id).map((s) => [s.name, s.status])).toEqual([
      ['no-handler-needed', 'SKIPPED'],
      ['refused', 'REFUSED'],
      ['never', 'SKIPPED'],
    ]);
    expect(h.services.runs.get(failing.id)).toMatchObject({ status: 'FAILED', error: expect.stringMatching(/^step refused REFUSED: .*127\.0\.0\.1/) });
  });
});

describe('the sweep', () => {
  it('marks a RUNNING step past its deadline that nobody executes STALLED, does not retry it, and stops the run', async () => {
    box = sandbox({ 'off.yaml': BRUTE_FORCE_OFF, 'two.yaml': TWO_TASKS });
    h = harnessFor(box);
    const caseId = await bruteForceCase(h);
    await h.services.runs.close();
    const run = await h.services.runs.runPlaybook(caseId, 'two-tasks', false, 'alice');
    const { step, action } = await dieMidStep(h, run.id, 0, { executed: false, deadlineAt: T0 + 1000 });
    expect(h.services.runs.sweep()).toMatchObject({ stalled: 0 });
    h.clock.advance(1001);
    expect(h.services.runs.sweep()).toMatchObject({ stalled: 1 });
    expect(h.services.runs.store.getStep(step.id)).toMatchObject({ status: 'STALLED', error: expect.stringMatching(/^no outcome by its deadline 2026-11-23T04:00:01\.000Z \(attempt 1\): .* unknown; it is not retried$/) });
    expect(h.services.runs.get(run.id)).toMatchObject({ status: 'STALLED', error: expect.stringMatching(/^step first STALLED: /) });
    expect(h.services.actions.get(action.id)?.status).toBe('PLANNED');
    expect(h.services.taskStore.tasksOf(caseId)).toEqual([]);
    expect(outbox(h, 'playbook.failed').map((n) => JSON.parse(n.payload).title)).toEqual(['Playbook two-tasks stalled']);
  });
});

describe('unexpected errors', () => {
  const REF = /^internal error \(see server log, ref ([0-9a-f]{12})\)$/;

  /** The refs logged with the unexpected errors, and the secret they carried, if it reached the log. */
  function logged(hh: Harness) {
    const error = vi.spyOn(hh.services.logger, 'error');
    return () => error.mock.calls.map(([fields]) => fields as { ref?: string; err?: Error });
  }

  it('records a generic message with a reference when requesting or executing an action throws, and logs the detail', async () => {
    box = sandbox({ 'off.yaml': BRUTE_FORCE_OFF, 'two.yaml': TWO_TASKS });
    h = harnessFor(box);
    const caseId = await bruteForceCase(h);
    const logs = logged(h);
    const request = h.services.actions.request;
    h.services.actions.request = () => {
      throw new TypeError("Cannot read properties of undefined (reading 'secret_column')");
    };
    const requesting = await h.services.runs.runPlaybook(caseId, 'two-tasks', false, 'alice');
    await h.services.runs.idle();
    const [first] = h.services.runs.stepsOf(requesting.id);
    expect(first!.error).toMatch(REF);
    expect(h.services.runs.get(requesting.id)?.error).toBe(`step first FAILED: ${first!.error}`);

    h.services.actions.request = request;
    h.services.actions.execute = () => Promise.reject(new Error('SQLITE_IOERR: disk I/O error in /var/lib/vigil/secret.db'));
    const executing = await h.services.runs.runPlaybook(caseId, 'two-tasks', false, 'alice');
    await h.services.runs.idle();
    const [step] = h.services.runs.stepsOf(executing.id);
    expect(step!.error).toMatch(REF);

    const texts = [first!.error, step!.error, ...outbox(h, 'playbook.failed').map((n) => n.payload)].join('\n');
    expect(texts).not.toMatch(/secret|SQLITE|TypeError/);
    const refs = [first!.error, step!.error].map((e) => REF.exec(e!)![1]);
    expect(logs().filter((l) => l.ref).map((l) => [l.ref, l.err?.message])).toEqual([
      [refs[0], "Cannot read properties of undefined (reading 'secret_column')"],
      [refs[1], 'SQLITE_IOERR: disk I/O error in /var/lib/vigil/secret.db'],
    ]);
  });

  it('fails a run whose deciding throws with a generic message and a reference', async () => {
    box = sandbox({ 'off.yaml': BRUTE_FORCE_OFF, 'two.yaml': TWO_TASKS });
    h = harnessFor(box);
    const caseId = await bruteForceCase(h);
    const logs = logged(h);
    h.services.runs.store.stepsOf = () => {
      throw new Error('SQLITE_CORRUPT: database disk image is malformed (secret)');
    };
    const run = await h.services.runs.runPlaybook(caseId, 'two-tasks', false, 'alice');
    await h.services.runs.idle();
    const stored = h.services.runs.get(run.id)!;
    expect(stored).toMatchObject({ status: 'FAILED', error: expect.stringMatching(REF) });
    expect(logs().find((l) => l.ref)).toMatchObject({ ref: REF.exec(stored.error!)![1], err: { message: 'SQLITE_CORRUPT: database disk image is malformed (secret)' } });
    expect(outbox(h, 'playbook.failed').map((n) => n.payload).join()).not.toMatch(/secret|SQLITE/);
  });

  it('keeps the message of an expected error (bad parameters)', async () => {
    box = sandbox({
      'off.yaml': BRUTE_FORCE_OFF,
      'bad.yaml': `name: bad
description: a bad address
enabled: false
trigger: {}
steps:
  - { name: block, action: BLOCK_IP, params: { ip: not-an-ip } }
`,
    });
    h = harnessFor(box);
    const caseId = await bruteForceCase(h);
    const run = await h.services.runs.runPlaybook(caseId, 'bad', false, 'alice');
    await h.services.runs.idle();
    expect(h.services.runs.stepsOf(run.id)[0]!.error).toMatch(/^BLOCK_IP: ip "not-an-ip" is not an IPv4 or IPv6 address/);
  });
});
