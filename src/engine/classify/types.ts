/**
 * Shared vocabulary of the classify stage: categories, severities, and what rules, the text model and
 * stateful detections each contribute. Plain data: no GraphQL, no storage.
 */

export const Category = {
  MALWARE: 'MALWARE',
  PHISHING: 'PHISHING',
  BRUTE_FORCE: 'BRUTE_FORCE',
  BEACONING: 'BEACONING',
  PRIVILEGE_MISUSE: 'PRIVILEGE_MISUSE',
  SUSPICIOUS_ACCESS: 'SUSPICIOUS_ACCESS',
  /** No threat. */
  BENIGN: 'BENIGN',
} as const;
export type Category = (typeof Category)[keyof typeof Category];
export const CATEGORIES = Object.values(Category);

/** Human labels, as the seed's `intent` field shows them. */
export const CATEGORY_LABEL: Record<Category, string> = {
  MALWARE: 'Malware',
  PHISHING: 'Phishing',
  BRUTE_FORCE: 'Brute Force',
  BEACONING: 'Beaconing',
  PRIVILEGE_MISUSE: 'Privilege Misuse',
  SUSPICIOUS_ACCESS: 'Suspicious Access',
  BENIGN: 'Benign',
};

export const Severity = { LOW: 'LOW', MEDIUM: 'MEDIUM', HIGH: 'HIGH', CRITICAL: 'CRITICAL' } as const;
export type Severity = (typeof Severity)[keyof typeof Severity];
export const SEVERITIES = Object.values(Severity);

/**
 * Facts about an event that stateful detections count. Rules declare them (`signals:` in YAML); the
 * classify stage also derives them from normalized fields.
 */
export const Signal = {
  /** A failed authentication (wrong password, unknown user, 4625). */
  AUTH_FAILURE: 'AUTH_FAILURE',
  /** A successful authentication (Accepted password/publickey, 4624). */
  AUTH_SUCCESS: 'AUTH_SUCCESS',
  /** A logon with administrative rights (root, 4672 special privileges, sudo to root). */
  PRIVILEGED_LOGON: 'PRIVILEGED_LOGON',
  /** An outbound connection or request from a host to a destination (firewall allow, proxy, DNS, Zeek conn). */
  NETWORK_CONNECTION: 'NETWORK_CONNECTION',
} as const;
export type Signal = (typeof Signal)[keyof typeof Signal];
export const SIGNALS = Object.values(Signal);

/** Where a piece of the classification came from. */
export const EvidenceSource = { RULE: 'RULE', MODEL: 'MODEL', DETECTION: 'DETECTION' } as const;
export type EvidenceSource = (typeof EvidenceSource)[keyof typeof EvidenceSource];

/** One rule that matched an event. */
export interface RuleMatch {
  ruleId: string;
  /** Pack (file) the rule came from, e.g. `sshd.yaml` or `user:local.yaml`. */
  pack: string;
  title: string;
  description: string;
  category: Category;
  severity: Severity;
  /** How sure the rule is that the event is its category (0..1). */
  confidence: number;
  /** ATT&CK technique ids (T1110, T1110.001, ...). */
  techniques: string[];
  signals: Signal[];
  /** What matched, for the explanation: e.g. `message contains "Failed password"`. */
  matched: string[];
}

/** The text model's answer for one event. */
export interface ModelPrediction {
  category: Category;
  confidence: number;
  /** Probability per category, summing to 1. */
  probabilities: Record<Category, number>;
  /** The features that pushed most toward `category`, strongest first. */
  topFeatures: Array<{ feature: string; weight: number }>;
}

/** A stateful detection that fired on the alert completing it. */
export interface DetectionHit {
  /** e.g. `brute-force`, `password-spraying`, `success-after-failures`, `beaconing`, `first-admin-logon`. */
  detector: string;
  category: Category;
  confidence: number;
  severity: Severity;
  techniques: string[];
  /** One line for people: "12 failed logins from 185.22.13.9 within 60 s". */
  description: string;
  /** The earlier alerts the detection used (and this one). */
  relatedAlertIds: string[];
  /** Detector-specific numbers (count, window, interval mean, score). */
  facts: Record<string, number | string>;
}
