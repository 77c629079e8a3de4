/** Response recommendations on alerts and cases. */
import { RecommendedAction } from '../src/engine/respond/recommend.js';
import type { Recommendation } from '../src/engine/respond/recommend.js';
import { builder } from './builder.js';
import { AlertRef, CaseRef } from './refs.js';

const RecommendedActionEnum = builder.enumType('RecommendedAction', {
  description: 'A response an analyst (or a playbook) can take.',
  values: {
    [RecommendedAction.BLOCK_IP]: { description: 'Block an address at the firewall.' },
    [RecommendedAction.ENABLE_RATE_LIMITING]: { description: 'Limit authentication attempts on the attacked service.' },
    [RecommendedAction.ISOLATE_ENDPOINT]: { description: 'Cut a host off the network (EDR containment).' },
    [RecommendedAction.DISABLE_USER]: { description: 'Disable an account.' },
    [RecommendedAction.RESET_PASSWORD]: { description: "Reset an account's password." },
    [RecommendedAction.REVOKE_SESSIONS]: { description: "End an account's open sessions and tokens." },
    [RecommendedAction.QUARANTINE_FILE]: { description: 'Quarantine a file by its hash.' },
    [RecommendedAction.BLOCK_DOMAIN]: { description: 'Block a domain (DNS, proxy).' },
    [RecommendedAction.BLOCK_URL]: { description: 'Block a URL (proxy, mail gateway).' },
    [RecommendedAction.ESCALATE_TIER2]: { description: 'Hand over to Tier-2.' },
    [RecommendedAction.MONITOR]: { description: 'Watch; no containment yet.' },
  } as const,
});

const RecommendationRef = builder.objectRef<Recommendation>('Recommendation').implement({
  description: 'A recommended response, with what it applies to and why.',
  fields: (t) => ({
    action: t.field({ type: RecommendedActionEnum, description: 'What to do.', resolve: (r) => r.action }),
    target: t.exposeString('target', { nullable: true, description: 'What it applies to (address, host, account, hash, domain, URL); null for the alert as a whole.' }),
    reason: t.exposeString('reason', { description: 'Why, for people.' }),
    automatedBy: t.exposeStringList('automatedBy', { description: 'Playbooks that do it automatically for this alert’s case.' }),
  }),
});

builder.objectField(AlertRef, 'recommendations', (t) =>
  t.field({
    type: [RecommendationRef],
    description: 'What to do about it, each with a reason: from its category, risk level, indicators and detections.',
    resolve: (a, _args, ctx) => ctx.services.recommender.forAlert(a),
  }),
);

const MAX_CASE_ALERTS_RECOMMENDED = 200;

builder.objectField(CaseRef, 'recommendations', (t) =>
  t.field({
    type: [RecommendationRef],
    description: `The recommendations of its alerts (the first ${MAX_CASE_ALERTS_RECOMMENDED}), each action and target once.`,
    resolve: (c, _args, ctx) => {
      const seen = new Map<string, Recommendation>();
      for (const alert of ctx.services.caseQueries.alertsOf(c.id, MAX_CASE_ALERTS_RECOMMENDED)) {
        for (const r of ctx.services.recommender.forAlert(alert)) {
          const key = `${r.action}\u0000${r.target ?? ''}`;
          if (!seen.has(key)) seen.set(key, r);
        }
      }
      // A MONITOR of the whole case adds nothing beside actual containment.
      const all = [...seen.values()];
      return all.some((r) => r.action !== 'MONITOR') ? all.filter((r) => !(r.action === 'MONITOR' && r.target === null)) : all;
    },
  }),
);
