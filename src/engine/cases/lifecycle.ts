/**
 * What analysts do to a case: move it through its statuses, reopen it, edit its fields, assign it, tag it,
 * and say whether an observable is an IOC. Every change runs in one transaction under optimistic
 * concurrency (CaseWriter.change) and is journaled with the fields it changed, before and after.
 * GraphQL-free: the API maps the thrown ValidationError / NotFoundError / ConflictError to result unions.
 */
import type { Clock } from '../../clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { CaseStore, CaseUpdate } from '../../store/case-store.js';
import type { CaseRecord } from '../../store/records.js';
import type { CaseWriter } from './case-writer.js';
import type { CaseJournal } from './journal.js';
import { CaseEventKind, CaseStatus, isClosedStatus, Pap, Resolution, Tlp, TRANSITIONS } from './model.js';
import { RISK_LEVELS } from '../score/model.js';

export const CASE_LIMITS = { title: 200, description: 20_000, comment: 20_000, reason: 2_000, assignee: 200, tag: 64, tags: 50 } as const;

/** Trimmed text of at most `max` characters; empty only when allowed. */
export function cleanText(field: string, value: string, opts: { max: number; allowEmpty?: boolean }): string {
  const text = value.trim();
  if (!text && !opts.allowEmpty) throw new ValidationError('EMPTY', field, `${field} must not be empty`);
  if (text.length > opts.max) throw new ValidationError('TOO_LARGE', field, `${field} is ${text.length} characters long; at most ${opts.max} are allowed`);
  return text;
}

export function oneOf<T extends string>(field: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new ValidationError('INVALID_VALUE', field, `${field} must be one of ${allowed.join(', ')}, not ${value}`);
  return value as T;
}

