/** Response actions: the service, its settings and the event it publishes. */
export { createActionService, type Actions, type ActionServiceDeps } from './service.js';
export { ActionChange, type ActionEvent } from './recorder.js';
export { DEFAULT_ACTION_SETTINGS, type ActionSettings, type HttpExecutorTarget } from './settings.js';
export { isReady } from './execute.js';
export { validateParams, CONTAINMENT_KINDS, UNDO_KINDS, CASE_KINDS, REVERSIBLE } from './params.js';
export { BUILT_IN_VIP_USERS } from './safety.js';
export { TTL_ACTOR } from './revert.js';
