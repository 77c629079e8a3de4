/**
 * What a run's templates and conditions see: the case, the triggering alert and the IOCs (with role and
 * whether each is an indicator), snapshotted as plain JSON when the run is created, so the run does the
 * same thing after a restart, whatever happened to the case since.
 */
import type { AlertRecord, CaseRecord } from '../../../store/records.js';
import type { Classification } from '../../classify/classification.js';
import type { NormalizedEvent } from '../../types.js';
import type { ConditionSubject } from '../playbooks/conditions.js';
import type { RunOrigin } from './model.js';

export interface ContextIoc {
  type: string;
  value: string;
  role: string;
  isIoc: boolean;
}

export interface RunContext {
  case: {
    id: string;
    number: number;
    title: string;
    status: string;
    severity: string;
    score: number;
    category: string | null;
    tags: string[];
    assignee: string | null;
    /** First host, user and source address among its observables: what a task title usually names. */
    host: string | null;
    user: string | null;
    sourceIp: string | null;
  } | null;
  alert: {
    id: string;
    message: string | null;
    category: string | null;
    label: string | null;
    score: number | null;
    riskLevel: string | null;
    host: string | null;
    user: string | null;
    program: string | null;
    sourceIp: string | null;
    destinationIp: string | null;
  } | null;
  iocs: ContextIoc[];
  trigger: string;
  playbook: { name: string; version: string };
  /** Who set the run off (not a template variable); absent in runs stored before it was kept. */
  origin?: RunOrigin;
}

export interface ContextSources {
  observablesOf(caseId: string): ContextIoc[];
  /** An alert's IOCs, with isIoc decided the way correlation decides it. */
  iocsOfAlert(alertId: string): ContextIoc[];
}

const first = (iocs: ContextIoc[], roles: readonly string[], types?: readonly string[]) =>
  iocs.find((i) => roles.includes(i.role) && (!types || types.includes(i.type)))?.value ?? null;

function alertPart(alert: AlertRecord): NonNullable<RunContext['alert']> {
  const event = alert.normalized ? (JSON.parse(alert.normalized) as NormalizedEvent) : null;
  const classification = alert.classification ? (JSON.parse(alert.classification) as Classification) : null;
  return {
    id: alert.id,
    message: alert.message,
    category: alert.category,
    label: classification?.label ?? null,
    score: alert.score,
    riskLevel: alert.riskLevel,
    host: event?.host ?? null,
    user: event?.user ?? null,
    program: event?.program ?? null,
    sourceIp: event?.srcIp ?? null,
    destinationIp: event?.dstIp ?? null,
  };
}

export function buildContext(
  sources: ContextSources,
  input: { theCase: CaseRecord | null; alert: AlertRecord | null; trigger: string; playbook: { name: string; hash: string }; origin?: RunOrigin },
): RunContext {
  const { theCase, alert } = input;
  const iocs = theCase ? sources.observablesOf(theCase.id) : alert ? sources.iocsOfAlert(alert.id) : [];
  return {
    case: theCase && {
      id: theCase.id,
      number: theCase.number,
      title: theCase.title,
      status: theCase.status,
      severity: theCase.severity,
      score: theCase.score,
      category: theCase.category,
      tags: JSON.parse(theCase.tags) as string[],
      assignee: theCase.assignee,
      host: first(iocs, ['HOST']),
      user: first(iocs, ['USER', 'TARGET_USER']),
      sourceIp: first(iocs, ['SOURCE'], ['IPV4', 'IPV6']),
    },
    alert: alert && alertPart(alert),
    iocs,
    trigger: input.trigger,
    playbook: { name: input.playbook.name, version: input.playbook.hash },
    origin: input.origin ?? {},
  };
}

/** What trigger and step conditions are checked against: the case when there is one, else the alert. */
export function subjectOf(context: RunContext): ConditionSubject {
  const iocTypes = [...new Set(context.iocs.map((i) => i.type))];
  if (context.case) return { severity: context.case.severity, category: context.case.category, score: context.case.score, tags: context.case.tags, iocTypes };
  return { severity: context.alert?.riskLevel ?? null, category: context.alert?.category ?? null, score: context.alert?.score ?? null, tags: [], iocTypes };
}
