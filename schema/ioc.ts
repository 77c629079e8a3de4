/** IOCs: the Ioc type, its sightings and alerts, and the IOC queries. */
import { GraphQLError } from 'graphql';
import { normalizeIocValue } from '../src/engine/extract/index.js';
import type { IocType, IpFlags } from '../src/engine/types.js';
import type { AlertRecord } from '../src/store/records.js';
import { builder } from './builder.js';
import { IocRoleEnum, IocTypeEnum } from './enums.js';
import { resolvePage } from './pagination.js';
import { AlertRef, IocRef } from './refs.js';

const IpInfoRef = builder.objectRef<IpFlags>('IpInfo').implement({
  description: 'Properties of an IP address.',
  fields: (t) => ({
    private: t.exposeBoolean('private', { description: 'In a private range (RFC 1918, unique-local).' }),
    loopback: t.exposeBoolean('loopback', { description: 'A loopback address.' }),
    reserved: t.exposeBoolean('reserved', { description: 'Reserved, link-local, multicast, documentation or otherwise not globally routable.' }),
    range: t.exposeString('range', { description: 'The named range it falls in (ipaddr.js), e.g. `unicast` or `private`.' }),
  }),
});

builder.node(IocRef, {
  description: 'An indicator, stored once per type and normalized value, with when and how often it was seen.',
  id: { resolve: (i) => i.id },
  loadOne: (id, ctx) => ctx.services.iocs.get(id),
  fields: (t) => ({
    type: t.field({ type: IocTypeEnum, description: 'Kind of indicator.', resolve: (i) => i.type as IocType }),
    value: t.exposeString('value', { description: 'Normalized value (lower-case domain, canonical IP, ...).' }),
    ip: t.field({
      type: IpInfoRef,
      nullable: true,
      description: 'For IP addresses: private, loopback and reserved flags.',
      resolve: (i) => (i.attributes ? (JSON.parse(i.attributes) as IpFlags) : null),
    }),
    firstSeenAt: t.field({ type: 'DateTime', description: 'First sighting.', resolve: (i) => i.firstSeenAt }),
    lastSeenAt: t.field({ type: 'DateTime', description: 'Latest sighting.', resolve: (i) => i.lastSeenAt }),
    sightings: t.exposeInt('sightings', { description: 'How many alert occurrences mentioned it.' }),
    alerts: t.connection(
      {
        type: AlertRef,
        description: 'Alerts that mention it, newest first.',
        resolve: (ioc, args, ctx) =>
          resolvePage(args, ctx.services.config.maxPage, (page) =>
            ctx.services.iocQueries.alertsOf(ioc.id, page).map(({ alert, roles }) => ({ ...alert, id: alert.id, roles })),
          ),
      },
      { name: 'IocAlertConnection', description: 'Alerts mentioning an indicator.' },
      {
        name: 'IocAlertEdge',
        description: 'An alert mentioning the indicator, with the roles it plays there.',
        fields: (e) => ({
          roles: e.field({ type: [IocRoleEnum], description: 'The parts the indicator plays in this alert.', resolve: (edge) => (edge.node as AlertRecord & { roles: string[] }).roles as never }),
        }),
      },
    ),
  }),
});

const IocFilterInput = builder.inputType('IocFilter', {
  description: 'Narrows an IOC list; all given conditions must hold.',
  fields: (t) => ({
    type: t.field({ type: [IocTypeEnum], required: false, description: 'Any of these types.' }),
    search: t.string({ required: false, description: 'Case-insensitive substring of the value.' }),
    seenAfter: t.field({ type: 'DateTime', required: false, description: 'Last seen at or after.' }),
    seenBefore: t.field({ type: 'DateTime', required: false, description: 'First seen at or before.' }),
  }),
});

builder.queryFields((t) => ({
  ioc: t.field({
    type: IocRef,
    nullable: true,
    description: 'One indicator by type and value; the value is normalized first (so `Evil.COM.` finds `evil.com`, `hxxp` is refanged).',
    args: {
      type: t.arg({ type: IocTypeEnum, required: true, description: 'Kind of indicator.' }),
      value: t.arg.string({ required: true, description: 'The value as you have it.' }),
    },
    resolve: (_root, args, ctx) => {
      if (args.value.length > 4096) throw new GraphQLError('`value` is longer than 4096 characters', { extensions: { code: 'BAD_USER_INPUT' } });
      const value = normalizeIocValue(args.type, args.value);
      return value === undefined ? null : (ctx.services.iocs.find(args.type, value) ?? null);
    },
  }),
  iocs: t.connection({
    type: IocRef,
    description: 'Indicators, newest first.',
    args: { filter: t.arg({ type: IocFilterInput, required: false, description: 'Conditions.' }) },
    resolve: (_root, args, ctx) => {
      const f = args.filter ?? {};
      const filter = { types: f.type, search: f.search, seenAfter: f.seenAfter, seenBefore: f.seenBefore };
      return resolvePage(args, ctx.services.config.maxPage, (page) => ctx.services.iocQueries.list(filter, page));
    },
  }),
}));
