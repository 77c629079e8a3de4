/**
 * Case lineage: merging cases, splitting alerts into a new case, moving an alert, and undoing any of these;
 * the CaseOperation type that records them, and `Case.operations` / `Case.mergedCases`.
 */
import { MAX_MERGE_SOURCES, MAX_SPLIT_ALERTS } from '../src/engine/cases/lineage.js';
import type { MovedAlertRecord } from '../src/store/case-operation-store.js';
import type { CaseOperationRecord, CaseRecord } from '../src/store/records.js';
import { builder } from './builder.js';
import { CaseOperationKindEnum } from './case-enums.js';
import type { GraphQLContext } from './context.js';
import { ConflictError, NotFoundError, ValidationError } from './errors.js';
import { CaseRef } from './refs.js';

const LINEAGE_ERRORS = [ValidationError, NotFoundError, ConflictError];
const MAX_LISTED = 100;
/** Moved alerts are read a page at a time: a storm merge moves 100,000. */
const MAX_MOVED_PAGE = 500;

const CaseOperationRef = builder.objectRef<CaseOperationRecord>('CaseOperation');
const casesWithRole = (op: CaseOperationRecord, role: string, ctx: GraphQLContext) =>
  ctx.services.caseLineage
    .casesOf(op.id)
    .filter((c) => c.role === role)
    .map((c) => ctx.services.cases.get(c.caseId))
    .filter((c): c is CaseRecord => c !== undefined);

const MovedAlertRef = builder.objectRef<MovedAlertRecord>('MovedAlert').implement({
  description: 'An alert a merge, split or move took, with the case and link it had before (what undo restores).',
  fields: (t) => ({
    alertId: t.exposeID('alertId', { description: 'The alert (alt_...).' }),
    fromCaseId: t.exposeID('fromCaseId', { description: 'The case it was in before (cas_...).' }),
    linkedBy: t.exposeString('linkedBy', { description: 'How it was linked to that case (OPENED, IOC, ENTITY, STORM, MANUAL, MERGE, SPLIT or MOVE).' }),
    reason: t.exposeString('reason', { description: 'Why it was linked there.' }),
    addedBy: t.exposeString('addedBy', { description: 'Who linked it there.' }),
    addedAt: t.field({ type: 'DateTime', description: 'When it was linked there.', resolve: (m) => m.addedAt }),
  }),
});
const clamp = (n: number | null | undefined, fallback: number) => Math.max(0, Math.min(n ?? fallback, MAX_LISTED));

