import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { conditionMisses } from '../../../src/engine/respond/playbooks/conditions.js';
import { hashOf, loadPlaybooks } from '../../../src/engine/respond/playbooks/loader.js';
import { parsePlaybook } from '../../../src/engine/respond/playbooks/parse.js';
import { planSteps, selectIocs } from '../../../src/engine/respond/playbooks/plan.js';
import { parseDuration } from '../../../src/engine/respond/playbooks/schema.js';
import { parseTemplate, render } from '../../../src/engine/respond/playbooks/template.js';
import type { RunContext } from '../../../src/engine/respond/runs/context.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-playbooks-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const MINIMAL = `name: tiny
description: one task
trigger:
  when: { minSeverity: HIGH }
steps:
  - name: task
    action: CREATE_TASK
    params: { title: 'Look at {{ case.host }}' }
`;

function context(overrides: Partial<RunContext> = {}): RunContext {
  return {
    case: { id: 'cas_1', number: 7, title: 'Brute Force on web-01', status: 'NEW', severity: 'HIGH', score: 55, category: 'BRUTE_FORCE', tags: ['vip'], assignee: null, host: 'web-01', user: 'root', sourceIp: '185.22.13.9' },
    alert: null,
    iocs: [
      { type: 'IPV4', value: '185.22.13.9', role: 'SOURCE', isIoc: true },
      { type: 'IPV4', value: '10.0.0.5', role: 'SOURCE', isIoc: false },
      { type: 'IPV4', value: '185.22.13.9', role: 'RELATED', isIoc: true },
      { type: 'HOSTNAME', value: 'web-01', role: 'HOST', isIoc: false },
      { type: 'USERNAME', value: 'root', role: 'USER', isIoc: false },
    ],
    trigger: 'CASE_OPENED',
    playbook: { name: 'p', version: 'h' },
    ...overrides,
  };
}

describe('shipped playbooks', () => {
  it('load without errors, one per category, versioned by the SHA-256 of their text', () => {
    const load = loadPlaybooks({});
    expect(load.errors).toEqual([]);
    expect(load.playbooks.map((p) => p.name)).toEqual(['beaconing', 'brute-force', 'malware', 'phishing', 'privilege-misuse', 'suspicious-access']);
    for (const p of load.playbooks) {
      expect(p.hash).toBe(hashOf(p.source));
      expect(p.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(p.originLabel).toBe(`shipped:${p.name}.yaml`);
    }
    const malware = load.playbooks.find((p) => p.name === 'malware')!;
    expect(malware.steps[0]).toMatchObject({ action: 'ISOLATE_HOST', approval: { role: 'RESPONDER', count: 1, expires: 30 * 60_000, default: 'REJECT' } });
    const brute = load.playbooks.find((p) => p.name === 'brute-force')!;
    expect(brute.steps[0]).toMatchObject({ action: 'BLOCK_IP', timeout: 30_000, retries: { count: 2, backoff: 2000 }, onError: 'continue', params: { ttl: '24h' } });
  });
});

describe('playbook validation', () => {
  it('reports file, line and problem, skips the bad file and keeps the good ones', () => {
    const bad = `name: broken
description: has problems
trigger:
  on: [CASE_OPENED]
steps:
  - name: first
    action: BLOCK_IP
    params: { ip: '{{ ioc.value }}' }
    timeout: 30 seconds
  - name: second
    action: LAUNCH_MISSILES
  - name: third
    action: NOTIFY
    retires: 3
`;
    const dir = dirWith({ 'bad.yaml': bad, 'good.yaml': MINIMAL, 'notes.txt': 'not a playbook' });
    const load = loadPlaybooks({ shippedDir: dir });
    expect(load.playbooks.map((p) => p.name)).toEqual(['tiny']);
    const file = join(dir, 'bad.yaml');
    expect(load.errors).toEqual(
      expect.arrayContaining([
        { file, playbook: 'broken', line: 9, message: expect.stringMatching(/^steps\[0\]\.timeout: "30 seconds" is not a duration/) },
        { file, playbook: 'broken', line: 11, message: expect.stringMatching(/^steps\[1\]\.action: Invalid option/) },
        { file, playbook: 'broken', line: 14, message: expect.stringMatching(/^steps\[2\]\.retires: Unrecognized key/) },
      ]),
    );
  });

  it('checks templates, jumps and names after the shape', () => {
    const text = `name: jumps
description: x
trigger: {}
steps:
  - name: a
    action: CREATE_TASK
    params: { title: '{{ ioc.value }} and {{ secrets.key }}' }
    onError: nowhere
  - name: a
    action: ADD_TAG
    params: { tag: '{{ case.number' }
