import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, settle, type Harness } from '../../helpers/harness.js';

let h: Harness;
afterEach(async () => h?.close());

const sshFailure = (i: number, user = 'root', ip = '185.22.13.9', host = 'web-01') =>
  `Nov 23 04:00:${String(i).padStart(2, '0')} ${host} sshd[${1000 + i}]: Failed password for ${user} from ${ip} port ${40000 + i} ssh2`;

function caseOf(alertId: string) {
  return h.services.cases.linkOf(alertId);
}

function submit(...submissions: Array<{ log?: string; alert?: unknown }>): string[] {
  return h.services.pipeline.submit(submissions).map((o) => {
    if (!o.ok) throw new Error(JSON.stringify(o));
    return o.alert.id;
  });
}

describe('correlation into cases', () => {
  it('puts twenty brute-force alerts from one IP against one host into one case; an alert sharing only 8.8.8.8 stays out', async () => {
    h = createHarness();
    await h.services.enrichment.reloadFeeds(); // the shipped warning lists, which know 8.8.8.8 as Google's resolver
    // The first alert also names the resolver the host used: 8.8.8.8 becomes one of the case's observables.
    const first = submit({ alert: { message: 'sshd: Failed password for root from 185.22.13.9 port 40000 ssh2 (resolver 8.8.8.8)', host: 'web-01', srcip: '185.22.13.9', user: 'root', program: 'sshd' } });
    await settle(h);
    const ids = [...first, ...submit(...Array.from({ length: 19 }, (_, i) => ({ log: sshFailure(i + 1, i % 2 ? 'root' : 'admin') })))];
    await settle(h);
    const caseIds = new Set(ids.map((id) => caseOf(id)?.caseId));
    expect(caseIds.size).toBe(1);
    const [caseId] = [...caseIds];
    const opened = h.services.cases.get(caseId!)!;
    expect(opened).toMatchObject({ number: 1, alertCount: 20, category: 'BRUTE_FORCE', status: 'NEW' });
    expect(opened.title).toContain('185.22.13.9');
    expect(h.services.cases.linksOf(caseId!).map((l) => l.linkedBy).sort()[0]).toBe('IOC');

    const [unrelated] = submit({ alert: { message: 'DNS query for example.org answered by 8.8.8.8', host: 'laptop-7', dst_ip: '8.8.8.8', program: 'dnsmasq' } });
    await settle(h);
    expect(caseOf(unrelated!)?.caseId).not.toBe(caseId);
    expect(h.services.cases.get(caseId!)!.alertCount).toBe(20);
  });

  it('leaves low-scored alerts uncased but queryable, and says why in the CORRELATE event', async () => {
    h = createHarness();
    const [id] = submit({ log: 'Nov 23 04:00:00 web-01 CRON[100]: (root) CMD (run-parts /etc/cron.hourly)' });
    await settle(h);
    expect(caseOf(id!)).toBeUndefined();
    const event = h.services.alertQueries.eventsOf(id!).find((e) => e.stage === 'CORRELATE')!;
    expect(event.summary).toMatch(/^not cased: score \d+ is below 40/);
  });

  it('joins an alert about the same host and category, but not one about a different host', async () => {
    h = createHarness();
    const [a] = submit({ log: sshFailure(1, 'root', '185.22.13.9', 'db-02') });
    await settle(h);
    const [b] = submit({ log: sshFailure(2, 'alice', '203.0.113.77', 'db-02') });
    const [c] = submit({ log: sshFailure(3, 'bob', '198.51.100.23', 'mail-03') });
    await settle(h);
    expect(caseOf(b!)?.caseId).toBe(caseOf(a!)?.caseId);
    expect(caseOf(b!)?.reason).toBe('same host db-02 and category BRUTE_FORCE');
    expect(caseOf(c!)?.caseId).not.toBe(caseOf(a!)?.caseId);
  });

  it('folds an alert storm into one case with a count instead of a case per alert', async () => {
    h = createHarness({ VIGIL_CASE_STORM_THRESHOLD: '2' });
    // Sixty brute-force alerts, each from its own address against its own host: nothing links them but their kind.
    const ids = submit(...Array.from({ length: 60 }, (_, i) => ({ log: sshFailure(i % 60, 'root', `203.0.113.${i + 1}`, `host-${i}`) })));
    await settle(h);
    const caseIds = new Set(ids.map((id) => caseOf(id)?.caseId).filter(Boolean));
    expect(caseIds.size).toBe(2);
    const storm = [...caseIds].map((id) => h.services.cases.get(id!)!).find((c) => c.foldedCount > 0)!;
    expect(storm.foldedCount).toBe(58);
    expect(storm.alertCount).toBe(59);
  });
});

