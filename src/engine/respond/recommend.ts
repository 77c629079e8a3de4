/**
 * Response recommendations for one alert: what an analyst should do next, each with a reason, derived from
 * its category, its risk level, its indicators (role, whether public, reputation) and the detections that
 * fired. Containment is only recommended for indicators that can be acted on: a private or warning-listed
 * address is never "blocked", a LOW alert is only monitored, and CRITICAL always escalates to Tier-2.
 */
import type { Classification } from '../classify/classification.js';
import type { NormalizedEvent } from '../types.js';
import { accountName } from './actions/safety.js';

export const RecommendedAction = {
  BLOCK_IP: 'BLOCK_IP',
  ENABLE_RATE_LIMITING: 'ENABLE_RATE_LIMITING',
  ISOLATE_ENDPOINT: 'ISOLATE_ENDPOINT',
  DISABLE_USER: 'DISABLE_USER',
  RESET_PASSWORD: 'RESET_PASSWORD',
  REVOKE_SESSIONS: 'REVOKE_SESSIONS',
  QUARANTINE_FILE: 'QUARANTINE_FILE',
  BLOCK_DOMAIN: 'BLOCK_DOMAIN',
  BLOCK_URL: 'BLOCK_URL',
  ESCALATE_TIER2: 'ESCALATE_TIER2',
  MONITOR: 'MONITOR',
} as const;
export type RecommendedAction = (typeof RecommendedAction)[keyof typeof RecommendedAction];

/** How the seed's `recommended_action` names each action. */
export const ACTION_LABEL: Record<RecommendedAction, string> = {
  BLOCK_IP: 'Block IP',
  ENABLE_RATE_LIMITING: 'enable rate limiting',
  ISOLATE_ENDPOINT: 'isolate endpoint',
  DISABLE_USER: 'disable user',
  RESET_PASSWORD: 'reset password',
  REVOKE_SESSIONS: 'revoke sessions',
  QUARANTINE_FILE: 'quarantine file',
  BLOCK_DOMAIN: 'block domain',
  BLOCK_URL: 'block URL',
  ESCALATE_TIER2: 'escalate to Tier-2',
  MONITOR: 'monitor',
};

export interface Recommendation {
  action: RecommendedAction;
  /** What it applies to (an address, host, account, file hash, domain or URL); null for the alert as a whole. */
  target: string | null;
  reason: string;
  /** Playbooks that would do it automatically for this alert's case, by name. */
  automatedBy: string[];
}

export interface RecommendationInput {
  category: string | null;
  level: string | null;
  score: number | null;
  event: NormalizedEvent | null;
  classification: Pick<Classification, 'detections'> | null;
  iocs: ReadonlyArray<{ type: string; value: string; role: string; isIndicator: boolean; verdict: string }>;
  /** Accounts that must never be disabled automatically (VIPs, break-glass); a recommendation says so instead. */
  protectedUsers?: readonly string[];
}

const PRIVILEGED = new Set(['root', 'administrator', 'admin', 'domain admins', 'enterprise admins', 'system']);
const HASHES = new Set(['MD5', 'SHA1', 'SHA256', 'SHA512']);
const IPS = new Set(['IPV4', 'IPV6']);

