/** Imports every domain file (each registers its types and fields on the builder) and builds the schema. */
import { builder } from './builder.js';
import './scalars.js';
import './errors.js';
import './enums.js';
import './normalized-event.js';
import './classification.js';
import './alert.js';
import './alert-mutations.js';
import './ioc.js';
import './pipeline.js';
import './api-key.js';
import './rule.js';
import './attack.js';
import './enrichment.js';
import './score.js';
import './case-enums.js';
import './case.js';
import './case-lineage.js';
import './case-graph.js';
import './metrics.js';
import './case-mutations.js';
import './case-tasks.js';
import './case-timeline.js';
import './case-events.js';
import './recommendation.js';

export const schema = builder.toSchema({ sortSchema: true });
