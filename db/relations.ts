/** Relations for drizzle's relational queries (`db.query.*`). */
import { defineRelations } from 'drizzle-orm';
import * as schema from './schema.js';

export const relations = defineRelations(schema, (r) => ({
  alerts: {
    occurrences: r.many.alertOccurrences({ from: r.alerts.id, to: r.alertOccurrences.alertId }),
    jobs: r.many.jobs({ from: r.alerts.id, to: r.jobs.alertId }),
    events: r.many.pipelineEvents({ from: r.alerts.id, to: r.pipelineEvents.alertId }),
    iocs: r.many.iocs({
      from: r.alerts.id.through(r.alertIocs.alertId),
      to: r.iocs.id.through(r.alertIocs.iocId),
    }),
  },
  iocs: {
    alerts: r.many.alerts({
      from: r.iocs.id.through(r.alertIocs.iocId),
      to: r.alerts.id.through(r.alertIocs.alertId),
    }),
  },
}));
