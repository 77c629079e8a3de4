/** The allowlist against other spellings of a protected target: host names (finding 2) and IPv6 forms of IPv4 (finding 7). */
import { afterEach, describe, expect, it } from 'vitest';
import { embeddedIpv4 } from '../../../src/engine/respond/actions/embedded-ipv4.js';
import { validateParams } from '../../../src/engine/respond/actions/params.js';
import type { Harness } from '../../helpers/harness.js';
import { request, withCase } from './actions-helpers.js';

let h: Harness;
afterEach(async () => h?.close());

describe('protected host names', () => {
  it('have one spelling: lower case, without the trailing root dot; empty labels are refused', () => {
    expect(validateParams('ISOLATE_HOST', { host: 'DC01.CORP.example.' })).toEqual({ host: 'dc01.corp.example' });
    expect(validateParams('RELEASE_HOST', { host: 'web-01.' })).toEqual({ host: 'web-01' });
    expect(() => validateParams('ISOLATE_HOST', { host: 'dc01..corp.example' })).toThrow(/is not a host name/);
    expect(() => validateParams('ISOLATE_HOST', { host: 'dc01.corp.example..' })).toThrow(/is not a host name/);
    expect(() => validateParams('ISOLATE_HOST', { host: '.' })).toThrow(/is not a host name/);
  });

  it('are refused in every qualification of the same first label (fail closed)', async () => {
    ({ h } = await withCase({ VIGIL_PROTECTED_HOSTS: 'dc01.corp.example,FS01.Corp.Example.' }));
    for (const host of ['dc01.corp.example.', 'DC01.CORP.example.', 'dc01.corp', 'dc01', 'DC01', 'dc01.other.example', 'fs01', 'fs01.corp.example']) {
      const action = request(h, 'ISOLATE_HOST', { host });
      expect(action.status, host).toBe('REFUSED');
      expect(action.reason, host).toMatch(/ is protected: (dc01\.corp\.example|fs01\.corp\.example) in VIGIL_PROTECTED_HOSTS; never isolated$/);
    }
    expect(request(h, 'ISOLATE_HOST', { host: 'dc01.corp.example.' }).reason).toBe('dc01.corp.example is protected: dc01.corp.example in VIGIL_PROTECTED_HOSTS; never isolated');
    // Other hosts, including ones whose name merely starts like a protected one, may still be isolated.
    for (const host of ['web-01.corp.example', 'dc011.corp.example', 'dc01-backup', 'corp.example']) expect(request(h, 'ISOLATE_HOST', { host }).status, host).toBe('PLANNED');
  });
});

describe('IPv6 addresses that carry an IPv4 address', () => {
  it('name the IPv4 address inside NAT64, SIIT, IPv4-compatible, 6to4 and Teredo addresses', () => {
    expect(embeddedIpv4('64:ff9b::a00:1')).toEqual([{ ipv4: '10.0.0.1', via: 'rfc6052' }]);
    expect(embeddedIpv4('::ffff:0:a00:1')).toEqual([{ ipv4: '10.0.0.1', via: 'rfc6145' }]);
    expect(embeddedIpv4('::a00:1')).toEqual([{ ipv4: '10.0.0.1', via: 'IPv4-compatible' }]);
    expect(embeddedIpv4('2002:a00:1::1')).toEqual([{ ipv4: '10.0.0.1', via: '6to4' }]);
    // RFC 4380's example: server 65.54.227.120, client 192.0.2.45 (stored inverted).
    expect(embeddedIpv4('2001:0:4136:e378:8000:63bf:3fff:fdd2')).toEqual([
      { ipv4: '192.0.2.45', via: 'teredo client' },
      { ipv4: '65.54.227.120', via: 'teredo server' },
    ]);
    for (const plain of ['2a01:4f8:85a3::8a2e:370:7334', '::1', '::', '185.22.13.9', 'nope']) expect(embeddedIpv4(plain), plain).toEqual([]);
  });

  it('are refused for blocking when the IPv4 address inside is private, loopback, the organisation or protected', async () => {
    ({ h } = await withCase({ VIGIL_ORG_NETWORKS: '100.20.0.0/16', VIGIL_PROTECTED_HOSTS: '93.184.216.34' }));
    const refused = {
      '64:ff9b::a00:1': "64:ff9b::a00:1 carries 10.0.0.1 (rfc6052): 10.0.0.1 is in a private range (private); never blocked",
      '2002:a00:1::1': "2002:a00:1::1 carries 10.0.0.1 (6to4): 10.0.0.1 is in a private range (private); never blocked",
      '64:ff9b::6414:101': "64:ff9b::6414:101 carries 100.20.1.1 (rfc6052): 100.20.1.1 is one of your organisation's networks: 100.20.0.0/16 in VIGIL_ORG_NETWORKS; never blocked",
      '64:ff9b::7f00:1': '64:ff9b::7f00:1 carries 127.0.0.1 (rfc6052): 127.0.0.1 is a loopback address; never blocked',
      '::ffff:0:5db8:d822': '::ffff:0:5db8:d822 carries 93.184.216.34 (rfc6145): 93.184.216.34 is protected: 93.184.216.34 in VIGIL_PROTECTED_HOSTS; never blocked',
      // Teredo client 10.0.0.1 (0a00:0001 inverted is f5ff:fffe) behind public server 65.54.227.120.
      '2001:0:4136:e378:8000:63bf:f5ff:fffe': '2001:0:4136:e378:8000:63bf:f5ff:fffe carries 10.0.0.1 (teredo client): 10.0.0.1 is in a private range (private); never blocked',
    };
    for (const [ip, reason] of Object.entries(refused)) expect(request(h, 'BLOCK_IP', { ip }), ip).toMatchObject({ status: 'REFUSED', reason });
    // An isolation by address also sees a protected address inside.
    expect(request(h, 'ISOLATE_HOST', { host: '64:ff9b::5db8:d822' }).reason).toBe('64:ff9b::5db8:d822 carries 93.184.216.34 (rfc6052): 93.184.216.34 is protected: 93.184.216.34 in VIGIL_PROTECTED_HOSTS; never isolated');
    // The NAT64 form of a public attacker is still blocked.
    expect(request(h, 'BLOCK_IP', { ip: '64:ff9b::b916:d09' }).status).toBe('PLANNED');
  });
});
