import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { defaultRouting, loadNotifyFile, NotifyConfigError } from '../../../src/engine/notify/config.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-notify-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(text: string, ext = 'yaml'): string {
  const path = join(dir, `notify-${n++}.${ext}`);
  writeFileSync(path, text);
  return path;
}
function problem(text: string, env: Record<string, string> = {}): string {
  const path = file(text);
  try {
    loadNotifyFile(path, env);
  } catch (error) {
    expect(error).toBeInstanceOf(NotifyConfigError);
    return (error as Error).message.replaceAll(path, 'FILE');
  }
  throw new Error('expected a NotifyConfigError');
}

const GOOD = `
channels:
  - name: outbox
    type: file
    directory: ./data/outbox
  - name: soc-hook
    type: webhook
    url: https://hooks.example.test/vigil
    secret: { env: HOOK_SECRET }
  - name: mail
    type: email
    host: smtp.example.test
    from: vigil@example.test
    to: [soc@example.test]
    password: { env: SMTP_PASSWORD }
    user: vigil
routes:
  - channels: [outbox]
  - events: ['case.*', action.executed]
    minSeverity: HIGH
    channels: [soc-hook, mail]
`;

describe('notification configuration', () => {
  it('defaults to one file channel that takes every event', () => {
    expect(defaultRouting('./data/outbox')).toEqual({
      source: 'default',
      channels: [{ type: 'file', name: 'outbox', directory: './data/outbox' }],
      routes: [{ events: ['*'], minSeverity: null, channels: ['outbox'] }],
    });
    expect(loadConfig({}).notify.routing.channels).toEqual([{ type: 'file', name: 'outbox', directory: './data/outbox' }]);
    expect(loadConfig({ VIGIL_OUTBOX_DIR: '/var/lib/vigil/outbox' }).notify.routing.channels[0]).toMatchObject({ directory: '/var/lib/vigil/outbox' });
  });

  it('loads channels and routes from YAML (or JSON) with secrets taken from the environment and defaults filled in', () => {
    const routing = loadNotifyFile(file(GOOD), { HOOK_SECRET: 'a-long-enough-secret-value', SMTP_PASSWORD: 'pw' });
    expect(routing.channels).toEqual([
      { type: 'file', name: 'outbox', directory: './data/outbox' },
      { type: 'webhook', name: 'soc-hook', url: 'https://hooks.example.test/vigil', secret: 'a-long-enough-secret-value' },
      { type: 'email', name: 'mail', host: 'smtp.example.test', port: 587, security: 'starttls', user: 'vigil', password: 'pw', from: 'vigil@example.test', to: ['soc@example.test'], rejectUnauthorized: true },
    ]);
    expect(routing.routes).toEqual([
      { events: ['*'], minSeverity: null, channels: ['outbox'] },
      { events: ['case.*', 'action.executed'], minSeverity: 'HIGH', channels: ['soc-hook', 'mail'] },
    ]);
    const json = loadNotifyFile(file(JSON.stringify({ channels: [{ type: 'telegram', name: 'tg', botToken: '123456:abcdefghij', chatId: 42 }], routes: [{ channels: ['tg'] }] }), 'json'), {});
    expect(json.channels[0]).toEqual({ type: 'telegram', name: 'tg', baseUrl: 'https://api.telegram.org', botToken: '123456:abcdefghij', chatId: '42' });
  });

  it('names the file, line, key and problem of every mistake', () => {
    expect(problem(GOOD, { SMTP_PASSWORD: 'pw' })).toBe('invalid notification configuration (VIGIL_NOTIFY_FILE):\n  FILE:9: channels[1].secret: environment variable HOOK_SECRET is not set');
    expect(problem(`channels:\n  - name: x\n    type: pager\nroutes: []\n`)).toMatch(/FILE:3: channels\[0\]\.type: /);
    expect(problem(`channels:\n  - name: s\n    type: slack\n    url: javascript:alert(1)\nroutes: []\n`)).toContain('FILE:4: channels[0].url: must be an http(s) URL without user:password');
    expect(problem(`channels:\n  - name: s\n    type: slack\n    url: https://x.test\n    ur1: typo\nroutes: []\n`)).toMatch(/FILE:5: channels\[0\]\.ur1: Unrecognized key/);
    expect(problem(`channels:\n  - name: w\n    type: webhook\n    url: https://x.test\n    secret: short\nroutes: []\n`)).toContain('FILE:5: channels[0].secret: the signing secret needs at least 16 characters');
    expect(problem(`channels:\n  - { name: a, type: file, directory: /tmp/a }\n  - { name: a, type: file, directory: /tmp/b }\nroutes:\n  - channels: [a, b]\n    minSeverity: SEVERE\n`)).toContain('FILE:6: routes[0].minSeverity: ');
    expect(problem(`channels:\n  - { name: a, type: file, directory: /tmp/a }\n  - { name: a, type: file, directory: /tmp/b }\nroutes:\n  - channels: [a, b]\n`)).toBe(
      'invalid notification configuration (VIGIL_NOTIFY_FILE):\n  FILE:3: channels[1].name: a is used by an earlier channel\n  FILE:5: routes[0].channels[1]: no channel is named b',
    );
    expect(problem(`channels: []\nroutes:\n  - events: ['case.(a+)+']\n    channels: [x]\n`)).toMatch(/FILE:3: routes\[0\]\.events\[0\]: an event name/);
    expect(problem(`channels: [\n`)).toMatch(/^invalid notification configuration \(VIGIL_NOTIFY_FILE\):\n {2}FILE:\d+: YAML: /);
    expect(problem(`routes: []\n`)).toMatch(/FILE:1: channels: /);
  });

  it('stops the start with a ConfigError when the file is bad or missing', () => {
    expect(() => loadConfig({ VIGIL_NOTIFY_FILE: join(dir, 'missing.yaml') })).toThrow(ConfigError);
    expect(() => loadConfig({ VIGIL_NOTIFY_FILE: join(dir, 'missing.yaml') })).toThrow(/missing\.yaml: cannot read file/);
    expect(() => loadConfig({ VIGIL_NOTIFY_JITTER: '2' })).toThrow(/VIGIL_NOTIFY_JITTER/);
  });
});
