/**
 * The explainable risk score: weighted factors, each a value in 0..1 times its weight, whose points add up
 * exactly to the score (0-100). Weights and level thresholds are configuration; the defaults put the
 * seed's example, a failed SSH login for root from a public address, at HIGH.
 */
import type { Classification } from '../classify/classification.js';
import type { Category, Severity } from '../classify/types.js';
import type { Verdict } from '../enrich/types.js';
import type { NormalizedEvent } from '../types.js';

export const RiskLevel = { LOW: 'LOW', MEDIUM: 'MEDIUM', HIGH: 'HIGH', CRITICAL: 'CRITICAL' } as const;
export type RiskLevel = (typeof RiskLevel)[keyof typeof RiskLevel];
/** The levels from lowest to highest: a level's index is its rank. */
export const RISK_LEVELS = [RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.CRITICAL] as const;
/** 0 (LOW) to 3 (CRITICAL); -1 for none or an unknown value. */
export const levelRank = (level: string | null | undefined): number => RISK_LEVELS.indexOf(level as RiskLevel);
/** The same rank in SQL, for sorting and aggregating a level column. */
export const levelRankSql = (column: string): string => `(CASE ${column} ${RISK_LEVELS.map((l, i) => `WHEN '${l}' THEN ${i}`).join(' ')} ELSE -1 END)`;

export const FACTORS = ['category', 'ruleSeverity', 'sourceSeverity', 'reputation', 'domainAge', 'assetCriticality', 'privilegedAccount', 'attackTactic', 'repetition'] as const;
export type FactorName = (typeof FACTORS)[number];

export interface ScoreSettings {
  /** Points each factor can bring; they sum to 100 so that the score is a percentage of the worst case. */
  weights: Record<FactorName, number>;
  /** Lowest score of each level above LOW. */
  thresholds: { medium: number; high: number; critical: number };
  /** Hosts, users and networks (CIDR or address) whose involvement makes an alert matter more. */
  criticalAssets: { hosts: string[]; users: string[]; networks: string[] };
}

export const DEFAULT_SCORE_SETTINGS: ScoreSettings = {
  weights: { category: 35, ruleSeverity: 15, sourceSeverity: 5, reputation: 15, domainAge: 5, assetCriticality: 5, privilegedAccount: 10, attackTactic: 5, repetition: 5 },
  thresholds: { medium: 20, high: 40, critical: 70 },
  criticalAssets: { hosts: [], users: [], networks: [] },
};

export interface ScoreFactor {
  name: FactorName;
  weight: number;
  /** 0..1: how much of the weight applies. */
  value: number;
  /** Whole points it adds; the factors' points sum to the score. */
  points: number;
  evidence: string;
}

export interface RiskScore {
  score: number;
  level: RiskLevel;
  factors: ScoreFactor[];
}

export interface ScoreInput {
  event: NormalizedEvent;
  classification: Pick<Classification, 'category' | 'confidence' | 'severity' | 'techniques' | 'detections'> | null;
  /** The combined reputation of each IOC of the alert, with the reasons that came with it. */
  iocs: Array<{ type: string; value: string; verdict: Verdict; reasons: string[] }>;
  occurrenceCount: number;
  /** Accounts the extract stage found in the text (e.g. `user root` in a free-form line). */
  accounts?: string[];
  /** Tells whether an address lies in one of the critical networks. */
  inCriticalNetwork: (ip: string) => boolean;
}

const CATEGORY_BASE: Record<Category, number> = {
  MALWARE: 1,
  PRIVILEGE_MISUSE: 0.9,
  BEACONING: 0.85,
  BRUTE_FORCE: 0.8,
  PHISHING: 0.8,
  SUSPICIOUS_ACCESS: 0.7,
  BENIGN: 0,
};
const SEVERITY_VALUE: Record<Severity, number> = { LOW: 0.25, MEDIUM: 0.5, HIGH: 0.8, CRITICAL: 1 };
/** How close to damage each tactic is. */
const TACTIC_VALUE: Record<string, number> = {
  TA0040: 1, // Impact
  TA0010: 1, // Exfiltration
  TA0006: 1, // Credential Access
  TA0004: 1, // Privilege Escalation
  TA0011: 1, // Command and Control
  TA0008: 0.9, // Lateral Movement
  TA0003: 0.8, // Persistence
  TA0005: 0.8, // Defense Evasion
  TA0001: 0.8, // Initial Access
  TA0002: 0.7, // Execution
  TA0009: 0.7, // Collection
  TA0007: 0.4, // Discovery
  TA0043: 0.3, // Reconnaissance
  TA0042: 0.3, // Resource Development
};
const PRIVILEGED = /^(?:root|administrator|admin|domain admins|enterprise admins|sa|postgres|system)$/i;
const VERDICT_VALUE: Record<Verdict, number> = { MALICIOUS: 1, SUSPICIOUS: 0.5, BENIGN: 0, UNKNOWN: 0 };

type Raw = Omit<ScoreFactor, 'points' | 'weight'>;