describe('rarity', () => {
  const proxy = '91.240.118.5';
  async function proxyScenario(env: Record<string, string>) {
    h = createHarness(env);
    const [bruteForce] = submit({ alert: { message: `sshd: Failed password for root from 45.83.64.1 port 4000 ssh2 via proxy ${proxy}`, host: 'alpha', srcip: '45.83.64.1', program: 'sshd' } });
    await settle(h);
    const [malware] = submit({ alert: { message: `Malware detected: Trojan.Agent on delta contacted ${proxy}`, host: 'delta', sha256: 'c'.repeat(64), program: 'defender' } });
    await settle(h);
    return { bruteForce: caseOf(bruteForce!)!, malware: caseOf(malware!) };
  }

  it('joins on a public address two hosts reported, but not once it is reported by more hosts than the cap', async () => {
    const rare = await proxyScenario({});
    expect(rare.malware).toMatchObject({ caseId: rare.bruteForce.caseId, linkedBy: 'IOC', reason: `shares ${proxy} (IPV4, 0.50): significance 0.50` });
    await h.close();
    const capped = await proxyScenario({ VIGIL_CASE_IOC_MAX_HOSTS: '1' });
    expect(capped.malware?.caseId).not.toBe(capped.bruteForce.caseId);
  });

  it('never glues on a value every host talks to, even one no warning list knows', async () => {
    h = createHarness();
    const resolver = '94.140.14.14';
    submit(...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((host) => ({ alert: { message: `DNS query for intranet.example answered by ${resolver}`, host, dst_ip: resolver, program: 'dnsmasq' } })));
    await settle(h);
    const [a] = submit({ alert: { message: `sshd: Failed password for root from 45.83.64.1 port 4000 ssh2 (resolver ${resolver})`, host: 'alpha', srcip: '45.83.64.1', program: 'sshd' } });
    await settle(h);
    const [b] = submit({ alert: { message: `Malware detected: Trojan.Agent on delta resolved via ${resolver}`, host: 'delta', sha256: 'd'.repeat(64), program: 'defender' } });
    await settle(h);
    expect(caseOf(a!)).toBeDefined();
    expect(caseOf(b!)?.caseId).not.toBe(caseOf(a!)!.caseId);
  });
});

describe('a long alert storm', () => {
  it('stays one case while its alerts keep coming, however long it lasts, and a later storm starts afresh', async () => {
    h = createHarness({ VIGIL_CASE_STORM_THRESHOLD: '2' });
    // One brute-force alert a minute for two hours, each from its own address against its own host.
    const at = (minute: number) => `Nov 23 ${String(4 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00`;
    const line = (minute: number, ip: string, host: string) => `${at(minute)} ${host} sshd[${100 + minute}]: Failed password for root from ${ip} port 4000 ssh2`;
    const ids = submit(...Array.from({ length: 120 }, (_, m) => ({ log: line(m, `45.83.${Math.floor(m / 100)}.${(m % 100) + 1}`, `host-${m}`) })));
    await settle(h);
    const caseIds = new Set(ids.map((id) => caseOf(id)?.caseId));
    expect(caseIds.size).toBe(2);
    const storm = [...caseIds].map((id) => h.services.cases.get(id!)!).find((c) => c.foldedCount > 0)!;
    expect(storm.foldedCount).toBe(118);
    // After a quiet spell longer than the storm window, the next alert of the kind is a case of its own.
    const [later] = submit({ log: line(180, '45.83.9.9', 'host-late') });
    await settle(h);
    expect(caseIds.has(caseOf(later!)?.caseId)).toBe(false);
  });
});
