/**
 * The notification service: the outbox writer (`notify`, synchronous, inside the caller's transaction),
 * the case journal hook that announces case changes, the deliverer, and the operator's redelivery.
 */
import type Database from 'better-sqlite3';
import type { Clock } from '../../clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { AuditLog } from '../../store/audit-log.js';
import type { CaseStore } from '../../store/case-store.js';
import { NotificationStatus, type NotificationStore } from '../../store/notification-store.js';
import type { NotificationRecord } from '../../store/records.js';
import { transactionsOf } from '../../store/transactions.js';
import type { CaseJournal } from '../cases/journal.js';
import { caseNotificationHook } from './case-events.js';
import { createChannel, type Channel } from './channels/index.js';
import type { ChannelType, NotifyRouting, RouteConfig } from './config.js';
import { createDeliverer, type DeliverySettings } from './deliverer.js';
import { createNotifier } from './notifier.js';

export interface NotifySettings extends DeliverySettings {
  routing: NotifyRouting;
}

/** A channel as the API shows it: never its URL, token or secret. */
export interface ChannelInfo {
  name: string;
  type: ChannelType;
  routes: RouteConfig[];
}

export function createNotifications(deps: {
  sqlite: Database.Database;
  store: NotificationStore;
  cases: CaseStore;
  journal: CaseJournal;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  settings: NotifySettings;
  /** Replaces the configured channels by name (tests), e.g. to count deliveries. */
  channels?: ReadonlyMap<string, Channel>;
  random?: () => number;
}) {
  const { settings, store, clock } = deps;
  const channels = deps.channels ?? new Map(settings.routing.channels.map((c) => [c.name, createChannel(c, { timeoutMs: settings.timeoutMs })]));
  const deliverer = createDeliverer({ sqlite: deps.sqlite, store, channels, clock, logger: deps.logger, settings, ...(deps.random ? { random: deps.random } : {}) });
  const notify = createNotifier({ sqlite: deps.sqlite, store, routing: settings.routing, clock, onCommitted: () => deliverer.kick() });
  deps.journal.onChange(caseNotificationHook({ cases: deps.cases, notify }));
  const transactions = transactionsOf(deps.sqlite);

  return {
    notify,
    deliverer,
    store,
    get: (id: string) => store.get(id),
    /** The configured channels with the routes that reach each. */
    channels(): ChannelInfo[] {
      return settings.routing.channels.map((c) => ({ name: c.name, type: c.type, routes: settings.routing.routes.filter((r) => r.channels.includes(c.name)) }));
    },
    /**
     * Puts a DELIVERED or DEAD notification back to PENDING with a fresh set of attempts (same idempotency
     * key, so a receiver that has it already can drop it), audited. A PENDING one is a ConflictError.
     */
    redeliver(id: string, actor: string): NotificationRecord {
      if (!/^ntf_[0-9a-z]{26}$/.test(id)) throw new ValidationError('INVALID_VALUE', 'id', `not a notification id (ntf_...): ${id.slice(0, 40)}`);
      const row = transactions.run(() => {
        const before = store.get(id);
        if (!before) throw new NotFoundError('notification', id);
        if (before.status === NotificationStatus.PENDING) {
          throw new ConflictError(`notification ${id} is PENDING already (attempt ${before.attempts} of ${settings.maxAttempts}); only DELIVERED or DEAD notifications can be redelivered`);
        }
        store.requeue(id, clock());
        deps.audit.record({
          actor,
          action: 'notification.redeliver',
          entityType: 'Notification',
          entityId: id,
          before: { status: before.status, attempts: before.attempts, lastError: before.lastError, deliveredAt: before.deliveredAt },
          after: { status: NotificationStatus.PENDING, channel: before.channel, event: before.event },
        });
        transactions.afterCommit(() => deliverer.kick());
        return store.get(id)!;
      });
      return row;
    },
  };
}

export type Notifications = ReturnType<typeof createNotifications>;
export { NotifyConfigError, defaultRouting, loadNotifyFile, type NotifyRouting } from './config.js';
