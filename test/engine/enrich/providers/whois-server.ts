/**
 * A port-43 server on 127.0.0.1 answering with the real raw replies from likexian/whois-parser, plus
 * synthetic replies in other registries' formats and the failures a client must survive.
 */
import net from 'node:net';
import { fixture } from './rdap-server.js';

/** RIPE-like format as .ru/.su registries send it (synthetic record, real field names). */
export const RU_STYLE = [
  '% TCI Whois Service. Terms of use:',
  '% https://tcinet.ru/documents/whois_ru_rf.pdf',
  '',
  'domain:        EXAMPLE.RU',
  'nserver:       ns1.example.ru. 192.0.2.53',
  'nserver:       ns2.example.net.',
  'state:         REGISTERED, DELEGATED, VERIFIED',
  'org:           Example LLC',
  'registrar:     RU-CENTER-RU',
  'admin-contact: https://www.nic.ru/whois',
  'created:       2001-05-04T08:30:00Z',
  'paid-till:     2026-05-31T21:00:00Z',
  'free-date:     2026-07-02',
  'source:        TCI',
  '',
  'Last updated on 2026-01-14T10:11:12Z',
].join('\n');

/** Nominet-like blocks: a key line, its values indented below (synthetic record, real layout). */
export const UK_STYLE = [
  '',
  '    Domain name:',
  '        example.co.uk',
  '',
  '    Registrar:',
  '        Example Registrar Ltd [Tag = EXAMPLE]',
  '        URL: https://registrar.example',
  '',
  '    Relevant dates:',
  '        Registered on: 26-Aug-1996',
  '        Expiry date:  26-Aug-2027',
  '        Last updated:  03-Jul-2025',
  '',
  '    Registration status:',
  '        Registered until expiry date.',
  '',
  '    Name servers:',
  '        ns1.example.net           192.0.2.1',
  '        ns2.example.net',
  '',
  '    WHOIS lookup made at 10:00:00 14-Jan-2026',
].join('\n');

export function icannStyle(domain: string, created: string): string {
  return [
    `   Domain Name: ${domain.toUpperCase()}`,
    '   Registry Domain ID: 9999999_DOMAIN_COM-VRSN',
    '   Registrar WHOIS Server: whois.registrar.example',
    '   Updated Date: 2026-01-12T10:00:00Z',
    `   Creation Date: ${created}`,
    '   Registry Expiry Date: 2027-01-12T10:00:00Z',
    '   Registrar: Example Registrar, LLC',
    '   Registrar IANA ID: 9999',
    '   Domain Status: clientTransferProhibited https://icann.org/epp#clientTransferProhibited',
    '   Name Server: NS1.PARKING.EXAMPLE',
    '   Name Server: NS2.PARKING.EXAMPLE',
    '   DNSSEC: unsigned',
    '>>> Last update of whois database: 2026-01-15T00:00:00Z <<<',
  ].join('\r\n');
}

export interface WhoisTestServer {
  address: string;
  queries: string[];
  close(): Promise<void>;
}

export async function startWhoisServer(replies: Record<string, string | null>): Promise<WhoisTestServer> {
  const queries: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('utf8');
      const end = buffered.indexOf('\r\n');
      if (end < 0) return;
      const query = buffered.slice(0, end);
      queries.push(buffered);
      const reply = replies[query.toLowerCase()];
      // null: hold the connection open and say nothing.
      if (reply === null) return;
      socket.end(reply ?? fixture('whois_parser/notfound_com_likexian-have-no-money-to-register.com'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    queries,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
