/** `npm run rdap:bootstrap`: replaces data/rdap/ with IANA's current RDAP bootstrap files (RFC 9224). */
import { fileURLToPath } from 'node:url';
import { IANA_RDAP_BOOTSTRAP_URL, refreshBootstrap } from '../src/engine/enrich/providers/rdap/index.js';

const dir = fileURLToPath(new URL('../data/rdap/', import.meta.url));
const written = await refreshBootstrap(process.argv[2] ?? IANA_RDAP_BOOTSTRAP_URL, dir);
console.log(`wrote ${written.join(', ')}`);
