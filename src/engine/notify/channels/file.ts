/**
 * The dev-safe default: one JSON file per notification in a local folder, named from the notification id
 * only (never from alert text). Written to a temporary name and renamed, so readers never see half a file;
 * a retry rewrites the same file.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Channel, OutgoingNotification } from './types.js';
import { DeliveryError } from './types.js';

const SAFE_ID = /^ntf_[0-9a-z]{26}$/;

export function fileDocument(n: OutgoingNotification) {
  return {
    id: n.id,
    idempotencyKey: n.idempotencyKey,
    channel: n.channel,
    event: n.event,
    severity: n.severity,
    caseId: n.caseId,
    createdAt: new Date(n.createdAt).toISOString(),
    title: n.payload.title,
    text: n.payload.text,
    facts: n.payload.facts,
  };
}

export function fileChannel(config: { name: string; directory: string }): Channel {
  return {
    name: config.name,
    type: 'file',
    secrets: [],
    async deliver(n, signal) {
      if (!SAFE_ID.test(n.id)) throw new DeliveryError(`refusing a file name from an unexpected id`);
      await mkdir(config.directory, { recursive: true });
      const target = join(config.directory, `${n.id}.json`);
      const temporary = join(config.directory, `.${n.id}.${process.pid}.tmp`);
      await writeFile(temporary, `${JSON.stringify(fileDocument(n), null, 2)}\n`, { signal, mode: 0o640 });
      await rename(temporary, target);
    },
  };
}
