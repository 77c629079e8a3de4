import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Reader } from 'maxmind';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIp } from '../../../../src/engine/extract/ip.js';
import { createGeoIpEnricher } from '../../../../src/engine/enrich/providers/geoip/index.js';
import type { EnrichmentTarget } from '../../../../src/engine/enrich/types.js';
import { buildMmdb, u16, u32, type MmdbNetwork, type MmdbRecord } from './mmdb-writer.js';

const names = (en: string): MmdbRecord => ({ en, de: `${en} (de)` });
const cityRecord = (iso: string, country: string, continent: string, city?: string): MmdbRecord => ({
  ...(city ? { city: { geoname_id: u32(2759794), names: names(city) } } : {}),
  continent: { code: continent, geoname_id: u32(6255148), names: names(continent === 'EU' ? 'Europe' : 'North America') },
  country: { geoname_id: u32(2750405), iso_code: iso, names: names(country) },
  registered_country: { geoname_id: u32(2750405), iso_code: iso, names: names(country) },
  location: { accuracy_radius: u16(20), latitude: 52.3824, longitude: 4.8995, time_zone: 'Europe/Amsterdam' },
});

const NL = cityRecord('NL', 'Netherlands', 'EU', 'Amsterdam');
const US = cityRecord('US', 'United States', 'NA');
const DE = cityRecord('DE', 'Germany', 'EU', 'Berlin');

const CITY_NETWORKS: MmdbNetwork[] = [
  { network: '81.2.69.0/24', record: NL },
  // A more specific network inside the one before it.
  { network: '81.2.69.128/26', record: DE },
  { network: '89.160.20.0/22', record: US },
  { network: '2a02:d0::/32', record: DE },
  // In the file, but reserved (TEST-NET-2): never asked.
  { network: '198.51.100.0/24', record: US },
  // Only the registered country (as GeoLite2 has for some anycast networks).
  { network: '185.0.0.0/16', record: { registered_country: { geoname_id: u32(2921044), iso_code: 'DE', names: names('Germany') } } },
  // A record with nothing Vigil reads.
  { network: '100.0.0.0/16', record: { traits: { is_satellite_provider: true } } },
];
const ASN_NETWORKS: MmdbNetwork[] = [
  { network: '81.2.69.0/24', record: { autonomous_system_number: u32(64500), autonomous_system_organization: 'Example Org' } },
  { network: '1.128.0.0/11', record: { autonomous_system_number: u32(4294967294), autonomous_system_organization: 'Big Number AS' } },
];

let dir: string;
let cityPath: string;
let asnPath: string;
let asnV4Path: string;
let combinedPath: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-geoip-'));
  cityPath = join(dir, 'city.mmdb');
  asnPath = join(dir, 'asn.mmdb');
  asnV4Path = join(dir, 'asn-v4.mmdb');
  combinedPath = join(dir, 'combined.mmdb');
  writeFileSync(cityPath, buildMmdb(CITY_NETWORKS, { databaseType: 'GeoLite2-City', languages: ['de', 'en'] }));
  writeFileSync(asnPath, buildMmdb(ASN_NETWORKS, { databaseType: 'GeoLite2-ASN' }));
  writeFileSync(asnV4Path, buildMmdb(ASN_NETWORKS, { databaseType: 'GeoLite2-ASN', ipVersion: 4 }));
  // GeoIP2 Enterprise style: AS data under traits.
  writeFileSync(
    combinedPath,
    buildMmdb([{ network: '81.2.69.0/24', record: { ...NL, traits: { autonomous_system_number: u32(64500), autonomous_system_organization: 'Example Org' } } }], {
      databaseType: 'GeoIP2-Enterprise',
    }),
  );
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const ip = (value: string): EnrichmentTarget => {
  const parsed = parseIp(value);
  if (!parsed) throw new Error(`bad test address ${value}`);
  return { type: parsed.type, value: parsed.value, ip: parsed.ip, tlp: 'AMBER' };
};
const never = (): AbortSignal => new AbortController().signal;

