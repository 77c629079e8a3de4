/**
 * Changing a case: fields, status, reopening, assignee, tags and observable overrides. Each mutation
 * returns the changed case or an expected error (ValidationError, NotFoundError, ConflictError) as a union
 * member; a stale `expectedVersion` is a ConflictError carrying the version to reload.
 */
import type { CaseRecord } from '../src/store/records.js';
import { builder } from './builder.js';
import { CaseStatusEnum, PapEnum, ResolutionEnum, TlpEnum } from './case-enums.js';
import { ConflictError, NotFoundError, ValidationError } from './errors.js';
import { CaseRef } from './refs.js';
import { RiskLevelEnum } from './score.js';

const CASE_ERRORS = [ValidationError, NotFoundError, ConflictError];

/** One success type per mutation, so each can grow fields of its own without breaking the others. */
function caseSuccess(name: string, description: string) {
  return builder.objectRef<{ case: CaseRecord }>(name).implement({
    description,
    fields: (t) => ({ case: t.field({ type: CaseRef, description: 'The case as it is now (with its new `version`).', resolve: (r) => r.case }) }),
  });
}

const UpdateCaseSuccess = caseSuccess('UpdateCaseSuccess', 'The case fields were changed (or already had these values).');
const ChangeCaseStatusSuccess = caseSuccess('ChangeCaseStatusSuccess', 'The case moved to its new status.');
const ReopenCaseSuccess = caseSuccess('ReopenCaseSuccess', 'The case is IN_PROGRESS again, without a resolution.');
const AssignCaseSuccess = caseSuccess('AssignCaseSuccess', 'The case has its new assignee (or none).');
const ChangeCaseTagsSuccess = caseSuccess('ChangeCaseTagsSuccess', 'The case carries its new tags.');
const SetObservableIocSuccess = caseSuccess('SetObservableIocSuccess', 'The observable is marked as an IOC or as context.');

const UpdateCaseInput = builder.inputType('UpdateCaseInput', {
  description: 'Case fields to change; absent fields stay as they are. Text is trimmed.',
  fields: (t) => ({
    title: t.string({ required: false, description: 'New title, 1 to 200 characters.' }),
    description: t.string({ required: false, description: 'New description, at most 20,000 characters (may be empty).' }),
    severity: t.field({ type: RiskLevelEnum, required: false, description: 'New severity (later alerts can still raise it).' }),
    tlp: t.field({ type: TlpEnum, required: false, description: 'New Traffic Light Protocol level.' }),
    pap: t.field({ type: PapEnum, required: false, description: 'New Permissible Actions Protocol level.' }),
  }),
});

const actorOf = (ctx: { principal: { name: string } }) => ctx.principal.name;

