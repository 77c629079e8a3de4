/** Builds the channel for each configured entry. */
import type { ChannelConfig } from '../config.js';
import { emailChannel } from './email.js';
import { fileChannel } from './file.js';
import { slackChannel } from './slack.js';
import { teamsChannel } from './teams.js';
import { telegramChannel } from './telegram.js';
import type { Channel, ChannelOptions } from './types.js';
import { webhookChannel } from './webhook.js';

export function createChannel(config: ChannelConfig, options: ChannelOptions): Channel {
  switch (config.type) {
    case 'file':
      return fileChannel(config);
    case 'webhook':
      return webhookChannel(config);
    case 'slack':
      return slackChannel(config);
    case 'teams':
      return teamsChannel(config);
    case 'telegram':
      return telegramChannel(config);
    case 'email':
      return emailChannel(config, options);
  }
}

export type { Channel, ChannelOptions, OutgoingNotification } from './types.js';
export { DeliveryError } from './types.js';
