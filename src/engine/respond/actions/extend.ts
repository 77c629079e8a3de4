/**
 * A block or isolation requested while the same target is already held does nothing again (it is stored
 * as a duplicate), but it must not end sooner than the later request asked for: otherwise the first
 * block's shorter TTL would release an address someone meant to keep blocked for longer. So the holder's
 * `revertAt` moves to the later end, audited (`action.extend`) and published (EXTENDED). A shorter
 * request leaves it as it is. The TTL a real executor was sent with the holder is not re-sent: Vigil's
 * own revert is what ends a block, at the new end.
 */
import type { ActionRecord } from '../../../store/records.js';
import { ActionChange, type Recorder } from './recorder.js';

export interface Extension {
  holderId: string;
  from: number;
  to: number;
}

/** How `holder` would be extended to hold until `until`, or undefined when it already holds that long. */
export function extensionOf(holder: ActionRecord, until: number): Extension | undefined {
  if (holder.status !== 'EXECUTED' || holder.revertedAt !== null || holder.revertAt === null || until <= holder.revertAt) return undefined;
  return { holderId: holder.id, from: holder.revertAt, to: until };
}

/** Moves the holder's end (inside the caller's transaction); `by` is the duplicate that asked for it. */
export function extendHolder(recorder: Recorder, holder: ActionRecord, extension: Extension, by: { actionId: string; actor: string }, now: number): ActionRecord {
  const artifact = holder.artifact ? (JSON.parse(holder.artifact) as Record<string, unknown>) : {};
  const extended = { from: extension.from, to: extension.to, by: by.actionId };
  return recorder.changed(holder, { revertAt: extension.to, artifact: JSON.stringify({ ...artifact, revertAt: extension.to, extended }) }, ActionChange.EXTENDED, by.actor, 'action.extend', now);
}

/** The words a duplicate's note adds about the extension. */
export const extensionNote = (e: Extension | undefined, dryRun: boolean) =>
  e ? `; ${e.holderId} ${dryRun ? 'would be' : 'was'} extended to hold until ${new Date(e.to).toISOString()} (it ended at ${new Date(e.from).toISOString()})` : '';
