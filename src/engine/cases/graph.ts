/**
 * The case graph for a threat-graph view: a case, its alerts, their indicators, hosts and users, and the
 * cases related through significant shared indicators, `hops` deep. Hosts are the IOCs an alert names in
 * the HOST role (a hostname or an address); users are USERNAME IOCs in the USER or TARGET_USER role: the
 * same values correlation uses for entities, so the graph shows what linked the alerts. Built from four
 * statements whatever its size (see case-graph-queries.ts), and capped so a huge case stays drawable.
 */
import type { CaseGraphQueries, GraphAlertRow } from '../../store/case-graph-queries.js';
import type { CaseRecord, IocRecord } from '../../store/records.js';
import { byRank, DEFAULT_RELATED, linksFrom, type RelatedSettings } from './related.js';

export const GraphNodeKind = { CASE: 'CASE', ALERT: 'ALERT', IOC: 'IOC', HOST: 'HOST', USER: 'USER' } as const;
export type GraphNodeKind = (typeof GraphNodeKind)[keyof typeof GraphNodeKind];
export const GraphEdgeKind = { CONTAINS: 'CONTAINS', HAS_IOC: 'HAS_IOC', ON_HOST: 'ON_HOST', BY_USER: 'BY_USER', RELATED: 'RELATED' } as const;
export type GraphEdgeKind = (typeof GraphEdgeKind)[keyof typeof GraphEdgeKind];

export interface GraphNode {
  /** The id of what it stands for (cas_, alt_, ioc_). */
  id: string;
  kind: GraphNodeKind;
  label: string;
  /** Hops from the root case (cases only; alerts and indicators take their case's). */
  depth: number;
  case?: CaseRecord;
  alert?: GraphAlertRow;
  ioc?: IocRecord;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: GraphEdgeKind;
  /** The IOC's role in the alert, for HAS_IOC, ON_HOST and BY_USER. */
  role?: string;
  /** Summed significance of the shared indicators, for RELATED. */
  weight?: number;
  shared?: IocRecord[];
}

export interface CaseGraph {
  root: CaseRecord;
  hops: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** True when a cap left cases, alerts or indicators out. */
  truncated: boolean;
}

export interface GraphLimits {
  maxHops: number;
  maxCases: number;
  maxAlerts: number;
  maxNodes: number;
  /** At most this many alert-to-IOC links are read. */
  maxIocLinks: number;
}

export const GRAPH_LIMITS: GraphLimits = { maxHops: 3, maxCases: 200, maxAlerts: 500, maxNodes: 2000, maxIocLinks: 10_000 };

const USER_ROLES = new Set(['USER', 'TARGET_USER']);

function edgeKindOf(role: string, type: string): GraphEdgeKind {
  if (role === 'HOST') return GraphEdgeKind.ON_HOST;
  if (USER_ROLES.has(role) && type === 'USERNAME') return GraphEdgeKind.BY_USER;
  return GraphEdgeKind.HAS_IOC;
}

const NODE_RANK: Record<GraphNodeKind, number> = { CASE: 4, HOST: 3, USER: 2, IOC: 1, ALERT: 0 };
const clip = (text: string, max = 80) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const alertLabel = (a: GraphAlertRow) => clip(a.message ?? `${a.source} alert ${a.id}`);

