/** CVE identifiers (`CVE-2021-44228`), stored upper-case as MITRE writes them. */
import { IocType } from '../types.js';
import type { Candidate } from './candidate.js';

const CVE = /^CVE-(\d{4})-(\d{4,7})$/i;
const CVE_IN_TEXT = /\bCVE-\d{4}-\d{4,7}\b/gi;

export function normalizeCve(value: string): string | undefined {
  const m = CVE.exec(value.trim());
  // The programme started in 1999; earlier years are typos or other identifiers.
  return m && Number(m[1]) >= 1999 ? m[0].toUpperCase() : undefined;
}

export function findCves(text: string, limit: number): Candidate[] {
  const out: Candidate[] = [];
  CVE_IN_TEXT.lastIndex = 0;
  for (let m = CVE_IN_TEXT.exec(text); m !== null && out.length < limit; m = CVE_IN_TEXT.exec(text)) {
    const value = normalizeCve(m[0]);
    if (value) out.push({ type: IocType.CVE, value, start: m.index, end: m.index + m[0].length });
  }
  return out;
}