builder.mutationFields((t) => {
  const id = () => t.arg.id({ required: true, description: 'Case id (cas_...).' });
  const version = (required: boolean) =>
    t.arg.int({
      required,
      description: required
        ? 'The `version` you read; a stale one is a ConflictError with the current version.'
        : 'The `version` you read, to refuse the change if the case changed since (optional: tag changes commute).',
    });

  return {
    updateCase: t.field({
      type: UpdateCaseSuccess,
      description: 'Changes title, description, severity, TLP or PAP. The audit record holds only the fields that changed.',
      authScopes: { role: 'ANALYST' },
      errors: { types: CASE_ERRORS, directResult: true, union: { name: 'UpdateCaseResult' } },
      args: { id: id(), expectedVersion: version(true), input: t.arg({ type: UpdateCaseInput, required: true, description: 'The fields to change.' }) },
      resolve: (_root, args, ctx) => ({ case: ctx.services.caseLifecycle.update(String(args.id), args.expectedVersion, args.input, actorOf(ctx)) }),
    }),
    changeCaseStatus: t.field({
      type: ChangeCaseStatusSuccess,
      description:
        'Moves a case: NEW -> IN_PROGRESS or CLOSED; IN_PROGRESS -> RESOLVED or CLOSED; RESOLVED -> CLOSED. RESOLVED and CLOSED need a resolution, other statuses refuse one. Going back to IN_PROGRESS is `reopenCase`. A transition that is not allowed is a ConflictError naming the allowed targets.',
      authScopes: { role: 'ANALYST' },
      errors: { types: CASE_ERRORS, directResult: true, union: { name: 'ChangeCaseStatusResult' } },
      args: {
        id: id(),
        expectedVersion: version(true),
        status: t.arg({ type: CaseStatusEnum, required: true, description: 'The new status.' }),
        resolution: t.arg({ type: ResolutionEnum, required: false, description: 'What the case turned out to be: required for RESOLVED and CLOSED only.' }),
        comment: t.arg.string({ required: false, description: 'Why, kept with the audit record and shown in the timeline.' }),
      },
      resolve: (_root, args, ctx) => ({
        case: ctx.services.caseLifecycle.changeStatus(String(args.id), args.expectedVersion, args.status, args.resolution, actorOf(ctx), args.comment),
      }),
    }),
    reopenCase: t.field({
      type: ReopenCaseSuccess,
      description: 'Brings a RESOLVED or CLOSED case back to IN_PROGRESS and clears its resolution.',
      authScopes: { role: 'ANALYST' },
      errors: { types: CASE_ERRORS, directResult: true, union: { name: 'ReopenCaseResult' } },
      args: { id: id(), expectedVersion: version(true), reason: t.arg.string({ required: true, description: 'Why it is reopened (1 to 2,000 characters).' }) },
      resolve: (_root, args, ctx) => ({ case: ctx.services.caseLifecycle.reopen(String(args.id), args.expectedVersion, args.reason, actorOf(ctx)) }),
    }),
    assignCase: t.field({
      type: AssignCaseSuccess,
      description: 'Sets who owns a case, or clears it with null. The status does not change: starting work is `changeCaseStatus` to IN_PROGRESS.',
      authScopes: { role: 'ANALYST' },
      errors: { types: CASE_ERRORS, directResult: true, union: { name: 'AssignCaseResult' } },
      args: { id: id(), expectedVersion: version(true), assignee: t.arg.string({ required: false, description: 'Who (1 to 200 characters); null to unassign.' }) },
      resolve: (_root, args, ctx) => ({ case: ctx.services.caseLifecycle.assign(String(args.id), args.expectedVersion, args.assignee ?? null, actorOf(ctx)) }),
    }),
    addCaseTags: t.field({
      type: ChangeCaseTagsSuccess,
      description: 'Adds tags, trimmed and lower-cased (1 to 64 characters each, at most 50 on a case).',
      authScopes: { role: 'ANALYST' },
      errors: { types: CASE_ERRORS, directResult: true, union: { name: 'AddCaseTagsResult' } },
      args: { id: id(), tags: t.arg.stringList({ required: true, description: 'The tags to add.' }), expectedVersion: version(false) },
      resolve: (_root, args, ctx) => ({ case: ctx.services.caseLifecycle.addTags(String(args.id), args.expectedVersion, args.tags, actorOf(ctx)) }),
    }),
    removeCaseTags: t.field({
      type: ChangeCaseTagsSuccess,
      description: 'Removes tags (matched after trimming and lower-casing); tags the case does not carry are ignored.',
      authScopes: { role: 'ANALYST' },
      errors: { types: CASE_ERRORS, directResult: true, union: { name: 'RemoveCaseTagsResult' } },
      args: { id: id(), tags: t.arg.stringList({ required: true, description: 'The tags to remove.' }), expectedVersion: version(false) },
      resolve: (_root, args, ctx) => ({ case: ctx.services.caseLifecycle.removeTags(String(args.id), args.expectedVersion, args.tags, actorOf(ctx)) }),
    }),
    setObservableIoc: t.field({
      type: SetObservableIocSuccess,
      description: 'Says by hand whether an observable of a case is an IOC (it can link cases) or only context. The choice survives recomputation.',
      authScopes: { role: 'ANALYST' },
      errors: { types: CASE_ERRORS, directResult: true, union: { name: 'SetObservableIocResult' } },
      args: {
        caseId: t.arg.id({ required: true, description: 'Case id (cas_...).' }),
        iocId: t.arg.id({ required: true, description: 'Id of the observable’s indicator (ioc_...).' }),
        isIoc: t.arg.boolean({ required: true, description: 'True: an IOC; false: context.' }),
        expectedVersion: t.arg.int({ required: false, description: 'The case version you read; a stale one is a ConflictError and changes nothing.' }),
      },
      resolve: (_root, args, ctx) => ({ case: ctx.services.caseLifecycle.setObservableIoc(String(args.caseId), String(args.iocId), args.isIoc, actorOf(ctx), args.expectedVersion) }),
    }),
  };
});
