/** Rule packs: listing, load errors, and reloading them without a restart. */
import type { RuleLoadError, RuleSummary } from '../src/engine/classify/rules/index.js';
import { builder } from './builder.js';
import { CategoryEnum, SeverityEnum } from './classification.js';

const RuleOriginEnum = builder.enumType('RuleOrigin', {
  description: 'Where a rule comes from.',
  values: { SHIPPED: { description: 'Shipped with Vigil (data/rules).' }, USER: { description: 'Your directory (VIGIL_RULES_DIR).' } } as const,
});

const RuleRef = builder.objectRef<RuleSummary>('Rule').implement({
  description: 'A loaded classification rule.',
  fields: (t) => ({
    id: t.exposeString('id', { description: 'Rule id.' }),
    pack: t.exposeString('pack', { description: 'The pack (file) it is in.' }),
    origin: t.field({ type: RuleOriginEnum, description: 'Shipped or yours.', resolve: (r) => r.origin }),
    title: t.exposeString('title', { description: 'Title.' }),
    description: t.exposeString('description', { description: 'What a match means.' }),
    category: t.field({ type: CategoryEnum, description: 'Category it evidences.', resolve: (r) => r.category }),
    severity: t.field({ type: SeverityEnum, description: 'Base severity.', resolve: (r) => r.severity }),
    confidence: t.exposeFloat('confidence', { description: 'How sure a match is (0..1).' }),
    techniques: t.exposeStringList('techniques', { description: 'ATT&CK technique ids.' }),
    signals: t.exposeStringList('signals', { description: 'Facts a match feeds to stateful detections.' }),
  }),
});

const RuleLoadErrorRef = builder.objectRef<RuleLoadError>('RuleLoadError').implement({
  description: 'A rule or pack that could not be loaded and was skipped.',
  fields: (t) => ({
    file: t.exposeString('file', { description: 'The file.' }),
    ruleId: t.exposeString('ruleId', { nullable: true, description: 'The rule, when known.' }),
    line: t.exposeInt('line', { nullable: true, description: 'The line, when known.' }),
    message: t.exposeString('message', { description: 'The problem.' }),
  }),
});

const RuleFilter = builder.inputType('RuleFilter', {
  description: 'Narrows the rule list.',
  fields: (t) => ({
    category: t.field({ type: [CategoryEnum], required: false, description: 'Any of these categories.' }),
    search: t.string({ required: false, description: 'Case-insensitive substring of id, title or description.' }),
  }),
});

const ReloadRulesPayload = builder.objectRef<{ rules: number; errors: RuleLoadError[] }>('ReloadRulesPayload').implement({
  description: 'The rule packs were loaded again.',
  fields: (t) => ({
    ruleCount: t.exposeInt('rules', { description: 'Rules now loaded.' }),
    errors: t.field({ type: [RuleLoadErrorRef], description: 'Rules and files skipped, and why.', resolve: (p) => p.errors }),
  }),
});

builder.queryFields((t) => ({
  rules: t.field({
    type: [RuleRef],
    description: 'The loaded classification rules.',
    args: { filter: t.arg({ type: RuleFilter, required: false, description: 'Conditions.' }) },
    resolve: (_root, args, ctx) => {
      const categories = args.filter?.category?.length ? new Set<string>(args.filter.category) : undefined;
      const search = args.filter?.search?.toLowerCase();
      return ctx.services.classifier.ruleSet
        .rules()
        .filter((r) => (!categories || categories.has(r.category)) && (!search || `${r.id} ${r.title} ${r.description}`.toLowerCase().includes(search)));
    },
  }),
  ruleLoadErrors: t.field({
    type: [RuleLoadErrorRef],
    description: 'Rules and files skipped at the last load, and why.',
    resolve: (_root, _args, ctx) => ctx.services.classifier.ruleSet.errors,
  }),
}));

builder.mutationFields((t) => ({
  reloadRules: t.field({
    type: ReloadRulesPayload,
    description: 'Loads the rule packs again (admin); broken rules are skipped and listed, the rest take effect for new alerts.',
    authScopes: { role: 'ADMIN' },
    resolve: (_root, _args, ctx) => {
      const errors = ctx.services.classifier.reloadRules();
      ctx.services.audit.record({ actor: ctx.principal.id, action: 'rules.reload', entityType: 'RuleSet', entityId: 'rules', after: { rules: ctx.services.classifier.ruleSet.rules().length, errors: errors.length } });
      return { rules: ctx.services.classifier.ruleSet.rules().length, errors };
    },
  }),
}));