`;
    const { spec, errors } = parsePlaybook(text, 'jumps.yaml');
    expect(spec).toBeUndefined();
    expect(errors.map((e) => [e.line, e.message])).toEqual([
      [9, 'steps[1].name: duplicate step name "a"'],
      [8, 'steps[0].onError: onError must be fail, continue or the name of a later step; there is no step "nowhere"'],
      [7, 'steps[0].params: "{{ secrets.key }}": unknown variable "secrets"; use one of case, alert, ioc, iocs, playbook, run, trigger'],
      [11, 'steps[1].params: unclosed "{{" at character 1'],
    ]);
    const backwards = parsePlaybook(`name: back\ndescription: x\ntrigger: {}\nsteps:\n  - { name: a, action: NOTIFY }\n  - { name: b, action: NOTIFY, onError: a }\n`, 'back.yaml');
    expect(backwards.errors[0]).toMatchObject({ line: 6, message: 'steps[1].onError: onError may only jump forward: "a" is not after "b"' });
    const ioc = parsePlaybook(`name: ioc\ndescription: x\ntrigger: {}\nsteps:\n  - name: a\n    action: BLOCK_IP\n    params: { ip: '{{ ioc.value }}' }\n`, 'ioc.yaml');
    expect(ioc.errors[0]?.message).toBe('steps[0].params: {{ ioc.* }} is only defined in a step with forEach: iocs');
  });

  it('reports YAML syntax errors with their line and never throws on odd content', () => {
    const dir = dirWith({ 'syntax.yaml': 'name: x\nsteps: [\n', 'list.yaml': '- a\n- b\n', 'empty.yml': '' });
    const load = loadPlaybooks({ shippedDir: dir });
    expect(load.playbooks).toEqual([]);
    expect(load.errors.find((e) => e.file.endsWith('syntax.yaml'))).toMatchObject({ line: expect.any(Number), message: expect.stringMatching(/^YAML: /) });
    expect(load.errors.find((e) => e.file.endsWith('list.yaml'))?.message).toMatch(/a playbook is a mapping/);
    expect(load.errors.find((e) => e.file.endsWith('empty.yml'))?.message).toMatch(/a playbook is a mapping/);
  });

  it('lets a user file replace a shipped playbook by name, and a missing user directory is no error', () => {
    const shipped = dirWith({ 'tiny.yaml': MINIMAL });
    const user = dirWith({ 'mine.yaml': MINIMAL.replace('one task', 'my version').replace('HIGH', 'CRITICAL') });
    const load = loadPlaybooks({ shippedDir: shipped, userDir: user });
    expect(load.errors).toEqual([]);
    expect(load.playbooks).toHaveLength(1);
    expect(load.playbooks[0]).toMatchObject({ name: 'tiny', description: 'my version', origin: 'USER', originLabel: 'user:mine.yaml', trigger: { when: { minSeverity: 'CRITICAL' } } });
    expect(load.overrides).toEqual([{ name: 'tiny', file: join(user, 'mine.yaml') }]);
    expect(loadPlaybooks({ shippedDir: shipped, userDir: join(user, 'absent') }).errors).toEqual([]);
  });

  it('applies defaults: trigger on CASE_OPENED, timeout 60s, no retries, onError fail', () => {
    const { spec } = parsePlaybook(MINIMAL, 'tiny.yaml');
    expect(spec).toMatchObject({ enabled: true, trigger: { on: ['CASE_OPENED'] }, steps: [{ timeout: 60_000, retries: { count: 0, backoff: 2000 }, onError: 'fail', onlyOnError: false }] });
    expect([parseDuration('500ms'), parseDuration('2s'), parseDuration('30m'), parseDuration('24h'), parseDuration('7d'), parseDuration('2 s')]).toEqual([500, 2000, 1_800_000, 86_400_000, 604_800_000, undefined]);
  });
});

describe('templates', () => {
  it('only look paths up: a lone lookup keeps its type, lookups in text become text, missing ones are empty', () => {
    const ctx = { case: { number: 7, host: 'web-01', tags: ['a', 'b'] }, ioc: { value: '185.22.13.9' } };
    expect(render({ ip: '{{ ioc.value }}', n: '{{case.number}}', title: 'Case #{{ case.number }} on {{ case.host }}', tags: '{{ case.tags }}', list: ['{{ case.tags }} x'], missing: '{{ case.nothing }}', text: 'x{{ case.nothing }}y', keep: 3 }, ctx)).toEqual({
      ip: '185.22.13.9',
      n: 7,
      title: 'Case #7 on web-01',
      tags: ['a', 'b'],
      list: ['a, b x'],
      missing: null,
      text: 'xy',
      keep: 3,
    });
  });

  it('refuse anything but a dotted path, so alert text can never be evaluated', () => {
    expect(() => parseTemplate('{{ case.number + 1 }}')).toThrow(/is not a path/);
    expect(() => parseTemplate('{{ constructor.constructor("x")() }}')).toThrow(/is not a path/);
    expect(() => parseTemplate('{{ process.env }}')).toThrow(/unknown variable "process"/);
    // Values are copied, never re-parsed: a looked-up value holding braces stays literal text.
    expect(render('{{ alert.message }}!', { alert: { message: '{{ case.secret }}' } })).toBe('{{ case.secret }}!');
    // Inherited properties are not reachable.
    expect(render('{{ case.toString }}', { case: {} })).toBeNull();
  });
});

describe('conditions', () => {
  const subject = { severity: 'HIGH', category: 'BRUTE_FORCE', score: 55, tags: ['VIP'], iocTypes: ['IPV4', 'USERNAME'] };
  it('hold when every given key holds; lists mean any of', () => {
    expect(conditionMisses({ minSeverity: 'HIGH', categories: ['BRUTE_FORCE', 'MALWARE'], minScore: 50, tags: ['vip'], iocTypes: ['IPV4'] }, subject)).toBeUndefined();
    expect(conditionMisses(undefined, subject)).toBeUndefined();
    expect(conditionMisses({ minSeverity: 'CRITICAL' }, subject)).toBe('severity HIGH is below CRITICAL');
    expect(conditionMisses({ categories: ['MALWARE'] }, subject)).toBe('category BRUTE_FORCE is not one of MALWARE');
    expect(conditionMisses({ minScore: 60 }, subject)).toBe('score 55 is below 60');
    expect(conditionMisses({ tags: ['prod'] }, subject)).toBe('no tag of prod');
    expect(conditionMisses({ iocTypes: ['SHA256'] }, subject)).toBe('no IOC of type SHA256');
    expect(conditionMisses({ minSeverity: 'LOW' }, { ...subject, severity: null })).toBe('severity none is below LOW');
  });
});

describe('planning', () => {
  const spec = parsePlaybook(
    `name: plan
