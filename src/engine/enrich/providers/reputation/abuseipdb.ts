/**
 * AbuseIPDB v2 `check`: community abuse reports about an IP, summarised as a confidence score 0-100.
 * https://docs.abuseipdb.com/#check-endpoint
 */
import type { Enricher } from '../../types.js';
import { resolveConfig, type ReputationProviderConfig } from './config.js';
import { getJson } from './http.js';
import { answer, asNumber, asObject, asString, disabled, formatCount, fromFailure, malformed } from './result.js';

export interface AbuseIpdbConfig extends ReputationProviderConfig {
  /** Reports older than this are ignored by the API. Default 90 (the API allows 1-365). */
  maxAgeInDays?: number;
  /** Confidence at or above which the IP is MALICIOUS (default 75) or SUSPICIOUS (default 25). */
  maliciousAt?: number;
  suspiciousAt?: number;
}

const NAME = 'abuseipdb';
const LABEL = 'AbuseIPDB';

export function createAbuseIpdbProvider(config: AbuseIpdbConfig): Enricher {
  const c = resolveConfig(config, 'https://api.abuseipdb.com');
  const maxAge = config.maxAgeInDays ?? 90;
  const maliciousAt = config.maliciousAt ?? 75;
  const suspiciousAt = config.suspiciousAt ?? 25;

  return {
    name: NAME,
    external: true,
    supports: (t) => c.apiKey !== undefined && (t.type === 'IPV4' || t.type === 'IPV6'),
    async lookup(target, signal) {
      if (c.apiKey === undefined) return disabled(NAME, LABEL);
      const query = new URLSearchParams({ ipAddress: target.value, maxAgeInDays: String(maxAge) });
      const reply = await getJson({ label: LABEL, config: c, path: `/api/v2/check?${query.toString()}`, headers: { Key: c.apiKey }, signal });
      if (!reply.ok) return fromFailure(NAME, reply);
      const data = asObject(asObject(reply.body)?.data);
      const score = asNumber(data?.abuseConfidenceScore);
      if (!data || score === undefined) return malformed(NAME, LABEL);
      const reports = asNumber(data.totalReports) ?? 0;
      const facts = {
        abuseConfidenceScore: score,
        totalReports: reports,
        numDistinctUsers: asNumber(data.numDistinctUsers),
        lastReportedAt: asString(data.lastReportedAt),
        isWhitelisted: data.isWhitelisted === true,
        isTor: data.isTor === true,
        countryCode: asString(data.countryCode),
        usageType: asString(data.usageType),
        isp: asString(data.isp),
        domain: asString(data.domain),
      };
      const summary = `${LABEL} confidence ${score}% (${formatCount(reports)} report${reports === 1 ? '' : 's'})`;
      if (facts.isWhitelisted && score < suspiciousAt) return answer(NAME, 'BENIGN', [`${LABEL}: allow-listed address`], facts);
      if (score >= maliciousAt) return answer(NAME, 'MALICIOUS', [summary], facts);
      if (score >= suspiciousAt) return answer(NAME, 'SUSPICIOUS', [summary], facts);
      if (reports === 0) return answer(NAME, 'UNKNOWN', [`${LABEL}: no reports in ${maxAge} days`], facts, 'NO_DATA');
      return answer(NAME, 'UNKNOWN', [summary], facts);
    },
  };
}
