import type { Principal } from '../src/auth/roles.js';
import type { Services } from '../src/services.js';

/** Every operation runs as an authenticated principal: unauthenticated requests are refused before execution. */
export interface GraphQLContext {
  principal: Principal;
  services: Services;
}
