/** What the action service is configured with (built by src/config.ts from the environment). */

/** A real executor: an HTTP endpoint of a firewall, an EDR or a directory, called with POST JSON. */
export interface HttpExecutorTarget {
  url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string | undefined;
  /** Signs `<timestamp>.<body>` with HMAC-SHA256 (`X-Vigil-Signature: sha256=<hex>`). */
  hmacSecret?: string | undefined;
}

export interface ActionSettings {
  /** CIDRs and domains of the organisation (VIGIL_ORG_NETWORKS): never blocked. */
  orgNetworks: string[];
  /** Addresses, CIDRs and host names never blocked or isolated (VIGIL_PROTECTED_HOSTS). */
  protectedHosts: string[];
  /** Accounts never disabled or reset (VIGIL_VIP_USERS), besides root and Administrator. */
  vipUsers: string[];
  /** Most containment actions one playbook run may request. */
  maxPerRun: number;
  /** Most containment actions in any hour, across runs and people. */
  maxPerHour: number;
  /** How long a block or isolation lasts when the request names no ttl. */
  defaultTtlMs: number;
  /** The group ESCALATE assigns to when the request names none. */
  escalationGroup: string;
  /** How often expired blocks and isolations are looked for. */
  revertIntervalMs: number;
  /** When set, every artifact is also written there as `<action id>.json`. */
  actionsDir: string | undefined;
  /** Real executors; a kind whose target is absent is simulated. */
  executors: { firewall?: HttpExecutorTarget | undefined; edr?: HttpExecutorTarget | undefined; directory?: HttpExecutorTarget | undefined };
  /** Longest wait for a real executor's answer. */
  executorTimeoutMs: number;
}

export const DEFAULT_ACTION_SETTINGS: ActionSettings = {
  orgNetworks: [],
  protectedHosts: [],
  vipUsers: [],
  maxPerRun: 10,
  maxPerHour: 50,
  defaultTtlMs: 86_400_000,
  escalationGroup: 'tier2',
  revertIntervalMs: 30_000,
  actionsDir: undefined,
  executors: {},
  executorTimeoutMs: 10_000,
};
