/** Cases: the Case type with its alerts and observables, Alert.case, and the case queries. */
import { GraphQLError } from 'graphql';
import type { CaseOrder, CaseOrderField } from '../src/store/case-queries.js';
import { caseCursor } from '../src/store/case-queries.js';
import type { CaseAlertRow, ObservableRow } from '../src/store/batch-queries.js';
import { builder } from './builder.js';
import { CaseOrderFieldEnum, CaseStatusEnum, LinkedByEnum, OrderDirectionEnum, PapEnum, ResolutionEnum, TlpEnum } from './case-enums.js';
import { CategoryEnum } from './classification.js';
import { IocRoleEnum } from './enums.js';
import { resolvePage } from './pagination.js';
import { MAX_OBSERVABLES } from '../src/store/batch-queries.js';
import { AlertRef, CaseRef, IocRef } from './refs.js';
import { RiskLevelEnum } from './score.js';

const MAX_CASE_ALERTS = 500;

const CaseAlertRef = builder.objectRef<CaseAlertRow>('CaseAlert').implement({
  description: 'An alert in a case, with how it came to be there.',
  fields: (t) => ({
    alert: t.field({ type: AlertRef, description: 'The alert.', resolve: (a) => a }),
    linkedBy: t.field({ type: LinkedByEnum, description: 'How it joined.', resolve: (a) => a.linkedBy as never }),
    reason: t.exposeString('reason', { description: 'Why, for people: the shared indicators, entity, storm or operation.' }),
    addedBy: t.exposeString('addedBy', { description: 'Who added it (`system:correlator` for correlation).' }),
    addedAt: t.field({ type: 'DateTime', description: 'When it joined.', resolve: (a) => a.addedAt }),
  }),
});

const ObservableRef = builder.objectRef<ObservableRow>('Observable').implement({
  description: "An indicator in a case's alerts, with its role and whether it is an IOC or only context.",
  fields: (t) => ({
    ioc: t.field({ type: IocRef, description: 'The indicator.', resolve: (o) => o }),
    role: t.field({ type: IocRoleEnum, description: 'The part it plays in the alerts.', resolve: (o) => o.role as never }),
    isIoc: t.exposeBoolean('isIoc', {
      description: 'True for an indicator of compromise that can link cases; false for context (private addresses, warning-listed values, usernames, hostnames).',
    }),
    overriddenBy: t.exposeString('overriddenBy', { nullable: true, description: 'Who set `isIoc` by hand, if anyone.' }),
    addedAt: t.field({ type: 'DateTime', description: 'When it was added.', resolve: (o) => o.addedAt }),
  }),
});

