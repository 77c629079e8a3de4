/** Small helpers shared by the reputation providers: reading untyped JSON and shaping results. */
import type { EnrichmentResult, Verdict } from '../../types.js';
import type { HttpReply } from './http.js';

export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function fromFailure(provider: string, reply: Extract<HttpReply, { ok: false }>): EnrichmentResult {
  const { status, error, retryAt, data } = reply.failure;
  // "Not found" is an answer, not a fault: it goes to reasons, where people read it.
  if (status === 'NO_DATA') return { provider, status, verdict: 'UNKNOWN', reasons: error ? [error] : [], data: data ?? {} };
  const result: EnrichmentResult = { provider, status, verdict: 'UNKNOWN', reasons: [], data: data ?? {} };
  if (error !== undefined) result.error = error;
  if (retryAt !== undefined) result.retryAt = retryAt;
  return result;
}

export function malformed(provider: string, label: string): EnrichmentResult {
  return { provider, status: 'ERROR', verdict: 'UNKNOWN', reasons: [], data: {}, error: `${label} answer is not in the documented shape` };
}

export function answer(provider: string, verdict: Verdict, reasons: string[], data: Record<string, unknown>, status: 'OK' | 'NO_DATA' = 'OK'): EnrichmentResult {
  return { provider, status, verdict, reasons, data };
}

export function disabled(provider: string, label: string): EnrichmentResult {
  return { provider, status: 'SKIPPED', verdict: 'UNKNOWN', reasons: [], data: {}, error: `${label} is not configured (no API key)` };
}
