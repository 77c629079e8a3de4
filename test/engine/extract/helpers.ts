import { extractIocs } from '../../../src/engine/extract/index.js';
import type { ExtractedIoc, NormalizedEvent } from '../../../src/engine/types.js';

export function event(message: string, extra: Partial<NormalizedEvent> = {}): NormalizedEvent {
  return { format: 'UNKNOWN', message, fields: {}, ...extra };
}

/** `TYPE value ROLE` lines: compact to assert on, and the failure diff shows every IOC. */
export function render(iocs: readonly ExtractedIoc[]): string[] {
  return iocs.map((i) => `${i.type} ${i.value} ${i.role}`);
}

export function extract(message: string, extra: Partial<NormalizedEvent> = {}): string[] {
  return render(extractIocs(event(message, extra)));
}

export function values(message: string, type: ExtractedIoc['type']): string[] {
  return extractIocs(event(message))
    .filter((i) => i.type === type)
    .map((i) => i.value);
}