builder.node(CaseRef, {
  description: 'An investigation: related alerts grouped by correlation or by hand, with its lifecycle, people and findings.',
  id: { resolve: (c) => c.id },
  loadOne: (id, ctx) => ctx.services.cases.get(id),
  fields: (t) => ({
    number: t.exposeInt('number', { description: 'Human number, sequential from 1 (#12).' }),
    title: t.exposeString('title', { description: 'Short title.' }),
    description: t.exposeString('description', { description: 'What it is about.' }),
    status: t.field({ type: CaseStatusEnum, description: 'Lifecycle state.', resolve: (c) => c.status as never }),
    resolution: t.field({ type: ResolutionEnum, nullable: true, description: 'What it turned out to be, once RESOLVED or CLOSED.', resolve: (c) => (c.resolution as never) ?? null }),
    severity: t.field({ type: RiskLevelEnum, description: 'The highest risk level of its alerts, unless set by hand.', resolve: (c) => c.severity as never }),
    severitySetBy: t.exposeString('severitySetBy', { nullable: true, description: 'Who set the severity by hand; such a severity stays when alerts are split, moved or merged (new alerts can still raise it).' }),
    score: t.exposeInt('score', { description: 'The highest risk score of its alerts.' }),
    category: t.field({ type: CategoryEnum, nullable: true, description: 'Threat category of the alert that opened it.', resolve: (c) => (c.category as never) ?? null }),
    tlp: t.field({ type: TlpEnum, description: 'Traffic Light Protocol.', resolve: (c) => c.tlp as never }),
    pap: t.field({ type: PapEnum, description: 'Permissible Actions Protocol.', resolve: (c) => c.pap as never }),
    assignee: t.exposeString('assignee', { nullable: true, description: 'Who owns it.' }),
    tags: t.stringList({ description: 'Labels.', resolve: (c) => JSON.parse(c.tags) as string[] }),
    techniques: t.stringList({ description: 'ATT&CK technique ids seen in its alerts (look them up with `attackTechniques`).', resolve: (c) => JSON.parse(c.techniques) as string[] }),
    alertCount: t.exposeInt('alertCount', { description: 'How many alerts it holds.' }),
    foldedCount: t.exposeInt('foldedCount', { description: 'How many of them joined only as part of an alert storm of their kind.' }),
    mergedInto: t.field({
      type: CaseRef,
      nullable: true,
      description: 'The case it was merged into, if it was.',
      resolve: (c, _args, ctx) => (c.mergedInto ? ctx.loaders.caseById.load(c.mergedInto) : null),
    }),
    version: t.exposeInt('version', { description: 'Grows by one at every change; send it back with a change to detect concurrent edits.' }),
    createdBy: t.exposeString('createdBy', { description: 'Who opened it (`system:correlator` for correlation).' }),
    firstAlertAt: t.field({ type: 'DateTime', nullable: true, description: 'When its earliest alert happened.', resolve: (c) => c.firstAlertAt }),
    lastAlertAt: t.field({ type: 'DateTime', nullable: true, description: 'When its latest alert happened.', resolve: (c) => c.lastAlertAt }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was opened.', resolve: (c) => c.createdAt }),
    updatedAt: t.field({ type: 'DateTime', description: 'When it last changed.', resolve: (c) => c.updatedAt }),
    alerts: t.field({
      type: [CaseAlertRef],
      description: `Its alerts in the order they joined (at most ${MAX_CASE_ALERTS}; \`alertCount\` has the total).`,
      args: { first: t.arg.int({ defaultValue: 100, description: `How many, up to ${MAX_CASE_ALERTS}.` }) },
      resolve: (c, args, ctx) => ctx.loaders.alertsOfCase(Math.max(0, Math.min(args.first ?? 100, MAX_CASE_ALERTS))).load(c.id),
    }),
    observables: t.field({
      type: [ObservableRef],
      description: `The indicators of its alerts, IOCs first (at most ${MAX_OBSERVABLES}).`,
      resolve: (c, _args, ctx) => ctx.loaders.observablesOfCase.load(c.id),
    }),
  }),
});

builder.objectField(AlertRef, 'case', (t) =>
  t.field({
    type: CaseRef,
    nullable: true,
    description: 'The case it belongs to; null while uncased.',
    resolve: (a, _args, ctx) => ctx.loaders.caseOfAlert.load(a.id),
  }),
);

export const CaseFilterInput = builder.inputType('CaseFilter', {
  description: 'Narrows a case list or a case subscription; all given conditions must hold.',
  fields: (t) => ({
    status: t.field({ type: [CaseStatusEnum], required: false, description: 'Any of these statuses.' }),
    severity: t.field({ type: [RiskLevelEnum], required: false, description: 'Any of these severities.' }),
    category: t.field({ type: [CategoryEnum], required: false, description: 'Any of these categories.' }),
    assignee: t.string({ required: false, description: 'Owned by this person.' }),
    unassigned: t.boolean({ required: false, description: 'True: owned by nobody.' }),
    tag: t.string({ required: false, description: 'Carrying this tag.' }),
    text: t.string({ required: false, description: 'Case-insensitive substring of the title or description.' }),
    createdAfter: t.field({ type: 'DateTime', required: false, description: 'Opened at or after.' }),
    createdBefore: t.field({ type: 'DateTime', required: false, description: 'Opened at or before.' }),
  }),
});

const CaseOrderInput = builder.inputType('CaseOrder', {
  description: 'How to sort a case list; ties are broken by id.',
  fields: (t) => ({
    field: t.field({ type: CaseOrderFieldEnum, required: true, description: 'What to sort by.' }),
    direction: t.field({ type: OrderDirectionEnum, required: false, defaultValue: 'DESC', description: 'Direction (default DESC).' }),
  }),
});

export function caseFilterOf(f: typeof CaseFilterInput.$inferInput | null | undefined) {
  return {
    statuses: f?.status,
    severities: f?.severity,
    categories: f?.category,
    assignee: f?.assignee,
    unassigned: f?.unassigned,
    tag: f?.tag,
    text: f?.text,
    createdAfter: f?.createdAfter,
    createdBefore: f?.createdBefore,
  };
}

builder.queryFields((t) => ({
  case: t.field({
    type: CaseRef,
    nullable: true,
    description: 'One case, by id or by number (exactly one of them).',
    args: {
      id: t.arg.id({ required: false, description: 'Case id (cas_...).' }),
      number: t.arg.int({ required: false, description: 'Case number (#12 is 12).' }),
    },
    resolve: (_root, args, ctx) => {
      if ((args.id == null) === (args.number == null)) throw new GraphQLError('give exactly one of `id` or `number`', { extensions: { code: 'BAD_USER_INPUT' } });
      return (args.id != null ? ctx.services.cases.get(String(args.id)) : ctx.services.cases.getByNumber(args.number!)) ?? null;
    },
  }),
  cases: t.connection({
    type: CaseRef,
    description: 'Cases, newest first unless `orderBy` says otherwise.',
    args: {
      filter: t.arg({ type: CaseFilterInput, required: false, description: 'Conditions.' }),
      orderBy: t.arg({ type: CaseOrderInput, required: false, description: 'Sort order (default: CREATED_AT DESC).' }),
    },
    resolve: (_root, args, ctx) => {
      const order: CaseOrder = { field: (args.orderBy?.field ?? 'CREATED_AT') as CaseOrderField, direction: args.orderBy?.direction ?? 'DESC' };
      return resolvePage(
        args,
        ctx.services.config.maxPage,
        (page) => {
          try {
            return ctx.services.caseQueries.list(caseFilterOf(args.filter), order, page);
          } catch (error) {
            if (error instanceof RangeError) throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT' } });
            throw error;
          }
        },
        (c) => caseCursor(order, c),
      );
    },
  }),
}));