description: x
trigger: {}
steps:
  - name: block
    action: BLOCK_IP
    forEach: { iocs: { types: [IPV4], roles: [SOURCE, RELATED], onlyIndicators: true } }
    params: { ip: '{{ ioc.value }}', ttl: 24h }
  - name: all-iocs
    action: ADD_TAG
    forEach: iocs
    params: { tag: '{{ ioc.type }}' }
  - name: critical-only
    action: ESCALATE
    when: { minSeverity: CRITICAL }
    params: { reason: 'case {{ case.number }}' }
  - name: hashes
    action: NOTIFY
    forEach: { iocs: { types: [SHA256] } }
    params: { title: '{{ ioc.value }}', text: x }
  - name: task
    action: CREATE_TASK
    params: { title: 'Review {{ case.host }} (run {{ run.id }})' }
`,
    'plan.yaml',
  ).spec!;

  it('expands loops per distinct IOC value, decides conditions and templates parameters', () => {
    const steps = planSteps(spec, context(), 'run_1');
    expect(steps.map((s) => [s.name, s.skipped, s.params])).toEqual([
      ['block[185.22.13.9]', null, { ip: '185.22.13.9', ttl: '24h' }],
      ['all-iocs[185.22.13.9]', null, { tag: 'IPV4' }],
      ['all-iocs[10.0.0.5]', null, { tag: 'IPV4' }],
      ['all-iocs[web-01]', null, { tag: 'HOSTNAME' }],
      ['all-iocs[root]', null, { tag: 'USERNAME' }],
      ['critical-only', 'when: severity HIGH is below CRITICAL', { reason: 'case {{ case.number }}' }],
      ['hashes', 'forEach: no IOC of the case matches', { title: '{{ ioc.value }}', text: 'x' }],
      ['task', null, { title: 'Review web-01 (run run_1)' }],
    ]);
  });

  it('caps a loop at 25 items and reports the rest as a skipped step', () => {
    const iocs = Array.from({ length: 30 }, (_, i) => ({ type: 'IPV4', value: `203.0.113.${i}`, role: 'SOURCE', isIoc: true }));
    const steps = planSteps(spec, context({ iocs }), 'run_1').filter((s) => s.name.startsWith('block'));
    expect(steps).toHaveLength(26);
    expect(steps[25]).toMatchObject({ name: 'block[+5]', skipped: expect.stringMatching(/^forEach: at most 25 items per step; 5 more not acted on: 203\.0\.113\.25, /) });
    expect(selectIocs(context().iocs, { onlyIndicators: false, roles: ['HOST'] })).toEqual([{ type: 'HOSTNAME', value: 'web-01', role: 'HOST', isIoc: false }]);
  });
});