export function createCaseGraph(deps: { queries: CaseGraphQueries; related?: RelatedSettings; limits?: GraphLimits }) {
  const settings = deps.related ?? DEFAULT_RELATED;
  const limits = deps.limits ?? GRAPH_LIMITS;

  return {
    limits,
    /** The graph around `caseId`, `hops` deep (1 to `maxHops`); undefined when there is no such case. */
    build(caseId: string, hops: number): CaseGraph | undefined {
      if (!Number.isInteger(hops) || hops < 1 || hops > limits.maxHops) throw new RangeError(`hops must be between 1 and ${limits.maxHops}; got ${hops}`);
      const rows = deps.queries.walk(caseId, { hops, cap: settings.maxCasesPerIoc, maxReach: limits.maxCases });
      let truncated = (rows[0]?.reachRows ?? 0) >= limits.maxCases;

      const depth = new Map<string, number>([[caseId, 0]]);
      for (const r of rows) {
        depth.set(r.fromCase, Math.min(depth.get(r.fromCase) ?? r.fromDepth, r.fromDepth));
        depth.set(r.toCase, Math.min(depth.get(r.toCase) ?? r.toDepth, r.toDepth));
      }
      // Nearest first, so caps drop the farthest cases' alerts.
      const caseIds = [...depth.keys()].sort((a, b) => depth.get(a)! - depth.get(b)! || Number(b === caseId) - Number(a === caseId) || a.localeCompare(b));
      const cases = new Map(deps.queries.casesByIds(caseIds).map((c) => [c.id, c]));
      const root = cases.get(caseId);
      if (!root) return undefined;

      const nodes = new Map<string, GraphNode>();
      const edges: GraphEdge[] = [];
      for (const id of caseIds) {
        const c = cases.get(id);
        if (c) nodes.set(id, { id, kind: GraphNodeKind.CASE, label: `#${c.number} ${c.title}`, depth: depth.get(id)!, case: c });
      }

      // RELATED edges, one per pair of cases, pointing away from the root.
      const seenPairs = new Set<string>();
      const related = [...linksFrom(rows, settings.maxCasesPerIoc).values()].sort((x, y) => depth.get(x.fromCase)! - depth.get(y.fromCase)! || byRank(x, y));
      for (const link of related) {
        const pair = [link.fromCase, link.caseId].sort().join(' ');
        if (seenPairs.has(pair) || !nodes.has(link.fromCase) || !nodes.has(link.caseId)) continue;
        seenPairs.add(pair);
        edges.push({ from: link.fromCase, to: link.caseId, kind: GraphEdgeKind.RELATED, weight: link.score, shared: link.shared });
      }

      const expanded = caseIds.filter((id) => depth.get(id)! < hops && nodes.has(id));
      const alerts = deps.queries.alertsOfCases(expanded, limits.maxAlerts + 1);
      if (alerts.length > limits.maxAlerts) {
        truncated = true;
        alerts.length = limits.maxAlerts;
      }
      for (const a of alerts) {
        nodes.set(a.id, { id: a.id, kind: GraphNodeKind.ALERT, label: alertLabel(a), depth: depth.get(a.caseId)!, alert: a });
        edges.push({ from: a.caseId, to: a.id, kind: GraphEdgeKind.CONTAINS });
      }

      const links = deps.queries.iocsOfAlerts(alerts.map((a) => a.id), limits.maxIocLinks + 1);
      if (links.length > limits.maxIocLinks) {
        truncated = true;
        links.length = limits.maxIocLinks;
      }
      for (const l of links) {
        const kind = edgeKindOf(l.role, l.type);
        const nodeKind = kind === GraphEdgeKind.ON_HOST ? GraphNodeKind.HOST : kind === GraphEdgeKind.BY_USER ? GraphNodeKind.USER : GraphNodeKind.IOC;
        const existing = nodes.get(l.id);
        if (!existing) {
          if (nodes.size >= limits.maxNodes) {
            truncated = true;
            continue;
          }
          const { alertId: _alertId, role: _role, ...ioc } = l;
          nodes.set(l.id, { id: l.id, kind: nodeKind, label: l.value, depth: nodes.get(l.alertId)!.depth, ioc });
        } else if (NODE_RANK[nodeKind] > NODE_RANK[existing.kind]) {
          existing.kind = nodeKind;
        }
        edges.push({ from: l.alertId, to: l.id, kind, role: l.role });
      }
      return { root, hops, nodes: [...nodes.values()], edges, truncated };
    },
  };
}

export type CaseGraphBuilder = ReturnType<typeof createCaseGraph>;