function factors(input: ScoreInput, settings: ScoreSettings): Raw[] {
  const { event, classification: c } = input;
  const out: Raw[] = [];
  out.push(
    c
      ? { name: 'category', value: CATEGORY_BASE[c.category] * c.confidence, evidence: `${c.category} at ${Math.round(c.confidence * 100)}% confidence` }
      : { name: 'category', value: 0, evidence: 'not classified' },
  );
  out.push({ name: 'ruleSeverity', value: c && c.category !== 'BENIGN' ? SEVERITY_VALUE[c.severity] : 0, evidence: c ? `${c.severity} severity of what classified it` : 'not classified' });

  const level = event.ruleLevel ?? (event.format === 'CEF' && event.severity !== undefined ? Number(event.severity) * 1.5 : undefined);
  out.push({ name: 'sourceSeverity', value: level !== undefined && Number.isFinite(level) ? Math.min(1, Math.max(0, level / 15)) : 0, evidence: level !== undefined ? `source level ${event.ruleLevel ?? event.severity}` : 'the source gave no level' });

  const worst = [...input.iocs].sort((a, b) => VERDICT_VALUE[b.verdict] - VERDICT_VALUE[a.verdict])[0];
  out.push({ name: 'reputation', value: worst ? VERDICT_VALUE[worst.verdict] : 0, evidence: worst && VERDICT_VALUE[worst.verdict] > 0 ? `${worst.value} is ${worst.verdict}: ${worst.reasons[0] ?? ''}`.trim() : 'no IOC with a bad reputation' });

  const young = input.iocs.flatMap((i) => i.reasons.filter((r) => /registered (?:today|\d+ days? ago)/.test(r)).map((r) => `${i.value}: ${r}`));
  out.push({ name: 'domainAge', value: young.length > 0 ? 1 : 0, evidence: young[0] ?? 'no young domain' });

  const assets = settings.criticalAssets;
  const lower = (xs: string[]) => new Set(xs.map((x) => x.toLowerCase()));
  const hosts = lower(assets.hosts);
  const users = lower(assets.users);
  const accounts = [event.user, event.targetUser, ...(input.accounts ?? [])];
  const criticalUser = accounts.find((u) => u && users.has(u.toLowerCase()));
  const criticalIp = [event.srcIp, event.dstIp].find((ip) => ip && input.inCriticalNetwork(ip));
  const hit = event.host && hosts.has(event.host.toLowerCase()) ? `host ${event.host}` : criticalUser ? `user ${criticalUser}` : criticalIp ? `address ${criticalIp}` : undefined;
  out.push({ name: 'assetCriticality', value: hit ? 1 : 0, evidence: hit ? `critical ${hit}` : 'no critical asset involved' });

  const privileged = accounts.find((u) => u && PRIVILEGED.test(u.replace(/^.*\\/, '')));
  out.push({ name: 'privilegedAccount', value: privileged ? 1 : 0, evidence: privileged ? `privileged account ${privileged}` : 'no privileged account' });

  const tactics = c && c.category !== 'BENIGN' ? c.techniques.flatMap((t) => t.tactics) : [];
  const top = [...tactics].sort((a, b) => (TACTIC_VALUE[b.id] ?? 0) - (TACTIC_VALUE[a.id] ?? 0))[0];
  out.push({ name: 'attackTactic', value: top ? (TACTIC_VALUE[top.id] ?? 0.5) : 0, evidence: top ? `ATT&CK tactic ${top.name}` : 'no ATT&CK tactic' });

  const detections = c?.detections ?? [];
  out.push(
    detections.length > 0
      ? { name: 'repetition', value: 1, evidence: `detection ${detections.map((d) => d.detector).join(', ')}` }
      : { name: 'repetition', value: Math.min(1, Math.log2(Math.max(1, input.occurrenceCount)) / 5), evidence: `seen ${input.occurrenceCount} time${input.occurrenceCount === 1 ? '' : 's'}` },
  );
  return out;
}

export function scoreAlert(input: ScoreInput, settings: ScoreSettings = DEFAULT_SCORE_SETTINGS): RiskScore {
  const raw = factors(input, settings).map((f) => ({ ...f, weight: settings.weights[f.name], exact: settings.weights[f.name] * f.value }));
  // Largest-remainder rounding: whole points per factor that add up exactly to the rounded total.
  const total = Math.round(raw.reduce((sum, f) => sum + f.exact, 0));
  const points = raw.map((f) => Math.floor(f.exact));
  const order = raw.map((f, i) => [f.exact - Math.floor(f.exact), i] as const).sort((a, b) => b[0] - a[0]);
  const missing = total - points.reduce((a, b) => a + b, 0);
  for (let k = 0; k < missing; k++) points[order[k]![1]]! += 1;
  const score = Math.min(100, total);
  const t = settings.thresholds;
  const level: RiskLevel = score >= t.critical ? 'CRITICAL' : score >= t.high ? 'HIGH' : score >= t.medium ? 'MEDIUM' : 'LOW';
  return {
    score,
    level,
    factors: raw.map(({ exact: _exact, ...f }, i) => ({ ...f, value: Math.round(f.value * 1000) / 1000, points: points[i]! })),
  };
}
