/**
 * Optionally keeps each action's artifact as a JSON file (`VIGIL_ACTIONS_DIR/<action id>.json`, rewritten
 * as the action changes). File names come from action ids alone, checked against their shape, never from
 * alert text; writes go to a temporary file first so a reader never sees half a file.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionRecord } from '../../../store/records.js';

const ACTION_ID = /^act_[0-9a-z]{26}$/;

export function createArtifactFiles(dir: string | undefined, onError: (error: unknown, actionId: string) => void) {
  let ready = false;
  return {
    enabled: dir !== undefined,
    /** Writes the action as it is now; a failure is reported, never thrown (the database row is the record). */
    write(action: ActionRecord): void {
      if (!dir || !ACTION_ID.test(action.id)) return;
      try {
        if (!ready) {
          mkdirSync(dir, { recursive: true });
          ready = true;
        }
        const file = join(dir, `${action.id}.json`);
        const body = { ...action, params: JSON.parse(action.params) as unknown, artifact: action.artifact ? (JSON.parse(action.artifact) as unknown) : null };
        writeFileSync(`${file}.tmp`, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o640 });
        renameSync(`${file}.tmp`, file);
      } catch (error) {
        onError(error, action.id);
      }
    },
  };
}

export type ArtifactFiles = ReturnType<typeof createArtifactFiles>;
