/**
 * Country, city and autonomous system of an address from local MaxMind DB files (GeoLite2/GeoIP2
 * City, Country, ASN). Nothing leaves the host; the files are read once, when the enricher is created.
 */
import { classifyIp } from '../../../extract/ip.js';
import { IocType } from '../../../types.js';
import { EnrichmentStatus, Verdict, type Enricher, type EnrichmentResult, type EnrichmentTarget } from '../../types.js';
import { openGeoIpDatabase, type GeoIpDatabase } from './database.js';
import { describe, mergeData, readRecord, type GeoIpData } from './record.js';

export interface GeoIpEnricherOptions {
  /** One .mmdb file. */
  path?: string;
  /**
   * Several .mmdb files (e.g. GeoLite2-City and GeoLite2-ASN) whose answers are merged; an earlier
   * file wins where two say the same field. Used together with `path`, `path` comes first.
   */
  paths?: string[];
}

function isIp(target: EnrichmentTarget): boolean {
  return target.type === IocType.IPV4 || target.type === IocType.IPV6;
}

/** Public addresses only: private, loopback and reserved ones are in no GeoIP database. */
function isPublicIp(target: EnrichmentTarget): boolean {
  if (!isIp(target)) return false;
  const flags = target.ip ?? classifyIp(target.value);
  return flags !== undefined && !flags.private && !flags.loopback && !flags.reserved;
}

/** Throws an Error naming the file when a database cannot be read or is no MaxMind DB. */
export function createGeoIpEnricher(options: GeoIpEnricherOptions): Enricher {
  const paths = [...(options.path !== undefined ? [options.path] : []), ...(options.paths ?? [])];
  if (paths.length === 0) throw new Error('GeoIP enricher: no database configured (set path or paths)');
  const databases: GeoIpDatabase[] = paths.map(openGeoIpDatabase);

  async function lookup(target: EnrichmentTarget, signal: AbortSignal): Promise<EnrichmentResult> {
    const base = { provider: 'geoip', verdict: Verdict.UNKNOWN };
    if (signal.aborted) return { ...base, status: EnrichmentStatus.TIMEOUT, reasons: [], data: {}, error: 'aborted before the lookup' };
    if (!isPublicIp(target)) {
      return { ...base, status: EnrichmentStatus.SKIPPED, reasons: [], data: {}, error: 'not a public IP address' };
    }
    let data: GeoIpData = {};
    let network: string | undefined;
    const found: string[] = [];
    try {
      for (const db of databases) {
        const hit = db.find(target.value);
        if (!hit) continue;
        data = mergeData(data, readRecord(hit.record));
        network ??= hit.network;
        found.push(db.databaseType);
      }
    } catch (error) {
      // The reader throws for values it cannot parse as an address; a corrupt file can throw too.
      const detail = error instanceof Error ? error.message : String(error);
      return { ...base, status: EnrichmentStatus.ERROR, reasons: [], data: {}, error: `GeoIP lookup of ${target.value} failed: ${detail}` };
    }
    const reason = describe(data);
    if (reason === undefined) {
      const why = found.length > 0 ? `no location or AS data for ${network ?? target.value}` : `${target.value} is not in the GeoIP database`;
      return { ...base, status: EnrichmentStatus.NO_DATA, reasons: [why], data: {} };
    }
    if (network !== undefined) data.network = network;
    return { ...base, status: EnrichmentStatus.OK, reasons: [reason], data: { ...data } };
  }

  return { name: 'geoip', external: false, supports: isPublicIp, lookup };
}
