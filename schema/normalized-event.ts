/** The normalized event: the common fields every format is parsed into. */
import type { NormalizedEvent } from '../src/engine/types.js';
import { builder } from './builder.js';
import { AlertFormatEnum } from './enums.js';

export const NormalizedEventRef = builder.objectRef<NormalizedEvent>('NormalizedEvent').implement({
  description: 'An event in common fields, whatever format it arrived in. Absent fields are null.',
  fields: (t) => ({
    format: t.field({ type: AlertFormatEnum, description: 'The recognised format.', resolve: (e) => e.format }),
    message: t.exposeString('message', { description: 'Human-readable text of the event.' }),
    timestamp: t.field({ type: 'DateTime', nullable: true, description: 'When the event happened, per its source.', resolve: (e) => e.timestamp ?? null }),
    host: t.exposeString('host', { nullable: true, description: 'Reporting host.' }),
    program: t.exposeString('program', { nullable: true, description: 'Reporting program (syslog APP-NAME/tag).' }),
    pid: t.exposeInt('pid', { nullable: true, description: 'Process id of the reporting program.' }),
    facility: t.exposeString('facility', { nullable: true, description: 'Syslog facility.' }),
    severity: t.exposeString('severity', { nullable: true, description: 'Severity as the source gave it.' }),
    srcIp: t.exposeString('srcIp', { nullable: true, description: 'Source IP address.' }),
    srcPort: t.exposeInt('srcPort', { nullable: true, description: 'Source port.' }),
    dstIp: t.exposeString('dstIp', { nullable: true, description: 'Destination IP address.' }),
    dstPort: t.exposeInt('dstPort', { nullable: true, description: 'Destination port.' }),
    user: t.exposeString('user', { nullable: true, description: 'Acting account.' }),
    targetUser: t.exposeString('targetUser', { nullable: true, description: 'Account acted upon (sudo USER=, Windows TargetUserName).' }),
    process: t.exposeString('process', { nullable: true, description: 'Process name.' }),
    commandLine: t.exposeString('commandLine', { nullable: true, description: 'Command line.' }),
    file: t.exposeString('file', { nullable: true, description: 'File path.' }),
    hash: t.exposeString('hash', { nullable: true, description: 'File hash.' }),
    url: t.exposeString('url', { nullable: true, description: 'URL.' }),
    domain: t.exposeString('domain', { nullable: true, description: 'Domain name (e.g. a DNS question).' }),
    action: t.exposeString('action', { nullable: true, description: 'Action the source reported (e.g. blocked).' }),
    outcome: t.exposeString('outcome', { nullable: true, description: 'Outcome (success, failure).' }),
    ruleId: t.exposeString('ruleId', { nullable: true, description: 'Id of the source rule that fired (e.g. Wazuh rule.id).' }),
    ruleLevel: t.exposeInt('ruleLevel', { nullable: true, description: 'Level of that rule (Wazuh 0-15).' }),
    ruleDescription: t.exposeString('ruleDescription', { nullable: true, description: 'Description of that rule.' }),
    ruleGroups: t.exposeStringList('ruleGroups', { nullable: true, description: 'Groups of that rule.' }),
    mitreTechniques: t.exposeStringList('mitreTechniques', { nullable: true, description: 'ATT&CK technique ids given by the source.' }),
    vendor: t.exposeString('vendor', { nullable: true, description: 'Device vendor (CEF).' }),
    product: t.exposeString('product', { nullable: true, description: 'Device product (CEF).' }),
    eventId: t.exposeString('eventId', { nullable: true, description: 'Event or signature id (Windows EventID, CEF signature).' }),
    fields: t.field({ type: 'JSON', description: 'Every other field, flattened to dotted keys.', resolve: (e) => e.fields }),
  }),
});
