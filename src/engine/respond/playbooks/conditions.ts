/**
 * The condition language shared by triggers (`trigger.when`) and steps (`when`): every key given must
 * hold. Lists mean "any of". Evaluated against a subject: a case (its severity, category, score, tags and
 * the types of its observables) or, for an uncased alert, the alert.
 */
import type { Condition } from './schema.js';
import { levelRank } from '../../score/model.js';

export interface ConditionSubject {
  severity: string | null;
  category: string | null;
  score: number | null;
  tags: readonly string[];
  iocTypes: readonly string[];
}


/** Why the condition does not hold (the first key that fails), or undefined when it holds. */
export function conditionMisses(condition: Condition | undefined, subject: ConditionSubject): string | undefined {
  if (!condition) return undefined;
  if (condition.minSeverity !== undefined) {
    const rank = levelRank(subject.severity);
    if (rank < levelRank(condition.minSeverity)) return `severity ${subject.severity ?? 'none'} is below ${condition.minSeverity}`;
  }
  if (condition.categories && !(subject.category !== null && (condition.categories as readonly string[]).includes(subject.category))) {
    return `category ${subject.category ?? 'none'} is not one of ${condition.categories.join(', ')}`;
  }
  if (condition.minScore !== undefined && (subject.score ?? 0) < condition.minScore) return `score ${subject.score ?? 0} is below ${condition.minScore}`;
  if (condition.tags) {
    const tags = new Set(subject.tags.map((t) => t.toLowerCase()));
    if (!condition.tags.some((t) => tags.has(t.toLowerCase()))) return `no tag of ${condition.tags.join(', ')}`;
  }
  if (condition.iocTypes && !condition.iocTypes.some((t) => subject.iocTypes.includes(t))) return `no IOC of type ${condition.iocTypes.join(', ')}`;
  return undefined;
}

export const conditionHolds = (condition: Condition | undefined, subject: ConditionSubject): boolean => conditionMisses(condition, subject) === undefined;
