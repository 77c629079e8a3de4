/** SOC metrics: open cases by severity and status, alerts by category over time, MTTA and MTTR. */
import { GraphQLError } from 'graphql';
import { BUCKET_MS, MAX_BUCKETS, MetricsBucket, type DurationStats, type Metrics } from '../src/store/metrics-queries.js';
import { builder } from './builder.js';
import { CaseStatusEnum } from './case-enums.js';
import { CategoryEnum } from './classification.js';
import { RiskLevelEnum } from './score.js';

const DEFAULT_RANGE_MS = 86_400_000;

const MetricsBucketEnum = builder.enumType('MetricsBucket', {
  description: 'The width of a time bucket; buckets start on whole UTC hours or days.',
  values: { [MetricsBucket.HOUR]: { description: 'One hour.' }, [MetricsBucket.DAY]: { description: 'One UTC day.' } } as const,
});

const SeverityCountRef = builder.objectRef<{ key: string; count: number }>('SeverityCount').implement({
  description: 'How many cases have a severity.',
  fields: (t) => ({
    severity: t.field({ type: RiskLevelEnum, description: 'The severity.', resolve: (c) => c.key as never }),
    count: t.exposeInt('count', { description: 'How many.' }),
  }),
});

const StatusCountRef = builder.objectRef<{ key: string; count: number }>('StatusCount').implement({
  description: 'How many cases are in a status.',
  fields: (t) => ({
    status: t.field({ type: CaseStatusEnum, description: 'The status.', resolve: (c) => c.key as never }),
    count: t.exposeInt('count', { description: 'How many.' }),
  }),
});

const OpenCasesRef = builder.objectRef<Metrics['openCases']>('OpenCaseCounts').implement({
  description: 'Cases open now (NEW or IN_PROGRESS, not merged into another), whenever they were opened.',
  fields: (t) => ({
    total: t.exposeInt('total', { description: 'How many cases are open.' }),
    bySeverity: t.field({ type: [SeverityCountRef], description: 'By severity, CRITICAL first; every severity is listed.', resolve: (o) => o.bySeverity }),
    byStatus: t.field({ type: [StatusCountRef], description: 'By status (NEW, IN_PROGRESS).', resolve: (o) => o.byStatus }),
  }),
});

const CategoryCountRef = builder.objectRef<{ category: string | null; count: number }>('CategoryCount').implement({
  description: 'How many alerts of a category arrived in a bucket.',
  fields: (t) => ({
    category: t.field({ type: CategoryEnum, nullable: true, description: 'The category; null for alerts not classified (yet).', resolve: (c) => (c.category as never) ?? null }),
    count: t.exposeInt('count', { description: 'How many.' }),
  }),
});

const AlertBucketRef = builder.objectRef<Metrics['alertsByCategory'][number] & { size: number }>('AlertBucket').implement({
  description: 'The alerts received in one time bucket, by category.',
  fields: (t) => ({
    start: t.field({ type: 'DateTime', description: 'Where the bucket starts (inclusive).', resolve: (b) => b.start }),
    end: t.field({ type: 'DateTime', description: 'Where the bucket ends (exclusive).', resolve: (b) => b.start + b.size }),
    total: t.exposeInt('total', { description: 'Alerts received in the bucket (and in the range).' }),
    counts: t.field({ type: [CategoryCountRef], description: 'Per category, only those with alerts.', resolve: (b) => b.counts }),
  }),
});

const DurationStatsRef = builder.objectRef<DurationStats>('DurationStats').implement({
  description: 'A duration measured over cases, in milliseconds.',
  fields: (t) => ({
    count: t.exposeInt('count', { description: 'How many cases have the measurement (the sample size).' }),
    meanMs: t.exposeFloat('meanMs', { nullable: true, description: 'Mean, in ms; null without samples.' }),
    medianMs: t.exposeFloat('medianMs', { nullable: true, description: 'Median, in ms; null without samples.' }),
  }),
});

const MetricsRef = builder.objectRef<Metrics>('Metrics').implement({
  description: 'SOC figures for a time range.',
  fields: (t) => ({
    from: t.field({ type: 'DateTime', description: 'Start of the range (inclusive).', resolve: (m) => m.from }),
    to: t.field({ type: 'DateTime', description: 'End of the range (exclusive).', resolve: (m) => m.to }),
    bucket: t.field({ type: MetricsBucketEnum, description: 'The bucket width of `alertsByCategory`.', resolve: (m) => m.bucket }),
    openCases: t.field({ type: OpenCasesRef, description: 'Cases open now, by severity and status (not limited to the range).', resolve: (m) => m.openCases }),
    alertsByCategory: t.field({
      type: [AlertBucketRef],
      description: 'Alerts received in the range, per bucket and category; every bucket is listed, empty ones too.',
      resolve: (m) => m.alertsByCategory.map((b) => ({ ...b, size: BUCKET_MS[m.bucket] })),
    }),
    alertTotal: t.exposeInt('alertTotal', { description: 'Alerts received in the range.' }),
    casesCreated: t.exposeInt('casesCreated', { description: 'Cases opened in the range.' }),
    mtta: t.field({
      type: DurationStatsRef,
      description: 'Mean time to acknowledge, over the cases opened in the range: from opening to the first change to IN_PROGRESS (from the audit log).',
      resolve: (m) => m.mtta,
    }),
    mttr: t.field({
      type: DurationStatsRef,
      description: 'Mean time to resolve, over the cases opened in the range: from opening to the first change to RESOLVED or CLOSED (from the audit log).',
      resolve: (m) => m.mttr,
    }),
  }),
});

builder.queryField('metrics', (t) =>
  t.field({
    type: MetricsRef,
    authScopes: { role: 'VIEWER' },
    description: `SOC metrics for the range [from, to): open cases, alerts by category per bucket (at most ${MAX_BUCKETS} buckets), MTTA and MTTR.`,
    args: {
      from: t.arg({ type: 'DateTime', required: false, description: 'Start (inclusive); default: a day before `to`.' }),
      to: t.arg({ type: 'DateTime', required: false, description: 'End (exclusive); default: now.' }),
      bucket: t.arg({ type: MetricsBucketEnum, defaultValue: MetricsBucket.HOUR, description: 'Bucket width for alerts over time (default HOUR).' }),
    },
    resolve: (_root, args, ctx) => {
      const to = args.to ?? ctx.services.clock();
      const from = args.from ?? to - DEFAULT_RANGE_MS;
      try {
        return ctx.services.metrics.compute(from, to, args.bucket ?? MetricsBucket.HOUR);
      } catch (error) {
        if (error instanceof RangeError) throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT' } });
        throw error;
      }
    },
  }),
);
