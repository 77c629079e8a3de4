/**
 * c-ares error codes to enrichment outcomes. Several record types are asked at once, so one lookup has
 * several outcomes; `summarize` folds them into the one status the contract wants.
 */
import { EnrichmentStatus } from '../../types.js';

export type QueryFailure = 'NXDOMAIN' | 'NODATA' | 'SERVFAIL' | 'TIMEOUT' | 'REFUSED' | 'BAD_RESPONSE' | 'FAILED';

export function failureOf(error: unknown): QueryFailure {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOTFOUND':
      return 'NXDOMAIN';
    case 'ENODATA':
      return 'NODATA';
    case 'ESERVFAIL':
      return 'SERVFAIL';
    // A cancelled query is one we cancelled for the deadline or the caller's abort.
    case 'ETIMEOUT':
    case 'ECANCELLED':
      return 'TIMEOUT';
    case 'EREFUSED':
    case 'ECONNREFUSED':
      return 'REFUSED';
    case 'EBADRESP':
    case 'EFORMERR':
    case 'EBADFAMILY':
      return 'BAD_RESPONSE';
    default:
      return 'FAILED';
  }
}

export interface Summary {
  status: EnrichmentStatus;
  /** NO_DATA: why ("NXDOMAIN"); ERROR/TIMEOUT: what failed ("SERVFAIL"). */
  detail?: string;
}

/**
 * Any records win: a TXT that timed out does not hide the A records. Without records, NXDOMAIN is the
 * name's own answer and outranks server trouble on another type; SERVFAIL and the like are errors;
 * only a lookup where nothing but deadlines happened is a TIMEOUT.
 */
export function summarize(recordCount: number, failures: readonly QueryFailure[]): Summary {
  if (recordCount > 0) return { status: EnrichmentStatus.OK };
  if (failures.includes('NXDOMAIN')) return { status: EnrichmentStatus.NO_DATA, detail: 'NXDOMAIN' };
  const hard = failures.find((f) => f !== 'NODATA' && f !== 'TIMEOUT');
  if (hard !== undefined) return { status: EnrichmentStatus.ERROR, detail: hard };
  if (failures.includes('TIMEOUT')) return { status: EnrichmentStatus.TIMEOUT, detail: 'DNS query timed out' };
  return { status: EnrichmentStatus.NO_DATA, detail: 'no records' };
}