export function recommend(input: RecommendationInput): Recommendation[] {
  const out: Recommendation[] = [];
  const add = (action: RecommendedAction, target: string | null, reason: string) => {
    if (!out.some((r) => r.action === action && r.target === target)) out.push({ action, target, reason, automatedBy: [] });
  };
  const { category, level } = input;
  if (!category || category === 'BENIGN') {
    add('MONITOR', null, category ? 'classified BENIGN: no threat seen' : 'not classified yet');
    return out;
  }
  if (level === 'LOW') {
    add('MONITOR', null, `${category} at LOW risk (score ${input.score ?? 0}): watch for repeats before acting`);
    return out;
  }

  const acting = (roles: readonly string[], types: ReadonlySet<string>) => input.iocs.filter((i) => i.isIndicator && roles.includes(i.role) && types.has(i.type));
  const internal = (roles: readonly string[]) => input.iocs.filter((i) => !i.isIndicator && roles.includes(i.role) && IPS.has(i.type));
  const sources = acting(['SOURCE'], IPS);
  const destinations = acting(['DESTINATION', 'RELATED'], IPS);
  const host = input.event?.host ?? input.iocs.find((i) => i.role === 'HOST')?.value ?? null;
  const users = [...new Set(input.iocs.filter((i) => i.type === 'USERNAME' && (i.role === 'USER' || i.role === 'TARGET_USER')).map((i) => i.value))];
  const detectors = new Set(input.classification?.detections.map((d) => d.detector) ?? []);
  const bad = (verdict: string) => verdict === 'MALICIOUS' || verdict === 'SUSPICIOUS';
  const program = input.event?.program;
  // The same account matching as the action safety rails: `CORP\ceo` and `ceo@corp` are `ceo`.
  const protectedNames = new Set((input.protectedUsers ?? []).map(accountName));

  switch (category) {
    case 'BRUTE_FORCE':
      for (const ip of sources) add('BLOCK_IP', ip.value, `${ip.value} is the source of the failed logins${bad(ip.verdict) ? ` and is ${ip.verdict} by reputation` : ''}`);
      for (const ip of internal(['SOURCE'])) add('MONITOR', ip.value, `${ip.value} is internal: find which host or account is guessing passwords instead of blocking it`);
      add('ENABLE_RATE_LIMITING', program ?? host, `limit authentication attempts${program ? ` to ${program}` : ''}${host ? ` on ${host}` : ''} (e.g. fail2ban, MaxAuthTries)`);
      if (detectors.has('password-spraying')) for (const user of users) add('RESET_PASSWORD', user, `password spraying targeted ${user}: make sure a guessed password is not in use`);
      break;
    case 'SUSPICIOUS_ACCESS':
      for (const user of users) {
        add('RESET_PASSWORD', user, detectors.has('success-after-failures') ? `${user} logged in after repeated failures: the password was likely guessed` : `${user} had a suspicious access`);
        add('REVOKE_SESSIONS', user, `end ${user}'s open sessions until the access is explained`);
      }
      for (const ip of sources) add(bad(ip.verdict) ? 'BLOCK_IP' : 'MONITOR', ip.value, bad(ip.verdict) ? `${ip.value} is ${ip.verdict} by reputation` : `watch further logins from ${ip.value}`);
      break;
    case 'PRIVILEGE_MISUSE':
      for (const user of users) {
        const name = accountName(user);
        if (protectedNames.has(name) || PRIVILEGED.has(name)) add('REVOKE_SESSIONS', user, `${user} is a privileged or protected account: revoke its sessions and have its owner confirm, rather than disable it`);
        else add('DISABLE_USER', user, `${user} used privileges it should not: disable it until reviewed`);
      }
      add('ESCALATE_TIER2', null, 'privilege misuse needs an owner who can judge what the account may do');
      break;
    case 'MALWARE':
      if (host) add('ISOLATE_ENDPOINT', host, `malware on ${host}: cut it off from the network before it spreads`);
      for (const hash of input.iocs.filter((i) => HASHES.has(i.type))) add('QUARANTINE_FILE', hash.value, `the file with ${hash.type} ${hash.value}`);
      for (const ip of destinations) add('BLOCK_IP', ip.value, `${ip.value} is a destination of the infected host (likely C2 or delivery)`);
      for (const domain of acting(['RELATED', 'DESTINATION', 'URL'], new Set(['DOMAIN']))) add('BLOCK_DOMAIN', domain.value, `${domain.value} is contacted by the malware`);
      break;
    case 'PHISHING':
      for (const url of acting(['URL', 'RELATED'], new Set(['URL']))) add('BLOCK_URL', url.value, `${url.value} is the phishing link`);
      for (const domain of acting(['RELATED', 'URL', 'DESTINATION'], new Set(['DOMAIN']))) add('BLOCK_DOMAIN', domain.value, `${domain.value} hosts or sends the phishing`);
      for (const user of users) add('RESET_PASSWORD', user, `${user} received the phishing: reset if they entered credentials`);
      for (const sender of input.iocs.filter((i) => i.type === 'EMAIL' && i.role === 'SENDER')) add('MONITOR', sender.value, `block or watch mail from ${sender.value}`);
      break;
    case 'BEACONING':
      if (host && (level === 'HIGH' || level === 'CRITICAL')) add('ISOLATE_ENDPOINT', host, `${host} calls out at regular intervals: likely an implant`);
      for (const ip of destinations) add('BLOCK_IP', ip.value, `${ip.value} is the beacon's destination`);
      for (const domain of acting(['RELATED', 'DESTINATION'], new Set(['DOMAIN']))) add('BLOCK_DOMAIN', domain.value, `${domain.value} is the beacon's destination`);
      break;
  }
  if (level === 'CRITICAL') add('ESCALATE_TIER2', null, `CRITICAL risk (score ${input.score ?? 0})`);
  if (out.length === 0) add('MONITOR', null, `${category}: nothing to act on in this alert alone`);
  return out;
}

/** The seed's one-line form: "Block IP + enable rate limiting". */
export function recommendedActionLine(recommendations: readonly Recommendation[]): string {
  const labels = [...new Set(recommendations.map((r) => ACTION_LABEL[r.action]))];
  const line = labels.join(' + ');
  return line.charAt(0).toUpperCase() + line.slice(1);
}
