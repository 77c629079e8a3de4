/**
 * Which executor does each containment: the configured HTTP endpoint of its system (firewall for
 * blocks, EDR for isolations, directory for accounts), or the simulated one, which changes nothing
 * outside Vigil and only records what it would do (the plan, with its commands).
 */
import type { Logger } from '../../../logger.js';
import { ActionKind } from '../types.js';
import { createHttpExecutor, type ExecutionInput, type ExecutionOutcome } from './http-executor.js';
import type { ActionSettings } from './settings.js';

export interface Executor {
  /** `simulated`, or `http:firewall`, `http:edr`, `http:directory`. */
  name: string;
  run(input: ExecutionInput): Promise<ExecutionOutcome>;
}

export const SIMULATED = 'simulated';

const SYSTEM_OF: Partial<Record<ActionKind, keyof ActionSettings['executors']>> = {
  BLOCK_IP: 'firewall',
  UNBLOCK_IP: 'firewall',
  ISOLATE_HOST: 'edr',
  RELEASE_HOST: 'edr',
  DISABLE_USER: 'directory',
  RESET_PASSWORD: 'directory',
};

const simulated: Executor = {
  name: SIMULATED,
  run: async () => ({ ok: true, detail: { simulated: true, note: 'simulated executor: nothing outside Vigil was changed; `plan` is what a real executor would do' } }),
};

export function createExecutors(settings: Pick<ActionSettings, 'executors' | 'executorTimeoutMs'>, clock: () => number, logger: Logger) {
  const byKind = new Map<ActionKind, Executor>();
  for (const [kind, system] of Object.entries(SYSTEM_OF) as Array<[ActionKind, keyof ActionSettings['executors']]>) {
    const target = settings.executors[system];
    if (target) byKind.set(kind, createHttpExecutor(system, target, { timeoutMs: settings.executorTimeoutMs, clock, logger }));
  }
  return {
    /** The executor of a containment kind (simulated unless its system has an endpoint). */
    of: (kind: ActionKind): Executor => byKind.get(kind) ?? simulated,
  };
}

export type Executors = ReturnType<typeof createExecutors>;
