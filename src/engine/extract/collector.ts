/**
 * Dedup, role precedence and the cap. An IOC's identity is (type, value); within it each role is
 * kept once, and RELATED only when nothing more specific is known, so a value seen in a structured
 * field and again in free text keeps the field's role.
 */
import { IocRole, IocType, type ExtractedIoc, type IpFlags } from '../types.js';

const TYPE_ORDER: readonly IocType[] = Object.values(IocType);
const ROLE_ORDER: readonly IocRole[] = Object.values(IocRole);

interface Entry {
  type: IocType;
  value: string;
  ip?: IpFlags;
  roles: Set<IocRole>;
}

export class IocCollector {
  private readonly entries = new Map<string, Entry>();
  private size = 0;

  /** `max` bounds the number of (type, value, role) triples, the length of the final list. */
  constructor(private readonly max: number) {}

  /** True when no new triple can be added (role upgrades of RELATED ones still can). */
  get full(): boolean {
    return this.size >= this.max;
  }

  add(ioc: ExtractedIoc): void {
    const key = `${ioc.type}\u0000${ioc.value}`;
    const entry = this.entries.get(key);
    if (entry === undefined) {
      if (this.full) return;
      this.entries.set(key, { type: ioc.type, value: ioc.value, ...(ioc.ip ? { ip: ioc.ip } : {}), roles: new Set([ioc.role]) });
      this.size++;
      return;
    }
    if (entry.roles.has(ioc.role)) return;
    if (ioc.role === IocRole.RELATED) return;
    if (entry.roles.has(IocRole.RELATED)) {
      // Replacing, not adding: the count stays, so upgrades go through even at the cap.
      entry.roles.delete(IocRole.RELATED);
      entry.roles.add(ioc.role);
      return;
    }
    if (this.full) return;
    entry.roles.add(ioc.role);
    this.size++;
  }

  /** Sorted by type (enum order), then value (code units), then role (enum order). */
  list(): ExtractedIoc[] {
    const out: ExtractedIoc[] = [];
    for (const entry of this.entries.values()) {
      for (const role of entry.roles) {
        out.push(entry.ip ? { type: entry.type, value: entry.value, role, ip: entry.ip } : { type: entry.type, value: entry.value, role });
      }
    }
    return out.sort(compareIocs);
  }
}

export function compareIocs(a: ExtractedIoc, b: ExtractedIoc): number {
  return (
    TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type) ||
    (a.value < b.value ? -1 : a.value > b.value ? 1 : 0) ||
    ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role)
  );
}
