/**
 * The only reader of process.env. Every setting is typed, validated and has a documented default;
 * the README's configuration table mirrors `settings` below.
 */
import { z } from 'zod';
import { DEFAULT_BEACON_ALLOWLIST, type DetectionSettings } from './engine/classify/detections/index.js';
import type { CorrelationSettings } from './engine/correlate/correlator.js';
import { DEFAULT_SCORE_SETTINGS, FACTORS, type ScoreSettings } from './engine/score/model.js';
import { defaultRouting, loadNotifyFile, NotifyConfigError, type NotifyRouting } from './engine/notify/config.js';
import type { NotifySettings } from './engine/notify/index.js';
import type { ActionSettings } from './engine/respond/actions/settings.js';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const httpUrl = z.string().refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), 'must be an http:// or https:// URL');

const settings = {
  PORT: int(0, 65535).default(4000).describe('TCP port of the HTTP/GraphQL server'),
  HOST: z.string().min(1).default('127.0.0.1').describe('interface to bind; loopback by default'),
  VIGIL_DB: z.string().min(1).default('./data/vigil.db').describe("SQLite file, or ':memory:'"),
  VIGIL_DB_SYNCHRONOUS: z
    .enum(['NORMAL', 'FULL'])
    .default('NORMAL')
    .describe('SQLite synchronous pragma: NORMAL survives a killed process, FULL also power loss'),
  VIGIL_ADMIN_TOKEN: z
    .string()
    .min(16, 'VIGIL_ADMIN_TOKEN must be at least 16 characters')
    .optional()
    .describe('when set, accepted as an admin API key'),
  VIGIL_MAX_ALERT_BYTES: int(256, 16 * 1024 * 1024).default(65_536).describe('largest accepted alert, in bytes'),
  VIGIL_MAX_REQUEST_BYTES: int(1024, 1024 * 1024 * 1024).default(16 * 1024 * 1024).describe('largest HTTP body or WebSocket message'),
  VIGIL_MAX_BATCH: int(1, 100_000).default(1000).describe('most alerts in one submitAlerts call'),
  VIGIL_DEDUP_WINDOW_MS: int(0, 30 * 24 * 3600 * 1000)
    .default(600_000)
    .describe('an identical alert within this window (since its last sighting) is an occurrence'),
  VIGIL_MAX_PAGE: int(1, 10_000).default(100).describe('largest `first` of a connection'),
  VIGIL_PIPELINE_BATCH: int(1, 10_000).default(256).describe('most pipeline jobs run (and committed) together'),
  VIGIL_WORKER_CONCURRENCY: int(1, 64).default(2).describe('pipeline batches in flight at once'),
  VIGIL_SHUTDOWN_TIMEOUT_MS: int(0, 600_000).default(15_000).describe('longest wait for in-flight work at shutdown'),
  VIGIL_ANALYZE_TIMEOUT_MS: int(100, 300_000).default(10_000).describe('how long POST /api/analyze waits for the pipeline before answering 202'),
  VIGIL_RULES_DIR: z.string().min(1).optional().describe('a directory of your own YAML rule packs, loaded beside the shipped ones'),
  VIGIL_BRUTE_FORCE_THRESHOLD: int(2, 100_000).default(10).describe('failed logins from one source that make a brute-force detection'),
  VIGIL_BRUTE_FORCE_WINDOW_MS: int(1000, 86_400_000).default(120_000).describe('...within this time (event time)'),
  VIGIL_SPRAY_USERS: int(2, 10_000).default(5).describe('distinct accounts failed from one source that make password spraying'),
  VIGIL_SPRAY_WINDOW_MS: int(1000, 86_400_000).default(600_000).describe('...within this time'),
  VIGIL_SUCCESS_AFTER_FAILURES: int(1, 10_000).default(5).describe('failures before a successful login that make it suspicious'),
  VIGIL_BEACON_MIN_CONNECTIONS: int(4, 10_000).default(10).describe('connections of one host to one destination before beaconing is scored'),
  VIGIL_BEACON_SCORE: z.coerce.number().min(0).max(1).default(0.8).describe('beacon regularity score (0..1) that makes a detection'),
  VIGIL_BEACON_ALLOWLIST: z.string().optional().describe('comma-separated destinations never scored as beacons, added to the shipped list'),
  VIGIL_FIRST_ADMIN_LEARNING_MS: int(0, 365 * 86_400_000).default(604_800_000).describe('learning period before first-seen admin logons are reported'),
  VIGIL_ENRICH_NETWORK: z.enum(['on', 'off']).default('on').describe('off: no DNS, RDAP, WHOIS or reputation lookups (feeds and cache still work)'),
  VIGIL_DNS_SERVERS: z.string().optional().describe('comma-separated resolvers (host or host:port) for DNS enrichment; default: the system resolvers'),
  VIGIL_FEEDS_FILE: z.string().optional().describe('a JSON file listing threat-intel feeds and warning lists to load'),
  VIGIL_ORG_NETWORKS: z.string().optional().describe("comma-separated CIDRs and domains of your own organisation (a warning list: never malicious by feeds alone)"),
  VIGIL_SHARE_AMBER: z.enum(['true', 'false']).default('false').describe('send TLP:AMBER indicators to online reputation services'),
  VIGIL_ABUSEIPDB_KEY: z.string().optional().describe('AbuseIPDB API key (enables the provider)'),
  VIGIL_VIRUSTOTAL_KEY: z.string().optional().describe('VirusTotal API key (enables the provider)'),
  VIGIL_GREYNOISE_KEY: z.string().optional().describe('GreyNoise API key (enables the provider)'),
  VIGIL_OTX_KEY: z.string().optional().describe('AlienVault OTX API key (enables the provider)'),
  VIGIL_GEOIP_DB: z.string().optional().describe('MaxMind-format (.mmdb) GeoIP and ASN database files, comma-separated'),
  VIGIL_RISK_THRESHOLDS: z
    .string()
    .regex(/^\d{1,3},\d{1,3},\d{1,3}$/, 'three ascending scores "medium,high,critical", e.g. 20,40,70')
    .default('20,40,70')
    .describe('lowest score of MEDIUM, HIGH and CRITICAL'),
  VIGIL_SCORE_WEIGHTS: z.string().optional().describe('JSON object of factor weights (summing to 100) replacing the defaults'),
  VIGIL_CRITICAL_HOSTS: z.string().optional().describe('comma-separated critical host names'),
  VIGIL_CRITICAL_USERS: z.string().optional().describe('comma-separated critical accounts (VIPs, service accounts)'),
  VIGIL_CRITICAL_NETWORKS: z.string().optional().describe('comma-separated critical networks (CIDR)'),
  VIGIL_CASE_WINDOW_MS: int(60_000, 90 * 86_400_000).default(86_400_000).describe('how long after its last alert a case still takes related alerts (event time)'),
  VIGIL_CASE_OPEN_SCORE: int(0, 101).default(40).describe('lowest score that opens a case for an alert no open case claims (101: never)'),
  VIGIL_CASE_JOIN_THRESHOLD: z.coerce.number().min(0.01).max(10).default(0.5).describe('summed significance of shared indicators that joins an alert to a case'),
  VIGIL_CASE_IOC_MAX_HOSTS: int(1, 10_000).default(5).describe('an indicator reported by more distinct hosts than this (among its latest 200 alerts) links nothing'),
  VIGIL_CASE_STORM_THRESHOLD: int(1, 10_000).default(3).describe('cases of one kind opened within the storm window before more alerts of that kind fold into the latest'),
  VIGIL_CASE_STORM_WINDOW_MS: int(1000, 86_400_000).default(600_000).describe('the alert-storm window'),
  VIGIL_NOTIFY_FILE: z.string().min(1).optional().describe('a YAML or JSON file of notification channels and routes; default: every event to the file channel `outbox`'),
  VIGIL_OUTBOX_DIR: z.string().min(1).default('./data/outbox').describe('directory of the default `outbox` file channel (one JSON file per notification)'),
  VIGIL_NOTIFY_MAX_ATTEMPTS: int(1, 100).default(8).describe('delivery attempts of a notification before it is DEAD'),
  VIGIL_NOTIFY_BACKOFF_MS: int(100, 86_400_000).default(10_000).describe('delay before the first retry; doubles at each failure'),
  VIGIL_NOTIFY_BACKOFF_MAX_MS: int(100, 7 * 86_400_000).default(3_600_000).describe('longest delay between retries'),
  VIGIL_NOTIFY_JITTER: z.coerce.number().min(0).max(1).default(0.2).describe('each retry delay is shortened by up to this fraction at random (0: exact)'),
  VIGIL_NOTIFY_TIMEOUT_MS: int(100, 300_000).default(10_000).describe('longest a single delivery may take'),
  VIGIL_NOTIFY_POLL_MS: int(50, 3_600_000).default(5_000).describe('how often the deliverer looks for due notifications (new ones also wake it)'),
  VIGIL_PROTECTED_HOSTS: z.string().optional().describe('comma-separated addresses, CIDRs and host names that response actions never block or isolate'),
  VIGIL_VIP_USERS: z.string().optional().describe('comma-separated accounts never disabled or reset (root and Administrator always are protected)'),
  VIGIL_MAX_ACTIONS_PER_RUN: int(1, 10_000).default(10).describe('most containment actions (block, isolate, disable, reset) one playbook run may take'),
  VIGIL_MAX_ACTIONS_PER_HOUR: int(1, 1_000_000).default(50).describe('most containment actions in any hour, across runs'),
  VIGIL_ACTION_TTL_MS: int(1000, 90 * 86_400_000).default(86_400_000).describe('how long a block or isolation lasts when its action names no ttl'),
  VIGIL_ACTION_REVERT_INTERVAL_MS: int(1000, 3_600_000).default(30_000).describe('how often expired blocks and isolations are looked for and reverted'),
  VIGIL_ESCALATION_GROUP: z.string().min(1).max(100).default('tier2').describe('the group ESCALATE assigns cases to when the action names none'),
  VIGIL_ACTIONS_DIR: z.string().min(1).optional().describe('when set, each action artifact is also written there as <action id>.json'),
  VIGIL_EXECUTOR_FIREWALL_URL: httpUrl.optional().describe('real executor of BLOCK_IP/UNBLOCK_IP: POST JSON to this URL (default: simulated)'),
  VIGIL_EXECUTOR_FIREWALL_TOKEN: z.string().optional().describe('bearer token sent to the firewall executor'),
  VIGIL_EXECUTOR_FIREWALL_HMAC_SECRET: z.string().optional().describe('HMAC-SHA256 secret signing requests to the firewall executor'),
  VIGIL_EXECUTOR_EDR_URL: httpUrl.optional().describe('real executor of ISOLATE_HOST/RELEASE_HOST (default: simulated)'),
  VIGIL_EXECUTOR_EDR_TOKEN: z.string().optional().describe('bearer token sent to the EDR executor'),
  VIGIL_EXECUTOR_EDR_HMAC_SECRET: z.string().optional().describe('HMAC-SHA256 secret signing requests to the EDR executor'),
  VIGIL_EXECUTOR_DIRECTORY_URL: httpUrl.optional().describe('real executor of DISABLE_USER/RESET_PASSWORD (default: simulated)'),
  VIGIL_EXECUTOR_DIRECTORY_TOKEN: z.string().optional().describe('bearer token sent to the directory executor'),
  VIGIL_EXECUTOR_DIRECTORY_HMAC_SECRET: z.string().optional().describe('HMAC-SHA256 secret signing requests to the directory executor'),
  VIGIL_EXECUTOR_TIMEOUT_MS: int(100, 300_000).default(10_000).describe('longest wait for a real executor; past it the action is FAILED'),
  VIGIL_PLAYBOOKS_DIR: z.string().min(1).optional().describe('a directory of your own YAML playbooks, loaded beside the shipped ones (same name: yours replaces the shipped one)'),
  VIGIL_PLAYBOOK_TRIGGERS: z.enum(['on', 'off']).default('on').describe('off: no playbook starts on its own (a kill switch for automation); runPlaybook still works'),
  VIGIL_PLAYBOOK_SWEEP_MS: int(100, 3_600_000).default(5_000).describe('how often expired approvals, overdue steps and undriven playbook runs are looked for'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level'),
} as const;

const configSchema = z.object(settings);

export interface Config {
  port: number;
  host: string;
  dbPath: string;
  dbSynchronous: 'NORMAL' | 'FULL';
  adminToken: string | undefined;
  maxAlertBytes: number;
  maxRequestBytes: number;
  maxBatch: number;
  dedupWindowMs: number;
  maxPage: number;
  pipelineBatch: number;
  workerConcurrency: number;
  shutdownTimeoutMs: number;
  analyzeTimeoutMs: number;
  rulesDir: string | undefined;
  detections: Partial<DetectionSettings>;
  score: ScoreSettings;
  correlation: CorrelationSettings;
  enrichment: {
    network: boolean;
    dnsServers: string[] | undefined;
    feedsFile: string | undefined;
    orgNetworks: string[];
    shareAmber: boolean;
    apiKeys: { abuseipdb?: string | undefined; virustotal?: string | undefined; greynoise?: string | undefined; otx?: string | undefined };
    geoipDb: string | undefined;
  };
  notify: NotifySettings;
  actions: ActionSettings;
  playbooks: { dir: string | undefined; triggers: boolean; sweepIntervalMs: number };
  logLevel: z.infer<typeof settings.LOG_LEVEL>;
}

const weightsSchema = z.partialRecord(z.enum(FACTORS), z.number().min(0).max(100));

function scoreSettings(thresholds: string, weightsJson: string | undefined, criticalAssets: ScoreSettings['criticalAssets']): ScoreSettings {
  const [medium, high, critical] = thresholds.split(',').map(Number) as [number, number, number];
  if (!(medium < high && high < critical && critical <= 100)) throw new ConfigError(`invalid configuration: VIGIL_RISK_THRESHOLDS must ascend within 0-100, got ${thresholds}`);
  let weights = DEFAULT_SCORE_SETTINGS.weights;
  if (weightsJson) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(weightsJson);
    } catch (error) {
      throw new ConfigError(`invalid configuration: VIGIL_SCORE_WEIGHTS is not JSON: ${(error as Error).message}`);
    }
    const result = weightsSchema.safeParse(parsed);
    if (!result.success) throw new ConfigError(`invalid configuration: VIGIL_SCORE_WEIGHTS: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    weights = { ...weights, ...result.data };
    const sum = Object.values(weights).reduce((a, b) => a + b, 0);
    // Factors must add up to the score, so the weights must make exactly 100.
    if (Math.abs(sum - 100) > 1e-9) throw new ConfigError(`invalid configuration: VIGIL_SCORE_WEIGHTS must sum to 100 with the defaults they leave, got ${sum}`);
  }
  return { weights, thresholds: { medium, high, critical }, criticalAssets };
}

function list(value: string | undefined): string[] | undefined {
  const items = value?.split(',').map((s) => s.trim()).filter(Boolean);
  return items?.length ? items : undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Notification channels and routes from VIGIL_NOTIFY_FILE (secrets may name variables of `env`), or the default outbox. */
function notifyRouting(file: string | undefined, outboxDir: string, env: Record<string, string | undefined>): NotifyRouting {
  try {
    return file ? loadNotifyFile(file, env) : defaultRouting(outboxDir);
  } catch (error) {
    if (error instanceof NotifyConfigError) throw new ConfigError(error.message);
    throw error;
  }
}

/** Reads and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set", as in most shells' `VAR= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const c = parsed.data;
  return {
    port: c.PORT,
    host: c.HOST,
    dbPath: c.VIGIL_DB,
    dbSynchronous: c.VIGIL_DB_SYNCHRONOUS,
    adminToken: c.VIGIL_ADMIN_TOKEN,
    maxAlertBytes: c.VIGIL_MAX_ALERT_BYTES,
    maxRequestBytes: c.VIGIL_MAX_REQUEST_BYTES,
    maxBatch: c.VIGIL_MAX_BATCH,
    dedupWindowMs: c.VIGIL_DEDUP_WINDOW_MS,
    maxPage: c.VIGIL_MAX_PAGE,
    pipelineBatch: c.VIGIL_PIPELINE_BATCH,
    workerConcurrency: c.VIGIL_WORKER_CONCURRENCY,
    shutdownTimeoutMs: c.VIGIL_SHUTDOWN_TIMEOUT_MS,
    analyzeTimeoutMs: c.VIGIL_ANALYZE_TIMEOUT_MS,
    rulesDir: c.VIGIL_RULES_DIR,
    detections: {
      bruteForceThreshold: c.VIGIL_BRUTE_FORCE_THRESHOLD,
      bruteForceWindowMs: c.VIGIL_BRUTE_FORCE_WINDOW_MS,
      sprayDistinctUsers: c.VIGIL_SPRAY_USERS,
      sprayWindowMs: c.VIGIL_SPRAY_WINDOW_MS,
      successAfterFailuresThreshold: c.VIGIL_SUCCESS_AFTER_FAILURES,
      beaconMinConnections: c.VIGIL_BEACON_MIN_CONNECTIONS,
      beaconScoreThreshold: c.VIGIL_BEACON_SCORE,
      beaconAllowlist: [...DEFAULT_BEACON_ALLOWLIST, ...(list(c.VIGIL_BEACON_ALLOWLIST) ?? []).map((s) => s.toLowerCase())],
      firstAdminLearningMs: c.VIGIL_FIRST_ADMIN_LEARNING_MS,
    },
    score: scoreSettings(c.VIGIL_RISK_THRESHOLDS, c.VIGIL_SCORE_WEIGHTS, {
      hosts: list(c.VIGIL_CRITICAL_HOSTS) ?? [],
      users: list(c.VIGIL_CRITICAL_USERS) ?? [],
      networks: list(c.VIGIL_CRITICAL_NETWORKS) ?? [],
    }),
    correlation: {
      windowMs: c.VIGIL_CASE_WINDOW_MS,
      openScore: c.VIGIL_CASE_OPEN_SCORE,
      joinThreshold: c.VIGIL_CASE_JOIN_THRESHOLD,
      maxSpread: c.VIGIL_CASE_IOC_MAX_HOSTS,
      stormThreshold: c.VIGIL_CASE_STORM_THRESHOLD,
      stormWindowMs: c.VIGIL_CASE_STORM_WINDOW_MS,
    },
    enrichment: {
      network: c.VIGIL_ENRICH_NETWORK === 'on',
      dnsServers: list(c.VIGIL_DNS_SERVERS),
      feedsFile: c.VIGIL_FEEDS_FILE,
      orgNetworks: list(c.VIGIL_ORG_NETWORKS) ?? [],
      shareAmber: c.VIGIL_SHARE_AMBER === 'true',
      apiKeys: { abuseipdb: c.VIGIL_ABUSEIPDB_KEY, virustotal: c.VIGIL_VIRUSTOTAL_KEY, greynoise: c.VIGIL_GREYNOISE_KEY, otx: c.VIGIL_OTX_KEY },
      geoipDb: c.VIGIL_GEOIP_DB,
    },
    notify: {
      routing: notifyRouting(c.VIGIL_NOTIFY_FILE, c.VIGIL_OUTBOX_DIR, present),
      maxAttempts: c.VIGIL_NOTIFY_MAX_ATTEMPTS,
      backoffBaseMs: c.VIGIL_NOTIFY_BACKOFF_MS,
      backoffMaxMs: Math.max(c.VIGIL_NOTIFY_BACKOFF_MS, c.VIGIL_NOTIFY_BACKOFF_MAX_MS),
      jitter: c.VIGIL_NOTIFY_JITTER,
      timeoutMs: c.VIGIL_NOTIFY_TIMEOUT_MS,
      pollMs: c.VIGIL_NOTIFY_POLL_MS,
      batchSize: 20,
    },
    actions: {
      orgNetworks: list(c.VIGIL_ORG_NETWORKS) ?? [],
      protectedHosts: list(c.VIGIL_PROTECTED_HOSTS) ?? [],
      vipUsers: list(c.VIGIL_VIP_USERS) ?? [],
      maxPerRun: c.VIGIL_MAX_ACTIONS_PER_RUN,
      maxPerHour: c.VIGIL_MAX_ACTIONS_PER_HOUR,
      defaultTtlMs: c.VIGIL_ACTION_TTL_MS,
      escalationGroup: c.VIGIL_ESCALATION_GROUP,
      revertIntervalMs: c.VIGIL_ACTION_REVERT_INTERVAL_MS,
      actionsDir: c.VIGIL_ACTIONS_DIR,
      executors: {
        firewall: executorTarget(c.VIGIL_EXECUTOR_FIREWALL_URL, c.VIGIL_EXECUTOR_FIREWALL_TOKEN, c.VIGIL_EXECUTOR_FIREWALL_HMAC_SECRET),
        edr: executorTarget(c.VIGIL_EXECUTOR_EDR_URL, c.VIGIL_EXECUTOR_EDR_TOKEN, c.VIGIL_EXECUTOR_EDR_HMAC_SECRET),
        directory: executorTarget(c.VIGIL_EXECUTOR_DIRECTORY_URL, c.VIGIL_EXECUTOR_DIRECTORY_TOKEN, c.VIGIL_EXECUTOR_DIRECTORY_HMAC_SECRET),
      },
      executorTimeoutMs: c.VIGIL_EXECUTOR_TIMEOUT_MS,
    },
    playbooks: { dir: c.VIGIL_PLAYBOOKS_DIR, triggers: c.VIGIL_PLAYBOOK_TRIGGERS === 'on', sweepIntervalMs: c.VIGIL_PLAYBOOK_SWEEP_MS },
    logLevel: c.LOG_LEVEL,
  };
}

/** A real executor when its URL is set (simulated otherwise). */
function executorTarget(url: string | undefined, token: string | undefined, hmacSecret: string | undefined) {
  return url ? { url, token, hmacSecret } : undefined;
}

/** The documented settings, for the README table and `--help`. */
export function describeSettings(): Array<{ name: string; description: string; default: unknown }> {
  return Object.entries(settings).map(([name, schema]) => ({
    name,
    description: schema.description ?? '',
    default: schema.safeParse(undefined).success ? schema.safeParse(undefined).data : undefined,
  }));
}
