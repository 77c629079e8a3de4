/**
 * Thresholds, windows and lists of the stateful detections. Plain numbers and string lists so that
 * `config.ts` can map environment variables onto them; windows are in milliseconds of event time.
 */

export interface DetectionSettings {
  /** Brute force: this many AUTH_FAILURE from one source... (default 10) */
  bruteForceThreshold: number;
  /** ...within this window (default 120 000 ms: Wazuh's sshd rule 5712 counts 8 in 120 s; 10 keeps a burst of ten in one hit). */
  bruteForceWindowMs: number;

  /** Password spraying: AUTH_FAILURE against at least this many distinct accounts from one source IP... (default 5) */
  sprayDistinctUsers: number;
  /** ...within this window (default 600 000 ms: sprays go slowly to stay under lockout thresholds). */
  sprayWindowMs: number;
  /** ...with at most this many failures per account on average: more is brute force on a few accounts (default 3). */
  sprayMaxAttemptsPerUser: number;

  /** Success after failures: an AUTH_SUCCESS preceded by at least this many failures from its source or for its account... (default 5) */
  successAfterFailuresThreshold: number;
  /** ...within this window (default 600 000 ms). */
  successAfterFailuresWindowMs: number;

  /** Beaconing: no score below this many connections (distinct seconds) in the window (default 10; see `beaconFullConnections`). */
  beaconMinConnections: number;
  /**
   * Connections at which the count part of the score reaches 1 (default 24, one an hour over a day). With
   * the 0.8 threshold a perfectly regular series needs 10 connections, hence `beaconMinConnections`.
   */
  beaconFullConnections: number;
  /** Window over which connections of one pair are scored (default 86 400 000 ms, RITA's day). */
  beaconWindowMs: number;
  /** Score (0..1) from which a pair is reported (default 0.8). */
  beaconScoreThreshold: number;
  /** Median absolute deviation, relative to the median interval, at which the dispersion score reaches 0 (default 0.3). */
  beaconMaxJitter: number;
  /** At most this many recent connections are scored per event, which bounds the cost (default 100: enough for quartiles, ~40 µs). */
  beaconMaxSamples: number;
  /** Destination ports never scored: NTP polls on a fixed period by design (default [123]). */
  beaconIgnorePorts: number[];
  /**
   * Destinations never scored: an entry matches a host name equal to it or ending in `.entry`, or an IP
   * equal to it. The default holds public time servers and OS update services, which poll on a schedule.
   */
  beaconAllowlist: string[];

  /**
   * First admin logon: nothing fires until PRIVILEGED_LOGON events spanning this long have been seen, so a
   * fresh install learns its baseline instead of flagging every account (default 604 800 000 ms: a week
   * covers weekly maintenance). Tests set 0.
   */
  firstAdminLearningMs: number;
  /** Accounts never reported (case-insensitive, `*` at the end matches a prefix; machine accounts `...$` always skipped). */
  firstAdminIgnoreAccounts: string[];

  /**
   * Brute force and success-after-failures, once fired for an entity, fire again within their window only
   * when their count has grown this much (default 2). Spraying and beaconing report once per window.
   */
  refireFactor: number;
  /** A hit names every alert that completed it; beyond this many (default 100), the newest ones, this one last. */
  maxRelatedAlerts: number;
  /**
   * Counting in a window stops here, which bounds every query in a storm (default 1000): beyond it a hit
   * says `1000+`, and a detection that fired at more than half of it fires again only after its window.
   */
  countCap: number;
  /** Old observations are swept once every this many inserts (default 1000). */
  pruneEvery: number;
}

export const DEFAULT_BEACON_ALLOWLIST: readonly string[] = [
  // Time services (NTP over port 123 is skipped anyway; these also cover HTTPS time checks and SNTP via proxies).
  'pool.ntp.org',
  'time.windows.com',
  'time.nist.gov',
  'time.google.com',
  'time.apple.com',
  'time.cloudflare.com',
  'time.aws.com',
  'ntp.ubuntu.com',
  // OS and package update services.
  'windowsupdate.com',
  'update.microsoft.com',
  'delivery.mp.microsoft.com',
  'swscan.apple.com',
  'mesu.apple.com',
  'archive.ubuntu.com',
  'security.ubuntu.com',
  'deb.debian.org',
  'security.debian.org',
  'mirrors.fedoraproject.org',
];

export const DEFAULT_DETECTION_SETTINGS: DetectionSettings = {
  bruteForceThreshold: 10,
  bruteForceWindowMs: 120_000,
  sprayDistinctUsers: 5,
  sprayWindowMs: 600_000,
  sprayMaxAttemptsPerUser: 3,
  successAfterFailuresThreshold: 5,
  successAfterFailuresWindowMs: 600_000,
  beaconMinConnections: 10,
  beaconFullConnections: 24,
  beaconWindowMs: 86_400_000,
  beaconScoreThreshold: 0.8,
  beaconMaxJitter: 0.3,
  beaconMaxSamples: 100,
  beaconIgnorePorts: [123],
  beaconAllowlist: [...DEFAULT_BEACON_ALLOWLIST],
  firstAdminLearningMs: 604_800_000,
  // Windows service identities get 4672 at every logon: they say nothing about people.
  firstAdminIgnoreAccounts: ['system', 'local service', 'network service', 'anonymous logon', 'dwm-*', 'umfd-*'],
  refireFactor: 2,
  maxRelatedAlerts: 100,
  countCap: 1000,
  pruneEvery: 1000,
};

/** Observations are kept as long as the longest window needs them. */
export function retentionMs(s: DetectionSettings): number {
  return Math.max(s.bruteForceWindowMs, s.sprayWindowMs, s.successAfterFailuresWindowMs, s.beaconWindowMs);
}

export function resolveSettings(overrides: Partial<DetectionSettings> = {}): DetectionSettings {
  const s: DetectionSettings = { ...DEFAULT_DETECTION_SETTINGS, ...overrides };
  const positive: Array<keyof DetectionSettings> = [
    'bruteForceThreshold',
    'sprayDistinctUsers',
    'successAfterFailuresThreshold',
    'beaconMinConnections',
    'beaconFullConnections',
    'beaconMaxSamples',
    'maxRelatedAlerts',
    'countCap',
    'pruneEvery',
  ];
  for (const key of positive) {
    const v = s[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`detection setting ${key} must be a positive integer, got ${String(v)}`);
  }
  for (const key of ['bruteForceWindowMs', 'sprayWindowMs', 'successAfterFailuresWindowMs', 'beaconWindowMs', 'sprayMaxAttemptsPerUser'] as const) {
    if (!(s[key] > 0)) throw new Error(`detection setting ${key} must be positive, got ${s[key]}`);
  }
  if (!(s.firstAdminLearningMs >= 0)) throw new Error('detection setting firstAdminLearningMs must be 0 or more');
  if (s.beaconMinConnections < 3) throw new Error('detection setting beaconMinConnections must be at least 3: two intervals make no distribution');
  if (s.beaconMaxSamples < s.beaconMinConnections) throw new Error('detection setting beaconMaxSamples must be at least beaconMinConnections');
  if (!(s.refireFactor > 1)) throw new Error('detection setting refireFactor must be greater than 1');
  if (!(s.beaconMaxJitter > 0)) throw new Error('detection setting beaconMaxJitter must be positive');
  return s;
}
