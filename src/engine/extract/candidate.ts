import type { IocRole, IocType, IpFlags } from '../types.js';

/** One match in a text: a normalized value and where it was found, so context can give it a role. */
export interface Candidate {
  type: IocType;
  value: string;
  /** Offsets of the raw match in the (refanged) text. */
  start: number;
  end: number;
  ip?: IpFlags;
  /** Set when the pattern itself says how the value takes part (e.g. `USER=` in sudo). */
  role?: IocRole;
}
