/**
 * VirusTotal API v3: the latest scan verdicts of many engines about an IP, domain, file hash or URL.
 * https://docs.virustotal.com/reference/overview
 */
import type { Enricher, EnrichmentTarget } from '../../types.js';
import { resolveConfig, type ReputationProviderConfig } from './config.js';
import { getJson } from './http.js';
import { answer, asNumber, asObject, disabled, formatCount, fromFailure, malformed } from './result.js';

export interface VirusTotalConfig extends ReputationProviderConfig {
  /** Engines flagging "malicious" at or above which the IOC is MALICIOUS. Default 3. */
  maliciousAt?: number;
  /** Malicious + suspicious engines at or above which it is SUSPICIOUS. Default 1. */
  suspiciousAt?: number;
}

const NAME = 'virustotal';
const LABEL = 'VirusTotal';

/** VirusTotal's URL identifier: the URL in unpadded base64url. */
export function virusTotalUrlId(url: string): string {
  return Buffer.from(url, 'utf8').toString('base64url');
}

function pathFor(target: EnrichmentTarget): string | undefined {
  const v = encodeURIComponent(target.value);
  switch (target.type) {
    case 'IPV4':
    case 'IPV6':
      return `/api/v3/ip_addresses/${v}`;
    case 'DOMAIN':
    case 'HOSTNAME':
      return `/api/v3/domains/${v}`;
    case 'MD5':
    case 'SHA1':
    case 'SHA256':
      return `/api/v3/files/${v}`;
    case 'URL':
      return `/api/v3/urls/${virusTotalUrlId(target.value)}`;
    default:
      return undefined;
  }
}

export function createVirusTotalProvider(config: VirusTotalConfig): Enricher {
  const c = resolveConfig(config, 'https://www.virustotal.com');
  const maliciousAt = config.maliciousAt ?? 3;
  const suspiciousAt = config.suspiciousAt ?? 1;

  return {
    name: NAME,
    external: true,
    supports: (t) => c.apiKey !== undefined && pathFor(t) !== undefined,
    async lookup(target, signal) {
      const path = pathFor(target);
      if (c.apiKey === undefined || path === undefined) return disabled(NAME, LABEL);
      const reply = await getJson({ label: LABEL, config: c, path, headers: { 'x-apikey': c.apiKey }, signal });
      if (!reply.ok) return fromFailure(NAME, reply);
      const attributes = asObject(asObject(asObject(reply.body)?.data)?.attributes);
      const stats = asObject(attributes?.last_analysis_stats);
      if (!attributes || !stats) return malformed(NAME, LABEL);
      const count = (k: string) => asNumber(stats[k]) ?? 0;
      const malicious = count('malicious');
      const suspicious = count('suspicious');
      const engines = Object.values(stats).reduce<number>((sum, n) => sum + (asNumber(n) ?? 0), 0);
      const facts = {
        lastAnalysisStats: stats,
        reputation: asNumber(attributes.reputation),
        lastAnalysisDate: asNumber(attributes.last_analysis_date),
      };
      if (engines === 0) return answer(NAME, 'UNKNOWN', [`${LABEL}: not analysed yet`], facts, 'NO_DATA');
      const of = `of ${formatCount(engines)} engines`;
      if (malicious >= maliciousAt) {
        const extra = suspicious > 0 ? `, ${suspicious} suspicious` : '';
        return answer(NAME, 'MALICIOUS', [`${LABEL}: ${malicious} ${of} flag it malicious${extra}`], facts);
      }
      if (malicious + suspicious >= suspiciousAt) {
        return answer(NAME, 'SUSPICIOUS', [`${LABEL}: ${malicious} ${of} flag it malicious, ${suspicious} suspicious`], facts);
      }
      // Engines saying "harmless" do not vouch for an IOC, so a clean scan stays UNKNOWN.
      return answer(NAME, 'UNKNOWN', [`${LABEL}: none ${of} flag it`], facts);
    },
  };
}
