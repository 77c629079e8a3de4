/**
 * The registration facts RDAP and WHOIS both give about a domain, in one shape, and what its age says.
 * Age is a reason, not a verdict: most young domains are harmless, but phishing and malware domains are
 * overwhelmingly young, so youth alone can make a domain SUSPICIOUS and never more.
 */
import { Verdict } from '../../types.js';

export interface DomainRegistration {
  /** The registered name asked about (lower case). */
  domain: string;
  source: 'rdap' | 'whois';
  handle?: string;
  /** ISO 8601 UTC. */
  registeredAt?: string;
  expiresAt?: string;
  updatedAt?: string;
  registrar?: string;
  registrarIanaId?: string;
  registrarAbuseEmail?: string;
  /** Registry status values as given (EPP names or the registry's words). */
  status: string[];
  /** Lower case, without the trailing dot. */
  nameservers: string[];
  /** Whole days from registration to now. */
  ageDays?: number;
  /** The registry's WHOIS host, where it names one. */
  whoisServer?: string;
}

export interface AgeAssessment {
  verdict: Verdict;
  reasons: string[];
  ageDays?: number;
}

const DAY_MS = 86_400_000;

/** ISO 8601 UTC for anything `Date` reads, else undefined (never an "Invalid Date" string). */
export function toIso(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const ms = Date.parse(value.trim());
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function daysText(days: number): string {
  if (days === 0) return 'registered today';
  return `registered ${days} day${days === 1 ? '' : 's'} ago`;
}

export function assessAge(registration: DomainRegistration, now: number, youngDomainDays: number): AgeAssessment {
  const reasons: string[] = [];
  let verdict: Verdict = Verdict.UNKNOWN;
  let ageDays: number | undefined;
  const registered = registration.registeredAt ? Date.parse(registration.registeredAt) : Number.NaN;
  // A registration date in the future is a registry or clock error; it says nothing about age.
  if (!Number.isNaN(registered) && registered <= now + DAY_MS) {
    ageDays = Math.max(0, Math.floor((now - registered) / DAY_MS));
    if (ageDays < youngDomainDays) {
      verdict = Verdict.SUSPICIOUS;
      reasons.push(daysText(ageDays));
    }
  }
  const expires = registration.expiresAt ? Date.parse(registration.expiresAt) : Number.NaN;
  // Registries keep expired names in a grace period; worth saying, since the owner may have changed.
  if (!Number.isNaN(expires) && expires < now) reasons.push(`registration expired on ${new Date(expires).toISOString().slice(0, 10)}`);
  return ageDays === undefined ? { verdict, reasons } : { verdict, reasons, ageDays };
}
