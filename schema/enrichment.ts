/** IOC enrichment: per-provider results, the combined reputation, on-demand lookups, and feeds. */
import { GraphQLError } from 'graphql';
import { ORGANISATION_LIST, type FeedLoadOutcome, type FeedStatus } from '../src/engine/enrich/feeds/index.js';
import { reputationOf, type Reputation } from '../src/engine/enrich/reputation.js';
import type { GeoIpData } from '../src/engine/enrich/providers/geoip/index.js';
import { targetOf } from '../src/engine/enrich/service.js';
import { EnrichmentStatus, Tlp, Verdict, type EnrichmentResult } from '../src/engine/enrich/types.js';
import { detectIoc, normalizeIocValue } from '../src/engine/extract/index.js';
import type { IocType } from '../src/engine/types.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { NotFoundError, ValidationError } from './errors.js';
import { IocTypeEnum } from './enums.js';
import { IocRef } from './refs.js';

const StatusEnum = builder.enumType('EnrichmentStatus', {
  description: 'How a provider answered.',
  values: Object.fromEntries(Object.values(EnrichmentStatus).map((v) => [v, { description: v.replace('_', ' ').toLowerCase() }])) as Record<EnrichmentStatus, { description: string }>,
});

const VerdictEnum = builder.enumType('Verdict', {
  description: 'What a provider, or all of them together, make of an indicator.',
  values: Object.fromEntries(Object.values(Verdict).map((v) => [v, { description: v.toLowerCase() }])) as Record<Verdict, { description: string }>,
});

const EnrichmentRef = builder.objectRef<EnrichmentResult>('Enrichment').implement({
  description: 'One provider’s answer about an indicator (cached in SQLite for a time that depends on the answer).',
  fields: (t) => ({
    provider: t.exposeString('provider', { description: 'feeds, dns, registration (RDAP, then WHOIS), abuseipdb, virustotal, greynoise, otx.' }),
    status: t.field({ type: StatusEnum, description: 'How it answered: OK, NO_DATA, RATE_LIMITED, ERROR, TIMEOUT or SKIPPED.', resolve: (r) => r.status }),
    verdict: t.field({ type: VerdictEnum, description: 'Its verdict.', resolve: (r) => r.verdict }),
    reasons: t.exposeStringList('reasons', { description: 'Why, for people.' }),
    error: t.string({ nullable: true, description: 'What went wrong or why it was skipped.', resolve: (r) => r.error ?? null }),
    retryAt: t.field({ type: 'DateTime', nullable: true, description: 'For RATE_LIMITED: when it will be asked again.', resolve: (r) => r.retryAt ?? null }),
    data: t.field({ type: 'JSON', description: 'The facts it returned (records, registration dates, feed entries, scores).', resolve: (r) => r.data }),
  }),
});

const ReputationRef = builder.objectRef<Reputation>('Reputation').implement({
  description: 'The combined verdict of every provider that answered, with reasons. A warning list caps what feeds and services alone can say.',
  fields: (t) => ({
    verdict: t.field({ type: VerdictEnum, description: 'Combined verdict.', resolve: (r) => r.verdict }),
    reasons: t.exposeStringList('reasons', { description: 'Reasons, each prefixed with its provider.' }),
    providers: t.exposeStringList('providers', { description: 'Providers whose answer counted.' }),
  }),
});

const cachedOf = (ioc: { type: string; value: string }, ctx: GraphQLContext) => ctx.services.enrichment.service.cached({ type: ioc.type as IocType, value: ioc.value });
const dataOf = (results: EnrichmentResult[], provider: string) => results.find((r) => r.provider === provider && r.status === 'OK')?.data;

builder.objectFields(IocRef, (t) => ({
  enrichments: t.field({ type: [EnrichmentRef], description: 'Every provider’s cached answer.', resolve: (ioc, _args, ctx) => cachedOf(ioc, ctx) }),
  reputation: t.field({ type: ReputationRef, description: 'The combined verdict.', resolve: (ioc, _args, ctx) => reputationOf(cachedOf(ioc, ctx)) }),
  domainAge: t.int({
    nullable: true,
    description: 'Days since the domain was registered (RDAP or WHOIS), when known.',
    resolve: (ioc, _args, ctx) => (dataOf(cachedOf(ioc, ctx), 'registration')?.ageDays as number | undefined) ?? null,
  }),
  dns: t.field({
    type: 'JSON',
    nullable: true,
    description: 'DNS records (A, AAAA, NS, MX, TXT; PTR for addresses), when looked up.',
    resolve: (ioc, _args, ctx) => dataOf(cachedOf(ioc, ctx), 'dns') ?? null,
  }),
}));

const GeoRef = builder.objectRef<GeoIpData>('Geo').implement({
  description: 'Where an address is, and whose network it is (from the configured MaxMind-format database).',
  fields: (t) => ({
    country: t.string({ nullable: true, description: 'ISO country code.', resolve: (g) => g.country ?? null }),
    countryName: t.string({ nullable: true, description: 'Country name.', resolve: (g) => g.countryName ?? null }),
    city: t.string({ nullable: true, description: 'City.', resolve: (g) => g.city ?? null }),
    continent: t.string({ nullable: true, description: 'Continent code.', resolve: (g) => g.continent ?? null }),
    asn: t.int({ nullable: true, description: 'Autonomous system number.', resolve: (g) => g.asn ?? null }),
    asOrg: t.string({ nullable: true, description: 'Autonomous system organisation.', resolve: (g) => g.asOrg ?? null }),
    network: t.string({ nullable: true, description: 'The database network holding the address (CIDR).', resolve: (g) => g.network ?? null }),
  }),
});

