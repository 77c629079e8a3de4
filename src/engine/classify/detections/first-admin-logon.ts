/**
 * The first administrative logon of an account on a host (T1078): a hint, not an alarm. Admins log on to
 * new machines every day; an attacker with stolen credentials does it too, and this is often the only
 * trace. SUSPICIOUS_ACCESS rather than PRIVILEGE_MISUSE: nothing was misused yet, an access is unusual.
 * LOW severity, MEDIUM when the account has never logged on with admin rights anywhere before.
 *
 * Until PRIVILEGED_LOGON events spanning the learning period have been seen, sightings are recorded
 * without firing, so a fresh install learns its baseline instead of reporting every account.
 */
import { Category, Signal } from '../types.js';
import { seconds } from './hit.js';
import type { DetectionSettings } from './settings.js';
import type { DetectionStore } from './store.js';
import type { Detector } from './types.js';

export const FIRST_ADMIN_LOGON = 'first-admin-logon';
/** Rows in detection_firsts: per host and account, per account, and the start of learning. */
const ON_HOST = FIRST_ADMIN_LOGON;
const ANYWHERE = `${FIRST_ADMIN_LOGON}/account`;
const LEARNING = `${FIRST_ADMIN_LOGON}/learning`;

function ignored(account: string, patterns: readonly string[]): boolean {
  // `NT AUTHORITY\SYSTEM` and `SYSTEM` are the same identity.
  const name = account.slice(account.lastIndexOf('\\') + 1);
  if (name.endsWith('$')) return true;
  return patterns.some((p) => {
    const q = p.toLowerCase();
    return q.endsWith('*') ? name.startsWith(q.slice(0, -1)) : name === q;
  });
}

/** `CORP\alice` or `alice@corp.example` is a domain account unless its domain is the machine itself. */
function isDomainAccount(account: string, host: string): boolean {
  const shortHost = host.split('.')[0];
  const slash = account.indexOf('\\');
  if (slash > 0) return !['.', shortHost, 'nt authority', 'workgroup'].includes(account.slice(0, slash));
  return account.includes('@');
}

/** Records a sighting, keeping the earliest; true when this alert holds the first one (now or when first processed). */
function sight(store: DetectionStore, detector: string, key: string, alertId: string, at: number): boolean {
  const known = store.first(detector, key);
  if (!known) return store.insertFirst(detector, key, alertId, at);
  if (known.alertId === alertId) return true;
  // An older event arriving late is the real first sighting; it does not fire, the baseline just moves.
  if (at < known.firstSeenAt) store.moveFirst(detector, key, alertId, at);
  return false;
}

export function createFirstAdminLogon(store: DetectionStore, s: DetectionSettings): Detector {
  return ({ alertId, at, signals }, keys) => {
    const { account, host } = keys;
    if (!signals.has(Signal.PRIVILEGED_LOGON) || !account || !host || ignored(account, s.firstAdminIgnoreAccounts)) return undefined;

    sight(store, LEARNING, '', alertId, at);
    const learningSince = store.first(LEARNING, '')!.firstSeenAt;
    const firstOnHost = sight(store, ON_HOST, `${host}|${account}`, alertId, at);
    const firstAnywhere = sight(store, ANYWHERE, account, alertId, at);
    if (!firstOnHost || at - learningSince < s.firstAdminLearningMs) return undefined;

    const domain = isDomainAccount(account, host);
    return {
      detector: FIRST_ADMIN_LOGON,
      category: Category.SUSPICIOUS_ACCESS,
      confidence: firstAnywhere ? 0.5 : 0.4,
      severity: firstAnywhere ? 'MEDIUM' : 'LOW',
      techniques: [domain ? 'T1078.002' : 'T1078.003'],
      description: firstAnywhere
        ? `First administrative logon of ${account} anywhere, on ${host}`
        : `First administrative logon of ${account} on ${host}`,
      relatedAlertIds: [alertId],
      facts: {
        account,
        host,
        accountType: domain ? 'domain' : 'local',
        firstOnAnyHost: firstAnywhere ? 'yes' : 'no',
        learnedSeconds: seconds(at - learningSince),
      },
    };
  };
}
