import type { Principal } from '../src/auth/roles.js';
import type { Services } from '../src/services.js';
import type { Loaders } from './loaders.js';

/** Every operation runs as an authenticated principal: unauthenticated requests are refused before execution. */
export interface GraphQLContext {
  principal: Principal;
  services: Services;
  /** Batch the relations of list items; made anew for each request (see loaders.ts). */
  loaders: Loaders;
}
