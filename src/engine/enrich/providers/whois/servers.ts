/**
 * Which port-43 server answers for a TLD. A small map of registries that answer authoritatively on
 * port 43 with parseable replies; anything else is SKIPPED rather than guessed (IANA's whois.iana.org
 * referral chain would send queries to hosts we did not choose).
 */
export const DEFAULT_WHOIS_SERVERS: Readonly<Record<string, string>> = {
  com: 'whois.verisign-grs.com:43',
  net: 'whois.verisign-grs.com:43',
  edu: 'whois.educause.edu:43',
  org: 'whois.publicinterestregistry.org:43',
  info: 'whois.nic.info:43',
  biz: 'whois.nic.biz:43',
  io: 'whois.nic.io:43',
  co: 'whois.nic.co:43',
  me: 'whois.nic.me:43',
  xyz: 'whois.nic.xyz:43',
  top: 'whois.nic.top:43',
  cc: 'ccwhois.verisign-grs.com:43',
  tv: 'tvwhois.verisign-grs.com:43',
  uk: 'whois.nic.uk:43',
  de: 'whois.denic.de:43',
  fr: 'whois.nic.fr:43',
  nl: 'whois.domain-registry.nl:43',
  eu: 'whois.eu:43',
  cz: 'whois.nic.cz:43',
  ru: 'whois.tcinet.ru:43',
  su: 'whois.tcinet.ru:43',
};

export interface WhoisServer {
  host: string;
  port: number;
}

/** `host`, `host:port` or `[v6]:port`; port 43 when absent. */
export function parseServer(spec: string): WhoisServer | undefined {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(spec);
  const plain = /^([^:\s]+)(?::(\d+))?$/.exec(spec);
  const m = bracketed ?? plain;
  if (!m?.[1]) return undefined;
  const port = m[2] === undefined ? 43 : Number(m[2]);
  return port > 0 && port < 65536 ? { host: m[1], port } : undefined;
}

/** Longest matching label suffix, so a `co.uk` entry would win over `uk`. */
export function serverFor(servers: Readonly<Record<string, string>>, domain: string): string | undefined {
  const labels = domain.toLowerCase().split('.');
  for (let i = 1; i < labels.length; i++) {
    const spec = servers[labels.slice(i).join('.')];
    if (spec !== undefined) return spec;
  }
  return undefined;
}
