/**
 * AlienVault OTX: how many community threat "pulses" mention an indicator.
 * https://otx.alienvault.com/assets/static/external_api.html
 */
import type { Enricher, EnrichmentTarget } from '../../types.js';
import { resolveConfig, type ReputationProviderConfig } from './config.js';
import { getJson } from './http.js';
import { answer, asNumber, asObject, asString, disabled, fromFailure, malformed } from './result.js';

export interface OtxConfig extends ReputationProviderConfig {
  /** Pulses at or above which the IOC is MALICIOUS (default 5) or SUSPICIOUS (default 1). */
  maliciousAt?: number;
  suspiciousAt?: number;
}

const NAME = 'otx';
const LABEL = 'AlienVault OTX';

const SECTION: Partial<Record<EnrichmentTarget['type'], string>> = {
  IPV4: 'IPv4',
  IPV6: 'IPv6',
  DOMAIN: 'domain',
  HOSTNAME: 'hostname',
  MD5: 'file',
  SHA1: 'file',
  SHA256: 'file',
  URL: 'url',
};

export function createOtxProvider(config: OtxConfig): Enricher {
  const c = resolveConfig(config, 'https://otx.alienvault.com');
  const maliciousAt = config.maliciousAt ?? 5;
  const suspiciousAt = config.suspiciousAt ?? 1;

  return {
    name: NAME,
    external: true,
    supports: (t) => c.apiKey !== undefined && SECTION[t.type] !== undefined,
    async lookup(target, signal) {
      const section = SECTION[target.type];
      if (c.apiKey === undefined || section === undefined) return disabled(NAME, LABEL);
      const path = `/api/v1/indicators/${section}/${encodeURIComponent(target.value)}/general`;
      const reply = await getJson({ label: LABEL, config: c, path, headers: { 'X-OTX-API-KEY': c.apiKey }, signal });
      if (!reply.ok) return fromFailure(NAME, reply);
      const pulseInfo = asObject(asObject(reply.body)?.pulse_info);
      const count = asNumber(pulseInfo?.count);
      if (!pulseInfo || count === undefined) return malformed(NAME, LABEL);
      const pulses = Array.isArray(pulseInfo.pulses) ? pulseInfo.pulses : [];
      const names = pulses.map((p) => asString(asObject(p)?.name)).filter((n): n is string => n !== undefined && n.length > 0);
      const facts = { pulseCount: count, pulses: names.slice(0, 10) };
      const examples = names.length > 0 ? `: ${names.slice(0, 3).map((n) => `"${n}"`).join(', ')}${names.length > 3 ? ', ...' : ''}` : '';
      const reason = `${LABEL}: in ${count} pulse${count === 1 ? '' : 's'}${examples}`;
      if (count >= maliciousAt) return answer(NAME, 'MALICIOUS', [reason], facts);
      if (count >= suspiciousAt) return answer(NAME, 'SUSPICIOUS', [reason], facts);
      return answer(NAME, 'UNKNOWN', [`${LABEL}: in no pulse`], facts, 'NO_DATA');
    },
  };
}
