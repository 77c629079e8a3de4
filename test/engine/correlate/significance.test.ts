import { describe, expect, it } from 'vitest';
import { indicatorVerdict, significance } from '../../../src/engine/correlate/significance.js';
import type { EnrichmentResult } from '../../../src/engine/enrich/types.js';

const ip = (flags: { private?: boolean; loopback?: boolean; reserved?: boolean; range: string }) => ({
  type: 'IPV4',
  attributes: JSON.stringify({ private: false, loopback: false, reserved: false, ...flags }),
});
const result = (verdict: EnrichmentResult['verdict'], data: Record<string, unknown> = {}): EnrichmentResult => ({ provider: 'feeds', status: 'OK', verdict, reasons: [], data });

describe('indicator significance', () => {
  it('takes public addresses, domains, URLs, hashes and emails as indicators, and usernames, hostnames and CVEs as context', () => {
    expect(indicatorVerdict(ip({ range: 'unicast' }), [])).toEqual({ isIoc: true });
    for (const type of ['DOMAIN', 'URL', 'SHA256', 'MD5', 'EMAIL']) expect(indicatorVerdict({ type, attributes: null }, []).isIoc).toBe(true);
    for (const type of ['USERNAME', 'HOSTNAME', 'CVE']) expect(indicatorVerdict({ type, attributes: null }, [])).toEqual({ isIoc: false, why: `${type} is context, not an indicator` });
  });

  it('takes private, loopback and reserved addresses, warning-listed and known-benign values as context', () => {
    expect(indicatorVerdict(ip({ private: true, range: 'private' }), [])).toEqual({ isIoc: false, why: 'private address' });
    expect(indicatorVerdict(ip({ loopback: true, range: 'loopback' }), []).isIoc).toBe(false);
    expect(indicatorVerdict(ip({ reserved: true, range: 'reserved' }), []).isIoc).toBe(false);
    expect(indicatorVerdict(ip({ range: 'unicast' }), [result('BENIGN', { warningListed: true })])).toEqual({ isIoc: false, why: 'on a warning list of common infrastructure' });
    // Even a feed hit does not make a warning-listed value glue cases together.
    expect(indicatorVerdict(ip({ range: 'unicast' }), [result('MALICIOUS'), result('BENIGN', { warningListed: true })]).isIoc).toBe(false);
    expect(indicatorVerdict(ip({ range: 'unicast' }), [result('BENIGN')])).toEqual({ isIoc: false, why: 'known benign' });
    expect(indicatorVerdict(ip({ range: 'unicast' }), [result('BENIGN'), result('MALICIOUS')]).isIoc).toBe(true);
  });

  it('weighs an indicator less the more open cases hold it, and not at all beyond the cap', () => {
    expect(significance('IPV4', 1, 5)).toBeCloseTo(0.8);
    expect(significance('IPV4', 2, 5)).toBeCloseTo(0.8 / Math.log2(3));
    expect(significance('IPV4', 0, 5)).toBeCloseTo(0.8);
    const weights = [1, 2, 3, 4, 5].map((n) => significance('SHA256', n, 5));
    expect(weights).toEqual([...weights].sort((a, b) => b - a));
    expect(significance('SHA256', 6, 5)).toBe(0);
    expect(significance('USERNAME', 1, 5)).toBe(0);
  });
});
