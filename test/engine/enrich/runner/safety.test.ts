import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../../../db/client.js';
import { createEnrichmentRunner } from '../../../../src/engine/enrich/runner/index.js';
import type { EnrichmentTarget } from '../../../../src/engine/enrich/types.js';
import { fakeProvider, ipTarget, openDb, T0 } from './helpers.js';

let handle: DatabaseHandle;
afterEach(() => handle?.close());

function setup(allowAmber = false) {
  handle = openDb();
  const external = fakeProvider('ext');
  const local = fakeProvider('local', undefined, { external: false });
  const runner = createEnrichmentRunner({
    sqlite: handle.sqlite,
    providers: [external, local],
    clock: () => T0,
    settings: { providers: { ext: { allowAmber } } },
  });
  return { external, local, runner };
}

const flags = (range: string, p: Partial<{ private: boolean; loopback: boolean; reserved: boolean }>) => ({
  private: false,
  loopback: false,
  reserved: false,
  range,
  ...p,
});

describe('what an external provider may see', () => {
  const refused: Array<[string, EnrichmentTarget, RegExp]> = [
    ['a private address', { type: 'IPV4', value: '10.1.2.3', tlp: 'CLEAR', ip: flags('private', { private: true }) }, /private address/],
    ['a loopback address', { type: 'IPV4', value: '127.0.0.1', tlp: 'CLEAR', ip: flags('loopback', { loopback: true }) }, /loopback/],
    ['a reserved address', { type: 'IPV4', value: '192.0.2.7', tlp: 'CLEAR', ip: flags('reserved', { reserved: true }) }, /reserved/],
    ['a private address whose flags are missing', { type: 'IPV4', value: '192.168.1.20', tlp: 'CLEAR' }, /private address/],
    ['a URL on a private address', { type: 'URL', value: 'http://172.16.0.5/admin', tlp: 'CLEAR' }, /private address/],
    ['an internal host name', { type: 'DOMAIN', value: 'intranet.corp.internal', tlp: 'CLEAR' }, /internal host name/],
    ['TLP:RED', ipTarget('185.22.13.9', 'RED'), /TLP:RED/],
    ['TLP:AMBER by default', ipTarget('185.22.13.9', 'AMBER'), /TLP:AMBER/],
  ];

  for (const [label, target, why] of refused) {
    it(`never sends ${label}`, async () => {
      const { external, local, runner } = setup();
      const results = await runner.enrich(target);
      expect(results.find((r) => r.provider === 'ext')).toMatchObject({ status: 'SKIPPED', error: expect.stringMatching(why) as unknown });
      expect(external.calls).toHaveLength(0);
      // Local providers (DNS, feeds) still run: the rules are about data leaving.
      expect(local.calls).toHaveLength(1);
      // Not stored: the next sighting may carry another TLP.
      expect(runner.cached(target).map((r) => r.provider)).toEqual(['local']);
    });
  }

  it('sends TLP:AMBER when the provider allows it, and CLEAR/GREEN always', async () => {
    const { external, runner } = setup(true);
    await runner.enrich(ipTarget('185.22.13.1', 'AMBER'));
    await runner.enrich(ipTarget('185.22.13.2', 'GREEN'));
    await runner.enrich(ipTarget('185.22.13.3', 'CLEAR'));
    expect(external.calls.map((t) => t.value)).toEqual(['185.22.13.1', '185.22.13.2', '185.22.13.3']);
  });
});
