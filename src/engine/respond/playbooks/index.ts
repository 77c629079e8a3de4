/**
 * The loaded playbooks: the current set by name, its load errors, reloading, and every version ever loaded
 * (stored by hash in playbook_versions, so a run started with an older text still runs that text).
 */
import type { Clock } from '../../../clock.js';
import type { PlaybookStore } from '../../../store/playbook-store.js';
import { transactionsOf } from '../../../store/transactions.js';
import type Database from 'better-sqlite3';
import { conditionHolds, type ConditionSubject } from './conditions.js';
import { loadPlaybooks, type Playbook, type PlaybookLoad } from './loader.js';
import { parsePlaybook, type PlaybookLoadError } from './parse.js';
import type { PlaybookSpec, TriggerEvent } from './schema.js';

export type { Playbook } from './loader.js';
export type { PlaybookLoadError } from './parse.js';

export interface PlaybooksDeps {
  sqlite: Database.Database;
  store: PlaybookStore;
  clock: Clock;
  shippedDir?: string | undefined;
  userDir?: string | undefined;
  /** Told about every problem found at (re)load. */
  onError?: (error: PlaybookLoadError) => void;
}

export function createPlaybooks(deps: PlaybooksDeps) {
  let current: PlaybookLoad = { playbooks: [], errors: [], overrides: [] };
  let byName = new Map<string, Playbook>();
  const specs = new Map<string, PlaybookSpec>();

  function reload(): PlaybookLoad {
    const load = loadPlaybooks({ shippedDir: deps.shippedDir, userDir: deps.userDir });
    const now = deps.clock();
    transactionsOf(deps.sqlite).run(() => {
      for (const p of load.playbooks) deps.store.record({ hash: p.hash, name: p.name, origin: p.originLabel, source: p.source, loadedAt: now });
    });
    for (const p of load.playbooks) specs.set(p.hash, p);
    current = load;
    byName = new Map(load.playbooks.map((p) => [p.name, p]));
    for (const error of load.errors) deps.onError?.(error);
    return load;
  }
  reload();

  return {
    reload,
    list: (): readonly Playbook[] => current.playbooks,
    get: (name: string): Playbook | undefined => byName.get(name),
    errors: (): readonly PlaybookLoadError[] => current.errors,
    overrides: () => current.overrides,
    /** The playbook text of a stored version, parsed (cached): what a run with that hash executes. */
    spec(hash: string): PlaybookSpec | undefined {
      const cached = specs.get(hash);
      if (cached) return cached;
      const version = deps.store.get(hash);
      if (!version) return undefined;
      const parsed = parsePlaybook(version.source, version.origin).spec;
      if (parsed) specs.set(hash, parsed);
      return parsed;
    },
    /** The YAML text of a stored version. */
    source: (hash: string): string | undefined => current.playbooks.find((p) => p.hash === hash)?.source ?? deps.store.get(hash)?.source,
    /** Enabled playbooks that `event` starts and whose trigger conditions `subject` meets. */
    triggeredBy(event: TriggerEvent, subject: ConditionSubject): Playbook[] {
      return current.playbooks.filter((p) => p.enabled && (p.trigger.on as readonly string[]).includes(event) && conditionHolds(p.trigger.when, subject));
    },
    /** For recommendations: enabled playbooks whose trigger conditions hold, with the action kinds they take. */
    forSubject(subject: ConditionSubject): Array<{ name: string; actionKinds: string[] }> {
      return current.playbooks
        .filter((p) => p.enabled && conditionHolds(p.trigger.when, subject))
        .map((p) => ({ name: p.name, actionKinds: [...new Set(p.steps.map((s) => s.action))] }));
    },
  };
}

export type Playbooks = ReturnType<typeof createPlaybooks>;
