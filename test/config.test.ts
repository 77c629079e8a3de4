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
    try {
      loadConfig({ PORT: 'eighty', VIGIL_ADMIN_TOKEN: 'short' });
    } catch (error) {
      expect((error as Error).message).toMatch(/PORT: .*; VIGIL_ADMIN_TOKEN: VIGIL_ADMIN_TOKEN must be at least 16 characters/);
    }
  });
});
