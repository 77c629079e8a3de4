/**
 * Which channels a notification goes to: every route whose event patterns match the event and whose
 * minimum severity the notification reaches. Plain string comparisons, no regexes on event names.
 */
import { NOTIFY_SEVERITIES, type RouteConfig } from './config.js';

const RANK: Readonly<Record<string, number>> = Object.fromEntries(NOTIFY_SEVERITIES.map((s, i) => [s, i]));

/** `*` matches everything, `case.*` every event under `case.`, anything else only itself. */
export function eventMatches(pattern: string, event: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return event.startsWith(pattern.slice(0, -1));
  return pattern === event;
}

/**
 * A route with a minimum severity takes only notifications at or above it; a notification without a
 * (known) severity reaches only routes without a minimum.
 */
export function severityReaches(severity: string | null | undefined, minimum: string | null): boolean {
  if (minimum === null) return true;
  const rank = severity ? RANK[severity.toUpperCase()] : undefined;
  return rank !== undefined && rank >= (RANK[minimum] ?? Infinity);
}

/** The channel names selected for an event, each once, in the order routes name them. */
export function selectChannels(routes: readonly RouteConfig[], event: string, severity: string | null | undefined): string[] {
  const selected = new Set<string>();
  for (const route of routes) {
    if (!severityReaches(severity, route.minSeverity)) continue;
    if (!route.events.some((pattern) => eventMatches(pattern, event))) continue;
    for (const channel of route.channels) selected.add(channel);
  }
  return [...selected];
}
