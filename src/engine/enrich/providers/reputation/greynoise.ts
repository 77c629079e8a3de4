/**
 * GreyNoise Community API: whether an IPv4 address is an internet-wide scanner (and of what intent) or a
 * known business service (RIOT), which tells background noise from a targeted attack.
 * https://docs.greynoise.io/reference/get_v3-community-ip
 */
import type { Enricher } from '../../types.js';
import { resolveConfig, type ReputationProviderConfig } from './config.js';
import { getJson } from './http.js';
import { answer, asObject, asString, disabled, fromFailure, malformed } from './result.js';

const NAME = 'greynoise';
const LABEL = 'GreyNoise';

export function createGreyNoiseProvider(config: ReputationProviderConfig): Enricher {
  const c = resolveConfig(config, 'https://api.greynoise.io');

  return {
    name: NAME,
    external: true,
    // The community API answers for IPv4 only.
    supports: (t) => c.apiKey !== undefined && t.type === 'IPV4',
    async lookup(target, signal) {
      if (c.apiKey === undefined) return disabled(NAME, LABEL);
      const reply = await getJson({ label: LABEL, config: c, path: `/v3/community/${encodeURIComponent(target.value)}`, headers: { key: c.apiKey }, signal });
      if (!reply.ok) {
        if (reply.failure.status === 'NO_DATA') return answer(NAME, 'UNKNOWN', [`${LABEL}: not seen scanning the internet, not a known business service`], {}, 'NO_DATA');
        return fromFailure(NAME, reply);
      }
      const body = asObject(reply.body);
      if (!body || typeof body.noise !== 'boolean' || typeof body.riot !== 'boolean') return malformed(NAME, LABEL);
      const classification = asString(body.classification) ?? 'unknown';
      const name = asString(body.name);
      const facts = { noise: body.noise, riot: body.riot, classification, name, lastSeen: asString(body.last_seen), link: asString(body.link) };
      const who = name && name !== 'unknown' ? ` (${name})` : '';
      if (body.riot) return answer(NAME, 'BENIGN', [`${LABEL} RIOT: known business service${who}`], facts);
      if (classification === 'malicious') return answer(NAME, 'MALICIOUS', [`${LABEL}: malicious internet scanner${who}`], facts);
      if (classification === 'benign') return answer(NAME, 'BENIGN', [`${LABEL}: benign internet scanner${who}`], facts);
      if (body.noise) return answer(NAME, 'UNKNOWN', [`${LABEL}: seen scanning the internet, intent unknown${who}`], facts);
      return answer(NAME, 'UNKNOWN', [`${LABEL}: no classification`], facts, 'NO_DATA');
    },
  };
}
