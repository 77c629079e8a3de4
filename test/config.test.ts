import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('has documented defaults: loopback, port 4000, ./data/vigil.db', () => {
    expect(loadConfig({})).toMatchObject({ port: 4000, host: '127.0.0.1', dbPath: './data/vigil.db', adminToken: undefined, maxBatch: 1000 });
  });

  it('reads and coerces variables, treating empty as unset', () => {
    expect(loadConfig({ PORT: '8080', VIGIL_MAX_BATCH: '50', HOST: '' })).toMatchObject({ port: 8080, maxBatch: 50, host: '127.0.0.1' });
  });

  it('names every bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', VIGIL_ADMIN_TOKEN: 'short', LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty', VIGIL_ADMIN_TOKEN: 'short' })).toThrow(/PORT: .*; VIGIL_ADMIN_TOKEN: VIGIL_ADMIN_TOKEN must be at least 16 characters/);
  });

  it('reads the case, playbook and action settings, and refuses bad ones by name', () => {
    const c = loadConfig({ VIGIL_CASE_WINDOW_MS: '3600000', VIGIL_CASE_IOC_MAX_HOSTS: '9', VIGIL_PLAYBOOK_TRIGGERS: 'off' });
    expect(c.correlation).toEqual({ windowMs: 3_600_000, openScore: 40, joinThreshold: 0.5, maxSpread: 9, stormThreshold: 3, stormWindowMs: 600_000 });
    expect(c.playbooks.triggers).toBe(false);
    const refused: Record<string, RegExp> = {
      VIGIL_CASE_JOIN_THRESHOLD: /VIGIL_CASE_JOIN_THRESHOLD: .*expected number/,
      VIGIL_CASE_OPEN_SCORE: /VIGIL_CASE_OPEN_SCORE: .*<=101/,
      VIGIL_CASE_STORM_WINDOW_MS: /VIGIL_CASE_STORM_WINDOW_MS: .*>=1000/,
      VIGIL_PLAYBOOK_TRIGGERS: /VIGIL_PLAYBOOK_TRIGGERS: .*"on"\|"off"/,
      VIGIL_MAX_ACTIONS_PER_RUN: /VIGIL_MAX_ACTIONS_PER_RUN: .*>=1/,
      VIGIL_NOTIFY_MAX_ATTEMPTS: /VIGIL_NOTIFY_MAX_ATTEMPTS: .*>=1/,
      VIGIL_EXECUTOR_FIREWALL_URL: /VIGIL_EXECUTOR_FIREWALL_URL: must be an http:\/\/ or https:\/\/ URL/,
    };
    const values: Record<string, string> = { VIGIL_CASE_JOIN_THRESHOLD: 'abc', VIGIL_CASE_OPEN_SCORE: '500', VIGIL_CASE_STORM_WINDOW_MS: '5', VIGIL_PLAYBOOK_TRIGGERS: 'maybe', VIGIL_MAX_ACTIONS_PER_RUN: '-1', VIGIL_NOTIFY_MAX_ATTEMPTS: '0', VIGIL_EXECUTOR_FIREWALL_URL: 'ftp://fw.example' };
    for (const [name, pattern] of Object.entries(refused)) expect(() => loadConfig({ [name]: values[name] })).toThrow(pattern);
  });
});