/** A one-line excerpt for summaries: whitespace collapsed, cut at `max` characters. */
export function oneLine(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

/** The version the client read: required, so that a change never silently overwrites one it has not seen. */
export function requireVersion(version: number | null | undefined): number {
  if (version == null) throw new ValidationError('MISSING', 'expectedVersion', 'send the version you read (`version`), so concurrent edits are detected');
  if (!Number.isInteger(version) || version < 1) throw new ValidationError('INVALID_VALUE', 'expectedVersion', `expectedVersion must be a positive integer, not ${version}`);
  return version;
}

export interface CaseLifecycleDeps {
  writer: CaseWriter;
  journal: CaseJournal;
  cases: CaseStore;
  clock: Clock;
  /** Whether the IOC is an indicator in the case, per role (TaskStore.observableFlags): what an override replaces; without it `before` is null. */
  observableFlags?: (caseId: string, iocId: string) => boolean[];
}

/** Field edits: an absent or null field is left as it is. */
export interface CaseFieldsInput {
  title?: string | null;
  description?: string | null;
  severity?: string | null;
  tlp?: string | null;
  pap?: string | null;
}

type Fields = Pick<CaseRecord, 'title' | 'description' | 'severity' | 'tlp' | 'pap'>;

/** The statuses changeStatus may move a case to from `from`; going back to IN_PROGRESS is reopen's alone. */
export function statusTargets(from: string): CaseStatus[] {
  const targets = TRANSITIONS[from as CaseStatus] ?? [];
  return targets.filter((to) => !(isClosedStatus(from) && to === CaseStatus.IN_PROGRESS));
}

function assertTransition(current: CaseRecord, to: CaseStatus): void {
  const from = current.status;
  const targets = statusTargets(from);
  if (targets.includes(to)) return;
  const why = from === to ? `it is already ${to}` : `${from} -> ${to} is not an allowed transition`;
  const allowed = targets.length ? targets.join(' or ') : 'nowhere';
  const reopen = isClosedStatus(from) ? '; to bring it back to IN_PROGRESS, reopen it with a reason' : '';
  throw new ConflictError(`cannot change case #${current.number} from ${from} to ${to}: ${why}; from ${from} it can go to ${allowed}${reopen}`);
}

/** Trimmed, lower-cased, de-duplicated tags, each 1..64 characters. */
export function normaliseTags(tags: readonly string[]): string[] {
  if (!tags.length) throw new ValidationError('EMPTY', 'tags', 'give at least one tag');
  if (tags.length > CASE_LIMITS.tags) throw new ValidationError('TOO_LARGE', 'tags', `${tags.length} tags given; at most ${CASE_LIMITS.tags} are allowed`);
  return [...new Set(tags.map((tag) => cleanText('tags', tag, { max: CASE_LIMITS.tag }).toLowerCase()))];
}

const changedKeys = (before: Record<string, unknown>, after: Record<string, unknown>) => Object.keys(after).filter((k) => before[k] !== after[k]);
const tagsOf = (c: CaseRecord) => JSON.parse(c.tags) as string[];
const JSON_FIELDS = new Set(['tags', 'techniques']);
/** The named fields of a row for the audit record; JSON-array columns as arrays, not text. */
const pick = <T extends object>(row: T, keys: readonly string[]) =>
  Object.fromEntries(keys.map((k) => [k, JSON_FIELDS.has(k) && typeof row[k as keyof T] === 'string' ? JSON.parse(row[k as keyof T] as string) : row[k as keyof T]]));

export function createCaseLifecycle(deps: CaseLifecycleDeps) {
  const { writer, journal, cases } = deps;

  /**
   * Writes `next` (only the fields that differ from the case as it is) and journals them before and after.
   * When nothing differs and the version is current, nothing is written; a stale version is still a conflict.
   */
  function changeFields(
    caseId: string,
    expectedVersion: number | undefined,
    actor: string,
    next: (current: CaseRecord) => Partial<CaseUpdate>,
    describe: { action: string; summary: (before: CaseRecord, keys: string[]) => string },
  ): CaseRecord {
    return cases.transaction(() => {
      const current = writer.mustGet(caseId);
      const wanted = next(current);
      const keys = changedKeys(current, wanted);
      if (!keys.length && (expectedVersion === undefined || expectedVersion === current.version)) return current;
      const { before, after } = writer.change(caseId, expectedVersion, () => Object.fromEntries(keys.map((k) => [k, wanted[k as keyof CaseUpdate]])));
      journal.record({
        caseId,
        kind: CaseEventKind.UPDATED,
        actor,
        summary: describe.summary(before, keys),
        detail: { fields: keys },
        audit: { action: describe.action, before: pick(before, keys), after: pick(after, keys) },
      });
      return after;
    });
  }

  return {
    /**
     * Moves a case along TRANSITIONS. RESOLVED and CLOSED need a resolution, other statuses refuse one;
     * an optional comment is kept with the audit record.
     */
    changeStatus(caseId: string, expectedVersion: number | null | undefined, status: string, resolution: string | null | undefined, actor: string, comment?: string | null): CaseRecord {
      const version = requireVersion(expectedVersion);
      const to = oneOf('status', status, Object.values(CaseStatus));
      let resolved: Resolution | null = null;
      if (isClosedStatus(to)) {
        if (resolution == null) throw new ValidationError('MISSING', 'resolution', `a ${to} case needs a resolution: ${Object.values(Resolution).join(', ')}`);
        resolved = oneOf('resolution', resolution, Object.values(Resolution));
      } else if (resolution != null) {
        throw new ValidationError('INVALID_VALUE', 'resolution', `only RESOLVED or CLOSED cases carry a resolution, not ${to}`);
      }
      const note = comment == null ? '' : cleanText('comment', comment, { max: CASE_LIMITS.comment, allowEmpty: true });
      return cases.transaction(() => {
        const { before, after } = writer.change(caseId, version, (current) => {
          assertTransition(current, to);
          return { status: to, resolution: resolved };
        });
        journal.record({
          caseId,
          kind: CaseEventKind.STATUS_CHANGED,
          actor,
          summary: `case #${after.number} ${before.status} -> ${to}${resolved ? ` as ${resolved}` : ''}${note ? `: ${oneLine(note)}` : ''}`,
          detail: { from: before.status, to, resolution: resolved, ...(note ? { comment: note } : {}) },
          audit: {
            action: 'case.status',
            before: { status: before.status, resolution: before.resolution },
            after: { status: to, resolution: resolved, ...(note ? { comment: note } : {}) },
          },
        });
        return after;
      });
    },

    /** Brings a RESOLVED or CLOSED case back to IN_PROGRESS, clearing its resolution; the reason is required. */
    reopen(caseId: string, expectedVersion: number | null | undefined, reason: string | null | undefined, actor: string): CaseRecord {
      const version = requireVersion(expectedVersion);
      if (reason == null) throw new ValidationError('MISSING', 'reason', 'say why the case is reopened');
      const why = cleanText('reason', reason, { max: CASE_LIMITS.reason });
      return cases.transaction(() => {
        const { before, after } = writer.change(caseId, version, (current) => {
          if (current.mergedInto) {
            throw new ConflictError(`cannot reopen case #${current.number}: it was merged into ${current.mergedInto}; undo the merge (see its operations) to bring it back`);
          }
          if (!isClosedStatus(current.status)) {
            throw new ConflictError(`cannot reopen case #${current.number}: it is ${current.status}; only RESOLVED or CLOSED cases can be reopened (from ${current.status} it can go to ${statusTargets(current.status).join(' or ')})`);
          }
          return { status: CaseStatus.IN_PROGRESS, resolution: null };
        });
        journal.record({
          caseId,
          kind: CaseEventKind.STATUS_CHANGED,
          actor,
          summary: `case #${after.number} reopened (${before.status} -> IN_PROGRESS): ${oneLine(why)}`,
          detail: { from: before.status, to: CaseStatus.IN_PROGRESS, reason: why },
          audit: { action: 'case.reopen', before: { status: before.status, resolution: before.resolution }, after: { status: CaseStatus.IN_PROGRESS, reason: why } },
        });
        return after;
      });
    },

    /** Edits title, description, severity, TLP and PAP; the audit record holds only the fields that changed. */
    update(caseId: string, expectedVersion: number | null | undefined, input: CaseFieldsInput, actor: string): CaseRecord {
      const version = requireVersion(expectedVersion);
      const patch: Partial<Fields> = {};
      if (input.title != null) patch.title = cleanText('title', input.title, { max: CASE_LIMITS.title });
      if (input.description != null) patch.description = cleanText('description', input.description, { max: CASE_LIMITS.description, allowEmpty: true });
      if (input.severity != null) patch.severity = oneOf('severity', input.severity, RISK_LEVELS);
      if (input.tlp != null) patch.tlp = oneOf('tlp', input.tlp, Object.values(Tlp));
      if (input.pap != null) patch.pap = oneOf('pap', input.pap, Object.values(Pap));
      if (!Object.keys(patch).length) throw new ValidationError('EMPTY', 'input', 'give at least one of title, description, severity, tlp, pap');
      // Who changed the severity is kept, so recomputing the case from its alerts does not undo the decision
      // (a form re-sending the current severity decides nothing).
      return changeFields(caseId, version, actor, (current) => (patch.severity && patch.severity !== current.severity ? { ...patch, severitySetBy: actor } : patch), {
        action: 'case.update',
        summary: (before, keys) =>
          `case #${before.number} updated: ${keys.filter((k) => k !== 'severitySetBy').map((k) => (k === 'title' || k === 'description' ? k : `${k} ${before[k as keyof Fields]} -> ${patch[k as keyof Fields]}`)).join(', ')}`,
      });
    },

    /** Sets or clears (null) who owns the case. The status stays as it is: starting work is a status change of its own. */
    assign(caseId: string, expectedVersion: number | null | undefined, assignee: string | null, actor: string): CaseRecord {
      const version = requireVersion(expectedVersion);
      const who = assignee == null ? null : cleanText('assignee', assignee, { max: CASE_LIMITS.assignee });
      return changeFields(caseId, version, actor, () => ({ assignee: who }), {
        action: 'case.assign',
        summary: (before) => (who ? `case #${before.number} assigned to ${who}${before.assignee ? ` (was ${before.assignee})` : ''}` : `case #${before.number} unassigned (was ${before.assignee})`),
      });
    },

    /** Adds tags (normalised); `expectedVersion` is optional because adding tags commutes with other edits. */
    addTags(caseId: string, expectedVersion: number | null | undefined, tags: readonly string[], actor: string): CaseRecord {
      const adding = normaliseTags(tags);
      return changeFields(
        caseId,
        expectedVersion ?? undefined,
        actor,
        (current) => {
          const had = tagsOf(current);
          const next = [...new Set([...had, ...adding])];
          if (next.length > CASE_LIMITS.tags) throw new ValidationError('TOO_LARGE', 'tags', `case #${current.number} would have ${next.length} tags; at most ${CASE_LIMITS.tags} are allowed`);
          return { tags: next.length === had.length ? current.tags : JSON.stringify(next) };
        },
        { action: 'case.tags', summary: (before) => `case #${before.number} tagged ${adding.filter((t) => !tagsOf(before).includes(t)).join(', ')}` },
      );
    },

    /** Removes tags (normalised the same way); tags the case does not carry are ignored. */
    removeTags(caseId: string, expectedVersion: number | null | undefined, tags: readonly string[], actor: string): CaseRecord {
      const removing = new Set(normaliseTags(tags));
      return changeFields(
        caseId,
        expectedVersion ?? undefined,
        actor,
        (current) => {
          const had = tagsOf(current);
          const next = had.filter((tag) => !removing.has(tag));
          return { tags: next.length === had.length ? current.tags : JSON.stringify(next) };
        },
        { action: 'case.tags', summary: (before) => `case #${before.number} untagged ${tagsOf(before).filter((t) => removing.has(t)).join(', ')}` },
      );
    },

    /**
     * Says by hand whether an observable is an IOC (can link cases) or context. The override survives
     * recomputation; it bumps the case version like any other change.
     */
    setObservableIoc(caseId: string, iocId: string, isIoc: boolean, actor: string, expectedVersion?: number | null): CaseRecord {
      return cases.transaction(() => {
        const current = writer.mustGet(caseId);
        // Checked before the override is written, so a stale request changes nothing.
        if (expectedVersion != null) writer.change(caseId, expectedVersion, () => ({}));
        const was = deps.observableFlags?.(caseId, iocId);
        if (was && !was.length) throw new NotFoundError('observable', iocId);
        if (!cases.setObservableIoc(caseId, iocId, isIoc, actor)) throw new NotFoundError('observable', iocId);
        const { after } = writer.change(caseId, undefined, () => ({}));
        journal.record({
          caseId,
          kind: CaseEventKind.UPDATED,
          actor,
          summary: `case #${current.number}: observable ${iocId} marked as ${isIoc ? 'an IOC' : 'context'}`,
          detail: { iocId, isIoc },
          audit: { action: 'case.observable', before: { iocId, isIoc: was ? was.some(Boolean) : null }, after: { iocId, isIoc } },
        });
        return after;
      });
    },
  };
}

export type CaseLifecycle = ReturnType<typeof createCaseLifecycle>;