describe('mmdb test writer', () => {
  it('writes a file the maxmind reader opens and answers from', () => {
    const reader = new Reader(readFileSync(cityPath));
    expect(reader.metadata).toMatchObject({
      binaryFormatMajorVersion: 2,
      binaryFormatMinorVersion: 0,
      databaseType: 'GeoLite2-City',
      ipVersion: 6,
      recordSize: 24,
      languages: ['de', 'en'],
      description: { en: 'GeoLite2-City test database' },
    });
    expect(reader.getWithPrefixLength('81.2.69.1')).toEqual([expect.objectContaining({ country: expect.objectContaining({ iso_code: 'NL' }) }), 25]);
    expect(reader.getWithPrefixLength('81.2.69.130')[1]).toBe(26);
    expect(reader.get('81.2.69.130')).toMatchObject({ country: { iso_code: 'DE' }, location: { latitude: 52.3824, accuracy_radius: 20 } });
    expect(reader.get('2a02:d0:1::5')).toMatchObject({ city: { names: { en: 'Berlin' } } });
    expect(reader.get('81.2.70.1')).toBeNull();
    const v4 = new Reader(readFileSync(asnV4Path));
    expect(v4.metadata.ipVersion).toBe(4);
    expect(v4.get('1.130.2.3')).toEqual({ autonomous_system_number: 4294967294, autonomous_system_organization: 'Big Number AS' });
  });
});

