export { createGeoIpEnricher, type GeoIpEnricherOptions } from './geoip-enricher.js';
export { openGeoIpDatabase, type GeoIpDatabase } from './database.js';
export { readRecord, type GeoIpData } from './record.js';
