/**
 * A playbook's steps expanded for one run: conditions decided, loops over IOCs unrolled (one step row per
 * item, `block-source[185.22.13.9]`), parameters templated. Done once, when the run is created, from the
 * run's context snapshot: what a run will do is visible (and stored) before it does anything.
 */
import type { ContextIoc, RunContext } from '../runs/context.js';
import { subjectOf } from '../runs/context.js';
import { conditionMisses } from './conditions.js';
import { PLAYBOOK_LIMITS, type IocSelector, type PlaybookSpec, type StepSpec } from './schema.js';
import { render } from './template.js';

export interface PlannedStep {
  /** The playbook step's name, with the loop item in brackets when it loops. */
  name: string;
  step: StepSpec;
  /** SKIPPED when its condition does not hold or its loop has nothing to act on. */
  skipped: string | null;
  params: Record<string, unknown>;
}

/** The playbook step a run step row came from: its name up to the loop item. */
export function baseStepName(rowName: string): string {
  const bracket = rowName.indexOf('[');
  return bracket < 0 ? rowName : rowName.slice(0, bracket);
}

export function selectIocs(iocs: readonly ContextIoc[], selector: IocSelector): ContextIoc[] {
  const seen = new Set<string>();
  const out: ContextIoc[] = [];
  for (const ioc of iocs) {
    if (selector.types && !(selector.types as readonly string[]).includes(ioc.type)) continue;
    if (selector.roles && !(selector.roles as readonly string[]).includes(ioc.role)) continue;
    if (selector.onlyIndicators && !ioc.isIoc) continue;
    // One action per value, even when the value plays several roles.
    const key = `${ioc.type}:${ioc.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(ioc);
  }
  return out;
}

export function planSteps(playbook: PlaybookSpec, context: RunContext, runId: string): PlannedStep[] {
  const subject = subjectOf(context);
  const variables = { ...context, run: { id: runId } } as Record<string, unknown>;
  const out: PlannedStep[] = [];
  for (const step of playbook.steps) {
    const miss = conditionMisses(step.when, subject);
    if (miss) {
      out.push({ name: step.name, step, skipped: `when: ${miss}`, params: step.params });
      continue;
    }
    if (!step.forEach) {
      out.push({ name: step.name, step, skipped: null, params: render(step.params, variables) as Record<string, unknown> });
      continue;
    }
    const items = selectIocs(context.iocs, step.forEach.iocs);
    if (items.length === 0) {
      out.push({ name: step.name, step, skipped: 'forEach: no IOC of the case matches', params: step.params });
      continue;
    }
    for (const ioc of items.slice(0, PLAYBOOK_LIMITS.forEachItems)) {
      out.push({ name: `${step.name}[${ioc.value}]`, step, skipped: null, params: render(step.params, { ...variables, ioc }) as Record<string, unknown> });
    }
    const rest = items.length - PLAYBOOK_LIMITS.forEachItems;
    if (rest > 0) {
      out.push({ name: `${step.name}[+${rest}]`, step, skipped: `forEach: at most ${PLAYBOOK_LIMITS.forEachItems} items per step; ${rest} more not acted on: ${items.slice(PLAYBOOK_LIMITS.forEachItems, PLAYBOOK_LIMITS.forEachItems + 20).map((i) => i.value).join(', ')}${rest > 20 ? ', ...' : ''}`, params: step.params });
    }
  }
  return out;
}
