export { createWhoisEnricher, type WhoisEnricherOptions } from './whois-enricher.js';
export { createRegistrationEnricher, type RegistrationEnricherOptions } from './registration-enricher.js';
export { parseWhois, type WhoisParse } from './parse.js';
export { parseWhoisDate } from './dates.js';
export { queryWhois, type WhoisReply, type WhoisQueryOptions } from './client.js';
export { DEFAULT_WHOIS_SERVERS, parseServer, serverFor, type WhoisServer } from './servers.js';