builder.node(CaseOperationRef, {
  description: 'A merge, split or move of alerts between cases, with what it changed so that it can be undone.',
  id: { resolve: (op) => op.id },
  loadOne: (id, ctx) => ctx.services.caseLineage.get(id),
  fields: (t) => ({
    kind: t.field({ type: CaseOperationKindEnum, description: 'What it was.', resolve: (op) => op.kind as never }),
    actor: t.exposeString('actor', { description: 'Who did it.' }),
    targetCase: t.field({
      type: CaseRef,
      nullable: true,
      description: 'The case it put alerts into: the merge target, the case a split opened, or where an alert was moved.',
      resolve: (op, _args, ctx) => ctx.services.cases.get(op.targetCaseId) ?? null,
    }),
    sourceCases: t.field({
      type: [CaseRef],
      description: 'The cases it took alerts from: the merged cases, or the case split or moved from.',
      resolve: (op, _args, ctx) => casesWithRole(op, 'SOURCE', ctx),
    }),
    createdCase: t.field({
      type: CaseRef,
      nullable: true,
      description: 'For a split, the case it opened.',
      resolve: (op, _args, ctx) => casesWithRole(op, 'CREATED', ctx)[0] ?? null,
    }),
    movedAlertCount: t.exposeInt('movedAlertCount', { description: 'How many alerts it moved.' }),
    movedAlerts: t.field({
      type: [MovedAlertRef],
      description: `The alerts it moved, by alert id, at most ${MAX_MOVED_PAGE} at a time: pass the last \`alertId\` as \`after\` for the next ones (\`movedAlertCount\` has the total).`,
      args: {
        first: t.arg.int({ defaultValue: 100, description: `How many, up to ${MAX_MOVED_PAGE}.` }),
        after: t.arg.id({ required: false, description: 'Start after this alert id (the last one of the previous page).' }),
      },
      resolve: (op, args, ctx) => ctx.services.caseLineage.movedAlertsOf(op.id, args.after == null ? null : String(args.after), Math.max(0, Math.min(args.first ?? 100, MAX_MOVED_PAGE))),
    }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was done.', resolve: (op) => op.createdAt }),
    undoneAt: t.field({ type: 'DateTime', nullable: true, description: 'When it was undone; null while it stands.', resolve: (op) => op.undoneAt }),
    undoneBy: t.exposeString('undoneBy', { nullable: true, description: 'Who undid it.' }),
    detail: t.field({
      type: 'JSON',
      description:
        'The state of each changed case before it (status, resolution, mergedInto, tags, TLP/PAP, folded count, version), what undo checks after it, and the tags a merge added. The moved alerts are in `movedAlerts`.',
      resolve: (op) => JSON.parse(op.detail) as unknown,
    }),
  }),
});

builder.objectFields(CaseRef, (t) => ({
  operations: t.field({
    type: [CaseOperationRef],
    description: 'Its lineage: merges, splits and moves that touched it (undone ones included), newest first.',
    args: { first: t.arg.int({ defaultValue: 20, description: `How many, up to ${MAX_LISTED}.` }) },
    resolve: (c, args, ctx) => ctx.services.caseLineage.operationsOf(c.id, clamp(args.first, 20)),
  }),
  mergedCases: t.field({
    type: [CaseRef],
    description: 'Cases merged into this one (CLOSED as DUPLICATE), by number.',
    args: { first: t.arg.int({ defaultValue: 50, description: `How many, up to ${MAX_LISTED}.` }) },
    resolve: (c, args, ctx) => ctx.services.caseLineage.mergedCasesOf(c.id, clamp(args.first, 50)),
  }),
}));

const CaseVersionInput = builder.inputType('CaseVersionInput', {
  description: 'The version of a case as you read it, to refuse the change if someone changed it since.',
  fields: (t) => ({
    caseId: t.id({ required: true, description: 'Case id (cas_...).' }),
    version: t.int({ required: true, description: 'The `version` you read.' }),
  }),
});

const MergeCasesSuccess = builder.objectRef<{ operation: CaseOperationRecord; target: CaseRecord; sources: CaseRecord[] }>('MergeCasesSuccess').implement({
  description: 'The cases were merged; undo it with `undoCaseOperation(operation.id)`.',
  fields: (t) => ({
    operation: t.field({ type: CaseOperationRef, description: 'The recorded merge.', resolve: (r) => r.operation }),
    target: t.field({ type: CaseRef, description: 'The case that now holds all the alerts.', resolve: (r) => r.target }),
    sources: t.field({ type: [CaseRef], description: 'The merged cases, now CLOSED as DUPLICATE.', resolve: (r) => r.sources }),
  }),
});

const SplitCaseSuccess = builder.objectRef<{ operation: CaseOperationRecord; source: CaseRecord; created: CaseRecord }>('SplitCaseSuccess').implement({
  description: 'The alerts were detached into a new case; undo it with `undoCaseOperation(operation.id)`.',
  fields: (t) => ({
    operation: t.field({ type: CaseOperationRef, description: 'The recorded split.', resolve: (r) => r.operation }),
    source: t.field({ type: CaseRef, description: 'The case the alerts left.', resolve: (r) => r.source }),
    created: t.field({ type: CaseRef, description: 'The new case holding them.', resolve: (r) => r.created }),
  }),
});

const MoveAlertSuccess = builder.objectRef<{ operation: CaseOperationRecord; from: CaseRecord; to: CaseRecord }>('MoveAlertSuccess').implement({
  description: 'The alert was moved; undo it with `undoCaseOperation(operation.id)`.',
  fields: (t) => ({
    operation: t.field({ type: CaseOperationRef, description: 'The recorded move.', resolve: (r) => r.operation }),
    from: t.field({ type: CaseRef, description: 'The case it left.', resolve: (r) => r.from }),
    to: t.field({ type: CaseRef, description: 'The case it is in now.', resolve: (r) => r.to }),
  }),
});

const UndoCaseOperationSuccess = builder.objectRef<{ operation: CaseOperationRecord; cases: CaseRecord[] }>('UndoCaseOperationSuccess').implement({
  description: 'The operation was undone: its alerts are back where they were.',
  fields: (t) => ({
    operation: t.field({ type: CaseOperationRef, description: 'The operation, now with `undoneAt` and `undoneBy`.', resolve: (r) => r.operation }),
    cases: t.field({ type: [CaseRef], description: 'Every case it changed, as they are now.', resolve: (r) => r.cases }),
  }),
});

const actorOf = (ctx: GraphQLContext) => ctx.principal.name;

builder.mutationFields((t) => ({
  mergeCases: t.field({
    type: MergeCasesSuccess,
    description: `Merges up to ${MAX_MERGE_SOURCES} cases into an open target: their alerts move to it (linked by MERGE), they are CLOSED as DUPLICATE pointing at it, and it takes their tags and the strictest TLP/PAP.`,
    authScopes: { role: 'ANALYST' },
    errors: { types: LINEAGE_ERRORS, directResult: true, union: { name: 'MergeCasesResult' } },
    args: {
      targetId: t.arg.id({ required: true, description: 'The case to keep (cas_...).' }),
      sourceIds: t.arg.idList({ required: true, description: `The cases to merge into it, 1 to ${MAX_MERGE_SOURCES}.` }),
      expectedVersions: t.arg({ type: [CaseVersionInput], required: false, description: 'Versions you read of any of these cases; a stale one is a ConflictError and nothing is merged.' }),
    },
    resolve: (_root, args, ctx) => {
      const expected = Object.fromEntries((args.expectedVersions ?? []).map((v) => [String(v.caseId), v.version]));
      return ctx.services.caseLineage.merge(String(args.targetId), args.sourceIds.map(String), actorOf(ctx), expected);
    },
  }),
  splitCase: t.field({
    type: SplitCaseSuccess,
    description: `Detaches up to ${MAX_SPLIT_ALERTS} alerts of a case into a new case (linked by SPLIT, opened from the first of them); at least one alert must remain.`,
    authScopes: { role: 'ANALYST' },
    errors: { types: LINEAGE_ERRORS, directResult: true, union: { name: 'SplitCaseResult' } },
    args: {
      caseId: t.arg.id({ required: true, description: 'The case to split (cas_...).' }),
      alertIds: t.arg.idList({ required: true, description: 'The alerts to detach, all in that case.' }),
      title: t.arg.string({ required: false, description: 'Title of the new case (default: made from its first alert).' }),
      expectedVersion: t.arg.int({ required: false, description: 'The `version` of the case you read; a stale one is a ConflictError.' }),
    },
    resolve: (_root, args, ctx) =>
      ctx.services.caseLineage.split(String(args.caseId), args.alertIds.map(String), actorOf(ctx), { title: args.title, expectedVersion: args.expectedVersion }),
  }),
  moveAlert: t.field({
    type: MoveAlertSuccess,
    description: 'Moves an alert from its case to another open case (linked by MOVE). The last alert of a case cannot be moved: merge the case instead.',
    authScopes: { role: 'ANALYST' },
    errors: { types: LINEAGE_ERRORS, directResult: true, union: { name: 'MoveAlertResult' } },
    args: {
      alertId: t.arg.id({ required: true, description: 'The alert (alt_...).' }),
      toCaseId: t.arg.id({ required: true, description: 'The case to move it to (cas_...).' }),
      expectedVersion: t.arg.int({ required: false, description: 'The destination case’s version as you read it; a stale one is a ConflictError and changes nothing.' }),
    },
    resolve: (_root, args, ctx) => ctx.services.caseLineage.move(String(args.alertId), String(args.toCaseId), actorOf(ctx), args.expectedVersion ?? undefined),
  }),
  undoCaseOperation: t.field({
    type: UndoCaseOperationSuccess,
    description:
      'Undoes a merge, split or move: alerts go back to their cases with their old links, merged cases get their status back, an emptied split case is CLOSED as DUPLICATE. Refused (ConflictError) when already undone or when a later change moved its alerts or merged its cases.',
    authScopes: { role: 'ANALYST' },
    errors: { types: LINEAGE_ERRORS, directResult: true, union: { name: 'UndoCaseOperationResult' } },
    args: { operationId: t.arg.id({ required: true, description: 'The operation (cop_...), from `Case.operations` or a mutation result.' }) },
    resolve: (_root, args, ctx) => ctx.services.caseLineage.undo(String(args.operationId), actorOf(ctx)),
  }),
}));
