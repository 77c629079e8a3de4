/**
 * RFC 9083 objects to plain facts: domains (events, registrar, status, nameservers) and IP networks
 * (range, name, country, owner). Servers vary; anything missing is left out rather than guessed.
 */
import { toIso, type DomainRegistration } from './domain-registration.js';

type Json = Record<string, unknown>;

export class MalformedRdap extends Error {}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objects(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Date of the first event with this action (RFC 9083 section 4.5, IANA "RDAP JSON Values" registry). */
function eventDate(object: Json, action: string): string | undefined {
  return toIso(objects(object.events).find((e) => e.eventAction === action)?.eventDate);
}

/** A jCard (RFC 7095) property's text value: `["vcard", [[name, params, type, value], ...]]`. */
function vcardValue(entity: Json, property: string): string | undefined {
  const card = Array.isArray(entity.vcardArray) ? entity.vcardArray[1] : undefined;
  if (!Array.isArray(card)) return undefined;
  for (const prop of card) {
    if (Array.isArray(prop) && prop[0] === property) {
      const value = text(prop[3]);
      if (value !== undefined) return value;
    }
  }
  return undefined;
}

function hasRole(entity: Json, role: string): boolean {
  return strings(entity.roles).includes(role);
}

/** Entities nest (a registrar's abuse contact, an org's abuse team): search a few levels, nearest first. */
function findEntity(object: Json, role: string, depth = 3): Json | undefined {
  const here = objects(object.entities);
  const direct = here.find((e) => hasRole(e, role));
  if (direct || depth === 0) return direct;
  for (const entity of here) {
    const found = findEntity(entity, role, depth - 1);
    if (found) return found;
  }
  return undefined;
}

function entityName(entity: Json): string | undefined {
  return vcardValue(entity, 'fn') ?? vcardValue(entity, 'org') ?? text(entity.handle);
}

function assertClass(body: unknown, objectClassName: string): Json {
  if (!isObject(body)) throw new MalformedRdap('malformed RDAP response: not an object');
  if (body.objectClassName !== objectClassName) throw new MalformedRdap(`malformed RDAP response: objectClassName is not "${objectClassName}"`);
  return body;
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function parseDomain(body: unknown, asked: string): DomainRegistration {
  const domain = assertClass(body, 'domain');
  const registrar = objects(domain.entities).find((e) => hasRole(e, 'registrar'));
  const abuse = registrar ? findEntity(registrar, 'abuse', 1) : undefined;
  return definedOnly<DomainRegistration>({
    domain: (text(domain.ldhName) ?? asked).toLowerCase(),
    source: 'rdap',
    handle: text(domain.handle),
    registeredAt: eventDate(domain, 'registration'),
    expiresAt: eventDate(domain, 'expiration'),
    updatedAt: eventDate(domain, 'last changed'),
    registrar: registrar ? entityName(registrar) : undefined,
    registrarIanaId: registrar ? text(objects(registrar.publicIds).find((p) => p.type === 'IANA Registrar ID')?.identifier) : undefined,
    registrarAbuseEmail: abuse ? vcardValue(abuse, 'email') : undefined,
    status: strings(domain.status),
    nameservers: objects(domain.nameservers).flatMap((ns) => {
      const name = text(ns.ldhName) ?? text(ns.unicodeName);
      return name ? [name.toLowerCase().replace(/\.$/, '')] : [];
    }),
    whoisServer: text(domain.port43),
  });
}

export interface IpNetworkInfo {
  handle?: string;
  name?: string;
  country?: string;
  ipVersion?: string;
  startAddress?: string;
  endAddress?: string;
  /** From the `cidr0` extension where the RIR sends it. */
  cidrs?: string[];
  type?: string;
  parentHandle?: string;
  status: string[];
  registeredAt?: string;
  updatedAt?: string;
  /** The registrant entity: the organisation holding the block. */
  owner?: { handle?: string; name?: string };
  abuseEmail?: string;
  /** Free-text `description` remarks (APNIC and RIPE put the holder's name there). */
  description?: string[];
}

function cidrsOf(network: Json): string[] | undefined {
  const cidrs = objects(network.cidr0_cidrs).flatMap((c) => {
    const prefix = text(c.v4prefix) ?? text(c.v6prefix);
    return prefix !== undefined && typeof c.length === 'number' ? [`${prefix}/${c.length}`] : [];
  });
  return cidrs.length > 0 ? cidrs : undefined;
}

export function parseIpNetwork(body: unknown): IpNetworkInfo {
  const network = assertClass(body, 'ip network');
  const registrant = findEntity(network, 'registrant', 0);
  const abuse = findEntity(network, 'abuse');
  const description = objects(network.remarks)
    .filter((r) => typeof r.title === 'string' && r.title.toLowerCase() === 'description')
    .flatMap((r) => strings(r.description));
  return definedOnly<IpNetworkInfo>({
    handle: text(network.handle),
    name: text(network.name),
    country: text(network.country),
    ipVersion: text(network.ipVersion),
    startAddress: text(network.startAddress),
    endAddress: text(network.endAddress),
    cidrs: cidrsOf(network),
    type: text(network.type),
    parentHandle: text(network.parentHandle),
    status: strings(network.status),
    registeredAt: eventDate(network, 'registration'),
    updatedAt: eventDate(network, 'last changed'),
    owner: registrant ? definedOnly({ handle: text(registrant.handle), name: entityName(registrant) }) : undefined,
    abuseEmail: abuse ? vcardValue(abuse, 'email') : undefined,
    description: description.length > 0 ? description : undefined,
  });
}
