/** The ATT&CK catalog, searchable. */
import type { Technique } from '../src/engine/attack/catalog.js';
import { builder } from './builder.js';
import { TacticRef } from './classification.js';

const MAX_RESULTS = 100;

const AttackTechniqueRef = builder.objectRef<Technique>('AttackTechnique').implement({
  description: 'An ATT&CK Enterprise technique or sub-technique (v18.1). © The MITRE Corporation, reproduced with permission.',
  fields: (t) => ({
    id: t.exposeString('id', { description: 'Technique id, e.g. T1110.001.' }),
    name: t.exposeString('name', { description: 'Its name.' }),
    parentName: t.exposeString('parentName', { nullable: true, description: 'For a sub-technique, its parent’s name.' }),
    isSubtechnique: t.exposeBoolean('isSubtechnique', { description: 'A sub-technique (T1234.001).' }),
    tactics: t.field({ type: [TacticRef], description: 'Its tactics.', resolve: (x) => x.tactics }),
    platforms: t.exposeStringList('platforms', { description: 'Platforms it applies to.' }),
    url: t.exposeString('url', { description: 'Its page on attack.mitre.org.' }),
  }),
});

builder.queryFields((t) => ({
  attackTechniques: t.field({
    type: [AttackTechniqueRef],
    description: `Active ATT&CK techniques whose id, name or tactic contains every word of \`search\` (at most ${MAX_RESULTS}).`,
    args: {
      search: t.arg.string({ required: false, description: 'Words, e.g. "brute" or "T1078" or "credential access".' }),
      first: t.arg.int({ required: false, defaultValue: 20, description: `How many, up to ${MAX_RESULTS}.` }),
    },
    resolve: (_root, args, ctx) => ctx.services.attack.search((args.search ?? '').slice(0, 200), Math.max(0, Math.min(args.first ?? 20, MAX_RESULTS))),
  }),
}));
