/**
 * An RDAP server on 127.0.0.1 serving the real fixture responses (CZ.NIC, ICANN conformance samples)
 * plus every failure an enricher must survive.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const FIXTURES = new URL('../../../fixtures/rdap_whois/', import.meta.url);
export const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), 'utf8');

const RDAP_JSON = { 'content-type': 'application/rdap+json' };

/** An ARIN-style answer: the holder as a registrant entity with its abuse team nested, and cidr0. */
export const ARIN_STYLE_NETWORK = {
  objectClassName: 'ip network',
  rdapConformance: ['rdap_level_0', 'cidr0'],
  handle: 'NET-198-51-100-0-1',
  name: 'EXAMPLE-NET',
  startAddress: '198.51.100.0',
  endAddress: '198.51.100.255',
  ipVersion: 'v4',
  type: 'DIRECT ALLOCATION',
  parentHandle: 'NET-198-0-0-0-0',
  cidr0_cidrs: [{ v4prefix: '198.51.100.0', length: 24 }],
  status: ['active'],
  events: [{ eventAction: 'registration', eventDate: '2010-05-01T12:00:00-04:00' }],
  entities: [
    {
      objectClassName: 'entity',
      handle: 'EXMPL',
      roles: ['registrant'],
      vcardArray: ['vcard', [['version', {}, 'text', '4.0'], ['fn', {}, 'text', 'Example Networks LLC'], ['kind', {}, 'text', 'org']]],
      entities: [
        {
          objectClassName: 'entity',
          handle: 'ABUSE-EXMPL',
          roles: ['abuse'],
          vcardArray: ['vcard', [['version', {}, 'text', '4.0'], ['fn', {}, 'text', 'Abuse'], ['email', {}, 'text', 'abuse@example.net']]],
        },
      ],
    },
  ],
};

export interface RdapTestServer {
  base: string;
  requests: string[];
  close(): Promise<void>;
}

export async function startRdapServer(): Promise<RdapTestServer> {
  const requests: string[] = [];
  const routes: Record<string, (res: http.ServerResponse) => void> = {
    '/rdap/domain/example.cz': (res) => res.writeHead(200, RDAP_JSON).end(fixture('openrdap/domain-example.cz.json')),
    '/rdap/domain/example.com': (res) => res.writeHead(200, RDAP_JSON).end(fixture('icann_conformance/domain_valid.json')),
    '/rdap/ip/101.1.1.1': (res) => res.writeHead(200, RDAP_JSON).end(fixture('icann_conformance/ipNetwork_valid.json')),
    '/rdap/ip/198.51.100.7': (res) => res.writeHead(200, RDAP_JSON).end(JSON.stringify(ARIN_STYLE_NETWORK)),
    '/rdap/domain/missing.com': (res) => res.writeHead(404, RDAP_JSON).end(fixture('icann_conformance/error_valid.json')),
    '/rdap/domain/broken.com': (res) => res.writeHead(200, RDAP_JSON).end('{"objectClassName": "domain", "events": ['),
    '/rdap/domain/wrongclass.com': (res) => res.writeHead(200, RDAP_JSON).end(fixture('icann_conformance/entity_valid.json')),
    '/rdap/domain/limited.com': (res) => res.writeHead(429, { 'retry-after': '120' }).end(),
    '/rdap/domain/down.com': (res) => res.writeHead(503).end('maintenance'),
    '/rdap/domain/huge.com': (res) => res.writeHead(200, RDAP_JSON).end(JSON.stringify({ objectClassName: 'domain', pad: 'x'.repeat(64 * 1024) })),
    '/rdap/domain/hang.com': () => undefined,
    '/iana/dns.json': (res) => res.writeHead(200).end(fixture('openrdap/dns.json')),
    '/iana/ipv4.json': (res) => res.writeHead(200).end(fixture('openrdap/ipv4.json')),
    '/iana/broken.json': (res) => res.writeHead(200).end('{"services": 1}'),
  };
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const route = routes[req.url ?? ''];
    if (route) route(res);
    else res.writeHead(404, RDAP_JSON).end(fixture('icann_conformance/error_valid.json'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