describe('geoip enricher', () => {
  it('is local and supports public IP addresses only', () => {
    const geoip = createGeoIpEnricher({ path: cityPath });
    expect(geoip.name).toBe('geoip');
    expect(geoip.external).toBe(false);
    expect(geoip.supports(ip('81.2.69.160'))).toBe(true);
    expect(geoip.supports(ip('2a02:d0::1'))).toBe(true);
    expect(geoip.supports(ip('10.1.2.3'))).toBe(false);
    expect(geoip.supports(ip('127.0.0.1'))).toBe(false);
    expect(geoip.supports(ip('fd00::1'))).toBe(false);
    expect(geoip.supports(ip('198.51.100.7'))).toBe(false);
    expect(geoip.supports(ip('2001:db8::1'))).toBe(false);
    // Without flags the value itself is classified.
    expect(geoip.supports({ type: 'IPV4', value: '192.168.1.1', tlp: 'AMBER' })).toBe(false);
    expect(geoip.supports({ type: 'IPV4', value: '81.2.69.160', tlp: 'AMBER' })).toBe(true);
    expect(geoip.supports({ type: 'DOMAIN', value: 'example.com', tlp: 'AMBER' })).toBe(false);
  });

  it('answers country, city, continent and network from a City database', async () => {
    const result = await createGeoIpEnricher({ path: cityPath }).lookup(ip('81.2.69.1'), never());
    expect(result).toEqual({
      provider: 'geoip',
      status: 'OK',
      verdict: 'UNKNOWN',
      reasons: ['Amsterdam, NL'],
      data: { country: 'NL', countryName: 'Netherlands', city: 'Amsterdam', continent: 'EU', network: '81.2.69.0/25' },
    });
    const v6 = await createGeoIpEnricher({ path: cityPath }).lookup(ip('2a02:d0:ffff::1'), never());
    expect(v6.data).toEqual({ country: 'DE', countryName: 'Germany', city: 'Berlin', continent: 'EU', network: '2a02:d0::/32' });
  });

  it('answers the AS from an ASN database, IPv6 tree or IPv4-only', async () => {
    for (const path of [asnPath, asnV4Path]) {
      const result = await createGeoIpEnricher({ path }).lookup(ip('81.2.69.160'), never());
      expect(result.status).toBe('OK');
      expect(result.reasons).toEqual(['AS64500 Example Org']);
      expect(result.data).toEqual({ asn: 64500, asOrg: 'Example Org', network: '81.2.69.0/24' });
    }
    const big = await createGeoIpEnricher({ path: asnV4Path }).lookup(ip('1.159.255.255'), never());
    expect(big.data).toEqual({ asn: 4294967294, asOrg: 'Big Number AS', network: '1.128.0.0/11' });
    // An IPv4-only database has nothing for IPv6.
    const v6 = await createGeoIpEnricher({ path: asnV4Path }).lookup(ip('2a02:d0::1'), never());
    expect(v6.status).toBe('NO_DATA');
  });

  it('merges a City and an ASN database', async () => {
    const geoip = createGeoIpEnricher({ paths: [cityPath, asnPath] });
    const result = await geoip.lookup(ip('81.2.69.130'), never());
    expect(result).toMatchObject({
      status: 'OK',
      verdict: 'UNKNOWN',
      reasons: ['AS64500 Example Org, Berlin, DE'],
      data: { country: 'DE', countryName: 'Germany', city: 'Berlin', continent: 'EU', asn: 64500, asOrg: 'Example Org', network: '81.2.69.128/26' },
    });
    // Only one of the two knows the address.
    const asnOnly = await geoip.lookup(ip('1.130.0.1'), never());
    expect(asnOnly.data).toEqual({ asn: 4294967294, asOrg: 'Big Number AS', network: '1.128.0.0/11' });
  });

  it('reads AS data under traits and falls back to the registered country', async () => {
    const enterprise = await createGeoIpEnricher({ path: combinedPath }).lookup(ip('81.2.69.1'), never());
    expect(enterprise.reasons).toEqual(['AS64500 Example Org, Amsterdam, NL']);
    expect(enterprise.data).toMatchObject({ country: 'NL', asn: 64500, asOrg: 'Example Org' });
    const registered = await createGeoIpEnricher({ path: cityPath }).lookup(ip('185.0.1.1'), never());
    expect(registered).toMatchObject({ status: 'OK', reasons: ['DE'], data: { country: 'DE', countryName: 'Germany', network: '185.0.0.0/16' } });
  });

  it('answers NO_DATA for an address not in the database', async () => {
    const geoip = createGeoIpEnricher({ path: cityPath });
    const result = await geoip.lookup(ip('8.8.8.8'), never());
    expect(result).toEqual({ provider: 'geoip', status: 'NO_DATA', verdict: 'UNKNOWN', reasons: ['8.8.8.8 is not in the GeoIP database'], data: {} });
    const empty = await geoip.lookup(ip('100.0.0.1'), never());
    expect(empty).toMatchObject({ status: 'NO_DATA', reasons: ['no location or AS data for 100.0.0.0/16'] });
  });

  it('skips what it does not support and honours an aborted signal', async () => {
    const geoip = createGeoIpEnricher({ path: cityPath });
    const priv = await geoip.lookup(ip('192.168.0.1'), never());
    expect(priv).toMatchObject({ status: 'SKIPPED', error: 'not a public IP address' });
    const controller = new AbortController();
    controller.abort();
    expect((await geoip.lookup(ip('81.2.69.1'), controller.signal)).status).toBe('TIMEOUT');
  });

  it('refuses a missing, empty, garbage or truncated file with an error naming the path', () => {
    const missing = join(dir, 'missing.mmdb');
    expect(() => createGeoIpEnricher({ path: missing })).toThrow(`GeoIP database ${missing} cannot be read`);
    expect(() => createGeoIpEnricher({ path: dir })).toThrow(`GeoIP database ${dir} cannot be read`);
    const empty = join(dir, 'empty.mmdb');
    writeFileSync(empty, '');
    expect(() => createGeoIpEnricher({ path: empty })).toThrow(`GeoIP database ${empty} is not a MaxMind DB (.mmdb) file`);
    const garbage = join(dir, 'garbage.mmdb');
    writeFileSync(garbage, Buffer.from('this is not a database at all\n'.repeat(100)));
    expect(() => createGeoIpEnricher({ path: garbage })).toThrow(`GeoIP database ${garbage} is not a MaxMind DB (.mmdb) file`);
    // A marker followed by rubbish.
    const rubbish = join(dir, 'rubbish.mmdb');
    writeFileSync(rubbish, Buffer.concat([Buffer.alloc(64), Buffer.from('ABCDEF4D61784D696E642E636F6D', 'hex'), Buffer.from([0xff, 0x00, 0x13])]));
    expect(() => createGeoIpEnricher({ path: rubbish })).toThrow(`GeoIP database ${rubbish} is not a valid MaxMind DB`);
    // The tree cut off: the metadata says more nodes than the file holds.
    const whole = buildMmdb(CITY_NETWORKS, { databaseType: 'GeoLite2-City' });
    const marker = whole.lastIndexOf(Buffer.from('ABCDEF4D61784D696E642E636F6D', 'hex'));
    const truncated = join(dir, 'truncated.mmdb');
    writeFileSync(truncated, Buffer.concat([whole.subarray(0, 20), whole.subarray(marker)]));
    expect(() => createGeoIpEnricher({ path: truncated })).toThrow(`GeoIP database ${truncated} is not a valid MaxMind DB`);
    // One bad file among several is enough.
    expect(() => createGeoIpEnricher({ paths: [cityPath, missing] })).toThrow(missing);
    expect(() => createGeoIpEnricher({})).toThrow('no database configured');
  });
});
