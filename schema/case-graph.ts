/**
 * Related cases and the case graph. Graph nodes carry the case, alert or IOC rows the graph's statements
 * already read, so drawing a graph costs a fixed number of statements however many nodes it has.
 */
import { GraphQLError } from 'graphql';
import { GRAPH_LIMITS, GraphEdgeKind, GraphNodeKind, type CaseGraph, type GraphEdge, type GraphNode } from '../src/engine/cases/graph.js';
import { DEFAULT_RELATED } from '../src/engine/cases/related.js';
import type { CaseRecord, IocRecord } from '../src/store/records.js';
import { builder } from './builder.js';
import { IocRoleEnum } from './enums.js';
import { AlertRef, CaseRef, IocRef } from './refs.js';

const MAX_RELATED = 100;

const RelatedCaseRef = builder.objectRef<{ case: CaseRecord; score: number; shared: IocRecord[] }>('RelatedCase').implement({
  description: 'Another case holding some of the same significant indicators.',
  fields: (t) => ({
    case: t.field({ type: CaseRef, description: 'The related case.', resolve: (r) => r.case }),
    score: t.exposeFloat('score', {
      description: `Summed significance of the shared indicators: each weighs its type weight / log2(1 + number of cases holding it), and nothing once more than ${DEFAULT_RELATED.maxCasesPerIoc} cases hold it.`,
    }),
    shared: t.field({ type: [IocRef], description: 'The shared indicators, most significant first.', resolve: (r) => r.shared }),
  }),
});

builder.objectField(CaseRef, 'relatedCases', (t) =>
  t.field({
    type: [RelatedCaseRef],
    description: 'Other cases (of any status) sharing significant indicators with this one, most related first.',
    args: { first: t.arg.int({ defaultValue: 10, description: `How many, up to ${MAX_RELATED}.` }) },
    resolve: (c, args, ctx) => ctx.services.relatedCases.of(c.id, Math.max(0, Math.min(args.first ?? 10, MAX_RELATED))),
  }),
);

const describe = <K extends string>(values: Record<K, string>) => Object.fromEntries(Object.entries(values).map(([k, d]) => [k, { description: d as string }])) as Record<K, { description: string }>;

const GraphNodeKindEnum = builder.enumType('CaseGraphNodeKind', {
  description: 'What a case-graph node stands for.',
  values: describe<GraphNodeKind>({
    CASE: 'A case (`case` is set).',
    ALERT: 'An alert (`alert` is set).',
    IOC: 'An indicator (`ioc` is set).',
    HOST: 'A host: an indicator named in the HOST role of an alert, hostname or address (`ioc` is set).',
    USER: 'A user: a USERNAME indicator in the USER or TARGET_USER role (`ioc` is set).',
  }),
});

const GraphEdgeKindEnum = builder.enumType('CaseGraphEdgeKind', {
  description: 'How two case-graph nodes are linked.',
  values: describe<GraphEdgeKind>({
    CONTAINS: 'Case to one of its alerts.',
    HAS_IOC: 'Alert to an indicator it names (`role` says how).',
    ON_HOST: 'Alert to the host it happened on.',
    BY_USER: 'Alert to a user it names.',
    RELATED: 'Case to a case sharing significant indicators (`weight` and `shared`).',
  }),
});

const GraphNodeRef = builder.objectRef<GraphNode>('CaseGraphNode').implement({
  description: 'A node of a case graph.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The id of what it stands for (cas_, alt_ or ioc_): unique in the graph and usable with `node(id)`.' }),
    kind: t.field({ type: GraphNodeKindEnum, description: 'What it stands for.', resolve: (n) => n.kind }),
    label: t.exposeString('label', { description: 'Short text to draw: `#12 title`, the alert message, or the indicator value.' }),
    depth: t.exposeInt('depth', { description: 'Hops from the root case (0 for the root and its alerts and indicators).' }),
    case: t.field({ type: CaseRef, nullable: true, description: 'The case, for CASE nodes.', resolve: (n) => n.case ?? null }),
    alert: t.field({ type: AlertRef, nullable: true, description: 'The alert, for ALERT nodes.', resolve: (n) => n.alert ?? null }),
    ioc: t.field({ type: IocRef, nullable: true, description: 'The indicator, for IOC, HOST and USER nodes.', resolve: (n) => n.ioc ?? null }),
  }),
});

const GraphEdgeRef = builder.objectRef<GraphEdge>('CaseGraphEdge').implement({
  description: 'A link between two case-graph nodes.',
  fields: (t) => ({
    from: t.id({ description: 'Id of the node it starts at (the case, or the alert).', resolve: (e) => e.from }),
    to: t.id({ description: 'Id of the node it ends at.', resolve: (e) => e.to }),
    kind: t.field({ type: GraphEdgeKindEnum, description: 'What the link means.', resolve: (e) => e.kind }),
    role: t.field({ type: IocRoleEnum, nullable: true, description: 'For HAS_IOC, ON_HOST and BY_USER: the role the indicator plays in the alert.', resolve: (e) => (e.role as never) ?? null }),
    weight: t.float({ nullable: true, description: 'For RELATED: the summed significance of the shared indicators.', resolve: (e) => e.weight ?? null }),
    shared: t.field({ type: [IocRef], description: 'For RELATED: the shared indicators, most significant first; empty otherwise.', resolve: (e) => e.shared ?? [] }),
  }),
});

const CaseGraphRef = builder.objectRef<CaseGraph>('CaseGraph').implement({
  description: 'A case and what surrounds it, as nodes and edges for a threat-graph view.',
  fields: (t) => ({
    root: t.field({ type: CaseRef, description: 'The case the graph is about.', resolve: (g) => g.root }),
    hops: t.exposeInt('hops', { description: 'How many related-case hops were followed.' }),
    nodes: t.field({ type: [GraphNodeRef], description: 'Cases, alerts, indicators, hosts and users; each once.', resolve: (g) => g.nodes }),
    edges: t.field({ type: [GraphEdgeRef], description: 'Links between the nodes.', resolve: (g) => g.edges }),
    truncated: t.exposeBoolean('truncated', {
      description: `True when a cap left something out (at most ${GRAPH_LIMITS.maxCases} cases, ${GRAPH_LIMITS.maxAlerts} alerts, ${GRAPH_LIMITS.maxNodes} nodes): narrow the graph with fewer hops.`,
    }),
  }),
});

builder.queryField('caseGraph', (t) =>
  t.field({
    type: CaseGraphRef,
    nullable: true,
    authScopes: { role: 'VIEWER' },
    description:
      'The graph around a case: hop 1 is the case, its alerts, their indicators, hosts and users, and the cases related to it through significant shared indicators; each further hop expands the related cases the same way. Null when there is no such case.',
    args: {
      caseId: t.arg.id({ required: true, description: 'Case id (cas_...).' }),
      hops: t.arg.int({ defaultValue: 1, description: `How far to follow related cases, 1 to ${GRAPH_LIMITS.maxHops}.` }),
    },
    resolve: (_root, args, ctx) => {
      try {
        return ctx.services.caseGraph.build(String(args.caseId), args.hops ?? 1) ?? null;
      } catch (error) {
        if (error instanceof RangeError) throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT' } });
        throw error;
      }
    },
  }),
);
