/**
 * The facts Vigil keeps from a GeoIP2/GeoLite2 record, whichever shape it has: City and Country
 * (`country`, `city`, `continent`, `traits`), ASN (`autonomous_system_*` at the top level).
 */

export interface GeoIpData {
  /** ISO 3166-1 alpha-2 code of the country the network is in (else the one it is registered in). */
  country?: string;
  countryName?: string;
  city?: string;
  /** Two-letter continent code (`EU`, `NA`, ...). */
  continent?: string;
  asn?: number;
  asOrg?: string;
  /** The database network holding the address, CIDR. */
  network?: string;
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function englishName(value: unknown): string | undefined {
  return text(field(field(value, 'names'), 'en'));
}

/** The known fields of one record; absent ones are left out. */
export function readRecord(record: Record<string, unknown>): GeoIpData {
  // `country` is where the network is; GeoLite2 leaves it out for some networks (anycast, satellite)
  // that still have the country they are registered in.
  const country = field(record, 'country') ?? field(record, 'registered_country');
  const traits = field(record, 'traits');
  const asn = field(record, 'autonomous_system_number') ?? field(traits, 'autonomous_system_number');
  const out: GeoIpData = {};
  const iso = text(field(country, 'iso_code'));
  if (iso) out.country = iso;
  const countryName = englishName(country);
  if (countryName) out.countryName = countryName;
  const city = englishName(field(record, 'city'));
  if (city) out.city = city;
  const continent = text(field(field(record, 'continent'), 'code'));
  if (continent) out.continent = continent;
  if (typeof asn === 'number' && Number.isInteger(asn) && asn >= 0) out.asn = asn;
  const asOrg = text(field(record, 'autonomous_system_organization')) ?? text(field(traits, 'autonomous_system_organization'));
  if (asOrg) out.asOrg = asOrg;
  return out;
}

/** `a` completed by `b`: what `a` says wins. */
export function mergeData(a: GeoIpData, b: GeoIpData): GeoIpData {
  return { ...b, ...a };
}

/** "AS64500 Example Org, Amsterdam, NL" — the parts that are known. */
export function describe(data: GeoIpData): string | undefined {
  const parts: string[] = [];
  if (data.asn !== undefined) parts.push(data.asOrg ? `AS${data.asn} ${data.asOrg}` : `AS${data.asn}`);
  else if (data.asOrg) parts.push(data.asOrg);
  if (data.city) parts.push(data.city);
  if (data.country) parts.push(data.country);
  else if (data.continent) parts.push(data.continent);
  return parts.length > 0 ? parts.join(', ') : undefined;
}