builder.objectFields(IocRef, (t) => ({
  geo: t.field({
    type: GeoRef,
    nullable: true,
    description: 'Country and AS of an address, when a GeoIP database is configured (VIGIL_GEOIP_DB).',
    resolve: (ioc, _args, ctx) => (dataOf(cachedOf(ioc, ctx), 'geoip') as GeoIpData | undefined) ?? null,
  }),
}));

const LookupIocSuccess = builder.objectRef<{ type: IocType; value: string; results: EnrichmentResult[] }>('LookupIocSuccess').implement({
  description: 'What the providers say about a value, now (cached answers are reused).',
  fields: (t) => ({
    type: t.field({ type: IocTypeEnum, description: 'The type, as given or detected.', resolve: (r) => r.type }),
    value: t.exposeString('value', { description: 'The normalized value.' }),
    enrichments: t.field({ type: [EnrichmentRef], description: 'Each provider’s answer.', resolve: (r) => r.results }),
    reputation: t.field({ type: ReputationRef, description: 'The combined verdict.', resolve: (r) => reputationOf(r.results) }),
  }),
});

const FeedRef = builder.objectRef<FeedStatus>('Feed').implement({
  description: 'A threat-intel feed or warning list and what its last load did.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Its name, as reasons cite it.' }),
    kind: t.string({ description: 'FEED (bad) or WARNING_LIST (known good).', resolve: (f) => f.kind }),
    format: t.exposeString('format', { description: 'Its format.' }),
    location: t.exposeString('location', { description: 'The file or URL it is read from (configuration only).' }),
    lastLoadedAt: t.field({ type: 'DateTime', nullable: true, description: 'Last successful load.', resolve: (f) => f.lastLoadedAt }),
    lastStatus: t.exposeString('lastStatus', { nullable: true, description: 'OK, or FAILED (the previous indicators are kept).' }),
    loaded: t.exposeInt('loaded', { description: 'Indicators loaded.' }),
    skipped: t.exposeInt('skipped', { description: 'Entries skipped.' }),
    problems: t.field({ type: 'JSON', description: 'Examples of what was skipped and why.', resolve: (f) => f.problems }),
  }),
});

const feedStatuses = (ctx: GraphQLContext) =>
  [...ctx.services.enrichment.feedConfigs.map((f) => f.name), ORGANISATION_LIST].flatMap((name) => ctx.services.enrichment.feedStore.feedStatus(name) ?? []);

builder.queryFields((t) => ({
  feeds: t.field({ type: [FeedRef], description: 'Loaded feeds and warning lists, with counts.', resolve: (_root, _args, ctx) => feedStatuses(ctx) }),
}));

builder.mutationFields((t) => ({
  lookupIoc: t.field({
    type: LookupIocSuccess,
    description: 'Looks a value up with every provider now (analyst); the type is detected when not given.',
    authScopes: { role: 'ANALYST' },
    errors: { types: [ValidationError], directResult: true, union: { name: 'LookupIocResult' } },
    args: {
      value: t.arg.string({ required: true, description: 'An IP, domain, URL, hash, email...' }),
      type: t.arg({ type: IocTypeEnum, required: false, description: 'Its type, when it cannot be guessed (usernames, hostnames).' }),
    },
    resolve: async (_root, args, ctx) => {
      if (args.value.length > 4096) throw new ValidationError('TOO_LARGE', 'value', '`value` is longer than 4096 characters');
      const type = args.type ?? detectIoc(args.value)?.type;
      if (!type) throw new ValidationError('INVALID_VALUE', 'value', '`value` is not a recognisable IP, domain, URL, email, hash or CVE: give `type`');
      const value = normalizeIocValue(type, args.value);
      if (value === undefined) throw new ValidationError('INVALID_VALUE', 'value', `\`value\` is not a valid ${type}`);
      const known = ctx.services.iocs.find(type, value);
      const target = known ? targetOf(known) : { type, value, tlp: Tlp.AMBER };
      return { type, value, results: await ctx.services.enrichment.service.lookup(target) };
    },
  }),
  refreshEnrichment: t.field({
    type: LookupIocSuccess,
    description: 'Asks every provider again about a stored IOC, ignoring the cache (analyst).',
    authScopes: { role: 'ANALYST' },
    errors: { types: [NotFoundError], directResult: true, union: { name: 'RefreshEnrichmentResult' } },
    args: { iocId: t.arg.id({ required: true, description: 'IOC id.' }) },
    resolve: async (_root, args, ctx) => {
      const ioc = ctx.services.iocs.get(String(args.iocId));
      if (!ioc) throw new NotFoundError('Ioc', String(args.iocId));
      return { type: ioc.type as IocType, value: ioc.value, results: await ctx.services.enrichment.service.lookup(targetOf(ioc), true) };
    },
  }),
  reloadFeeds: t.field({
    type: [FeedRef],
    description: 'Loads every feed and warning list again now (admin); a failed load keeps the previous indicators.',
    authScopes: { role: 'ADMIN' },
    resolve: async (_root, _args, ctx) => {
      const outcomes: FeedLoadOutcome[] = await ctx.services.enrichment.reloadFeeds();
      ctx.services.audit.record({ actor: ctx.principal.id, action: 'feeds.reload', entityType: 'Feeds', entityId: 'feeds', after: outcomes.map((o) => ({ feed: o.feed, ok: o.ok, loaded: o.loaded })) });
      if (outcomes.length === 0) throw new GraphQLError('no feeds are configured');
      return feedStatuses(ctx);
    },
  }),
}));
