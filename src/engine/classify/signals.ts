/**
 * The facts stateful detections count, from two places: what matched rules declare (`signals:`), and
 * what the normalized fields already say (outcome of a login, Windows event ids, a connection's ends).
 */
import type { NormalizedEvent } from '../types.js';
import { Signal, type RuleMatch } from './types.js';

const AUTH_ACTION = /(?:^|_)(?:login|logon|authentication|auth|su|sudo)(?:_|$)/i;
const PRIVILEGED_ACCOUNTS = new Set(['root', 'administrator', 'admin']);

export function signalsOf(event: NormalizedEvent, matches: readonly RuleMatch[]): Set<Signal> {
  const signals = new Set<Signal>(matches.flatMap((m) => m.signals));
  const outcome = event.outcome?.toLowerCase();
  const authLike = event.action !== undefined && AUTH_ACTION.test(event.action);
  if (event.eventId === '4625' || (authLike && outcome === 'failure')) signals.add(Signal.AUTH_FAILURE);
  if (event.eventId === '4624' || (authLike && outcome === 'success' && event.action !== 'sudo')) signals.add(Signal.AUTH_SUCCESS);
  if (event.eventId === '4672') signals.add(Signal.PRIVILEGED_LOGON);
  if (signals.has(Signal.AUTH_SUCCESS) && event.user && PRIVILEGED_ACCOUNTS.has(event.user.toLowerCase())) signals.add(Signal.PRIVILEGED_LOGON);
  // A connection needs both ends and a port: that is what firewall, flow and proxy records carry.
  if ((event.srcIp || event.host) && event.dstIp && event.dstPort !== undefined) signals.add(Signal.NETWORK_CONNECTION);
  return signals;
}
