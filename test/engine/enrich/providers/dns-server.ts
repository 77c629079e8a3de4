/**
 * A scripted authoritative-ish DNS server on 127.0.0.1 (UDP, random port) built with dns-packet, so the
 * DNS enricher is tested against real wire replies through c-ares.
 */
import dgram from 'node:dgram';
import dnsPacket from 'dns-packet';

const NXDOMAIN = 3;
const SERVFAIL = 2;

type Answer = dnsPacket.Answer;
type Behaviour = { answers: Answer[] } | { rcode: number } | { malformed: true } | { silent: true };

const ZONE: Record<string, Behaviour | ((type: string) => Behaviour)> = {
  'good.example.com': (type) => {
    const name = 'good.example.com';
    const byType: Record<string, Answer[]> = {
      A: [{ name, type: 'A', ttl: 60, data: '203.0.113.10' }, { name, type: 'A', ttl: 60, data: '203.0.113.11' }],
      AAAA: [{ name, type: 'AAAA', ttl: 60, data: '2001:db8::10' }],
      NS: [{ name, type: 'NS', ttl: 60, data: 'ns1.example.net' }],
      MX: [{ name, type: 'MX', ttl: 60, data: { preference: 10, exchange: 'mail.example.com' } }],
      TXT: [{ name, type: 'TXT', ttl: 60, data: ['v=spf1 ', '-all'] }],
    };
    return { answers: byType[type] ?? [] };
  },
  // A only: every other type is NOERROR with no answers (NODATA).
  'sinkholed.example.com': (type) => ({ answers: type === 'A' ? [{ name: 'sinkholed.example.com', type: 'A', ttl: 60, data: '127.0.0.1' }] : [] }),
  'internal.example.com': (type) => ({ answers: type === 'A' ? [{ name: 'internal.example.com', type: 'A', ttl: 60, data: '10.1.2.3' }] : [] }),
  'empty.example.com': { answers: [] },
  'nx.example.com': { rcode: NXDOMAIN },
  'fail.example.com': { rcode: SERVFAIL },
  'broken.example.com': { malformed: true },
  'silent.example.com': { silent: true },
  // TXT fails while A answers: the lookup is still OK, with the failure noted.
  'partial.example.com': (type) =>
    type === 'TXT' ? { rcode: SERVFAIL } : { answers: type === 'A' ? [{ name: 'partial.example.com', type: 'A', ttl: 60, data: '198.51.100.7' }] : [] },
  '10.2.0.192.in-addr.arpa': { answers: [{ name: '10.2.0.192.in-addr.arpa', type: 'PTR', ttl: 60, data: 'host.example.com' }] },
  '0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa': {
    answers: [{ name: '0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa', type: 'PTR', ttl: 60, data: 'v6host.example.com' }],
  },
};

export interface DnsTestServer {
  address: string;
  /** Question names and types received, in order. */
  queries: Array<{ name: string; type: string }>;
  close(): Promise<void>;
}

export async function startDnsServer(): Promise<DnsTestServer> {
  const socket = dgram.createSocket('udp4');
  const queries: Array<{ name: string; type: string }> = [];
  socket.on('message', (msg, rinfo) => {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase();
    queries.push({ name, type: question.type });
    const entry = ZONE[name];
    const behaviour: Behaviour = entry === undefined ? { rcode: NXDOMAIN } : typeof entry === 'function' ? entry(question.type) : entry;
    if ('silent' in behaviour) return;
    let reply: Buffer;
    if ('malformed' in behaviour) {
      // The right id and a header promising one answer that is not there.
      reply = Buffer.from([msg[0] ?? 0, msg[1] ?? 0, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 0xff, 0xff, 0xff]);
    } else {
      const rcode = 'rcode' in behaviour ? behaviour.rcode : 0;
      reply = dnsPacket.encode({
        type: 'response',
        id: query.id ?? 0,
        flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | rcode,
        questions: [question],
        answers: 'answers' in behaviour ? behaviour.answers.filter((a) => a.type === question.type) : [],
      });
    }
    socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  return {
    address: `127.0.0.1:${port}`,
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
