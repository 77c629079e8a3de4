/**
 * Validates one submission before anything is stored: exactly one of `log` or `alert`, within the size
 * limit, well-formed JSON objects, sane source/sourceRef. Returns a problem naming the field instead of
 * throwing, so a batch can accept the good items and report the bad ones by index.
 */
import type { AlertPayload } from '../types.js';
import { canonicalJson, maxDepthExceeded } from './canonical-json.js';

export interface AlertSubmission {
  log?: unknown;
  alert?: unknown;
  source?: unknown;
  sourceRef?: unknown;
}

export const ValidationCode = {
  MISSING: 'MISSING',
  AMBIGUOUS: 'AMBIGUOUS',
  EMPTY: 'EMPTY',
  TOO_LARGE: 'TOO_LARGE',
  INVALID_JSON: 'INVALID_JSON',
  WRONG_TYPE: 'WRONG_TYPE',
  TOO_DEEP: 'TOO_DEEP',
  INVALID_VALUE: 'INVALID_VALUE',
  BATCH_TOO_LARGE: 'BATCH_TOO_LARGE',
} as const;
export type ValidationCode = (typeof ValidationCode)[keyof typeof ValidationCode];

export interface ValidationProblem {
  code: ValidationCode;
  /** The input field at fault, e.g. `alert` or `sourceRef`. */
  field: string;
  message: string;
}

export interface ValidAlert {
  payload: AlertPayload;
  /** What is stored and fingerprinted: the log line, or the JSON alert with sorted keys. */
  text: string;
  source: string;
  sourceRef: string | null;
}

export interface SubmissionLimits {
  maxAlertBytes: number;
}

export const DEFAULT_SOURCE = 'api';
const MAX_JSON_DEPTH = 32;
const SOURCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;
const MAX_SOURCE_REF_LENGTH = 256;

type Failure = { ok: false; problem: ValidationProblem };
type Outcome<T> = { ok: true; value: T } | Failure;
type Result = Outcome<ValidAlert>;
type PayloadResult = Outcome<Omit<ValidAlert, 'source' | 'sourceRef'>>;

const fail = (code: ValidationCode, field: string, message: string): Failure => ({ ok: false, problem: { code, field, message } });

export function validateSubmission(input: AlertSubmission, limits: SubmissionLimits): Result {
  const hasLog = input.log !== undefined && input.log !== null;
  const hasAlert = input.alert !== undefined && input.alert !== null;
  if (hasLog && hasAlert) return fail('AMBIGUOUS', 'log', 'give either `log` or `alert`, not both');
  if (!hasLog && !hasAlert) return fail('MISSING', 'log', 'give a raw log line in `log` or a JSON alert in `alert`');

  const source = input.source ?? DEFAULT_SOURCE;
  if (typeof source !== 'string') return fail('WRONG_TYPE', 'source', '`source` must be a string');
  if (!SOURCE_PATTERN.test(source)) {
    return fail('INVALID_VALUE', 'source', '`source` must be 1-64 characters of letters, digits and . _ : / - , starting with a letter or digit');
  }
  const sourceRef = input.sourceRef ?? null;
  if (sourceRef !== null) {
    if (typeof sourceRef !== 'string') return fail('WRONG_TYPE', 'sourceRef', '`sourceRef` must be a string');
    if (sourceRef.trim() === '') return fail('EMPTY', 'sourceRef', '`sourceRef` is empty');
    if (sourceRef.length > MAX_SOURCE_REF_LENGTH) return fail('TOO_LARGE', 'sourceRef', `\`sourceRef\` is longer than ${MAX_SOURCE_REF_LENGTH} characters`);
  }

  const payload = hasLog ? validateLog(input.log, limits) : validateAlert(input.alert, limits);
  if (!payload.ok) return payload;
  return { ok: true, value: { ...payload.value, source, sourceRef } };
}

function validateLog(log: unknown, limits: SubmissionLimits): PayloadResult {
  if (typeof log !== 'string') return fail('WRONG_TYPE', 'log', '`log` must be a string');
  const text = log.trim();
  if (text === '') return fail('EMPTY', 'log', '`log` is empty');
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxAlertBytes) return tooLarge('log', bytes, limits);
  return { ok: true, value: { payload: { kind: 'log', text }, text } };
}

function validateAlert(alert: unknown, limits: SubmissionLimits): PayloadResult {
  let value = alert;
  if (typeof value === 'string') {
    // A JSON alert may arrive as a JSON-encoded string (a variable typed String, or a SIEM forwarding text).
    if (value.trim() === '') return fail('EMPTY', 'alert', '`alert` is empty');
    if (Buffer.byteLength(value, 'utf8') > limits.maxAlertBytes) return tooLarge('alert', Buffer.byteLength(value, 'utf8'), limits);
    try {
      value = JSON.parse(value);
    } catch (error) {
      return fail('INVALID_JSON', 'alert', `\`alert\` is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('WRONG_TYPE', 'alert', `\`alert\` must be a JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`);
  }
  if (Object.keys(value).length === 0) return fail('EMPTY', 'alert', '`alert` is an empty object');
  if (maxDepthExceeded(value, MAX_JSON_DEPTH)) return fail('TOO_DEEP', 'alert', `\`alert\` is nested deeper than ${MAX_JSON_DEPTH} levels`);
  const text = canonicalJson(value);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxAlertBytes) return tooLarge('alert', bytes, limits);
  return { ok: true, value: { payload: { kind: 'json', value: JSON.parse(text) as Record<string, unknown> }, text } };
}

function tooLarge(field: string, bytes: number, limits: SubmissionLimits): Failure {
  return fail('TOO_LARGE', field, `\`${field}\` is ${bytes} bytes, over the limit of ${limits.maxAlertBytes}`);
}
