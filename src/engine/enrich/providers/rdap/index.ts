export { createRdapEnricher, DEFAULT_BOOTSTRAP_DIR, registeredDomain, type RdapEnricherOptions } from './rdap-enricher.js';
export { refreshBootstrap, IANA_RDAP_BOOTSTRAP_URL, REFRESH_FILES, type RefreshOptions } from './refresh.js';
export { loadBootstrap, bootstrapFromOverrides, domainBase, ipBase, parseBootstrap, type RdapBootstrap, type RdapServerOverrides } from './bootstrap.js';
export { parseDomain, parseIpNetwork, MalformedRdap, type IpNetworkInfo } from './parse.js';
export { assessAge, toIso, type AgeAssessment, type DomainRegistration } from './domain-registration.js';
