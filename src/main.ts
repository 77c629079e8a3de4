/** Process entry: config -> database -> migrations -> app -> listen; SIGINT/SIGTERM stop gracefully. */
import { openDatabase } from '../db/client.js';
import { runMigrations } from '../db/migrate.js';
import { buildApp } from './app.js';
import { systemClock } from './clock.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { createServices } from './services.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = openDatabase({ path: config.dbPath, synchronous: config.dbSynchronous });
  runMigrations(database.db);
  const services = createServices({ config, database, clock: systemClock, logger });
  const app = buildApp(services);
  if (!config.adminToken && services.apiKeys.list({ limit: 1 }).length === 0) {
    // First start with no way in: make one admin key and show its token this once (only its hash is kept).
    const { token } = services.apiKeys.create({ name: 'first-start admin', role: 'ADMIN' }, { id: 'system', name: 'system', role: 'ADMIN' });
    logger.warn({ token }, 'no API keys existed: created an ADMIN key; this token is shown only now. Send it as `Authorization: Bearer <token>`');
  }
  // Handlers before listening: a signal that arrives as soon as the port is open must not kill the process outright.
  let signalled = false;
  const shutdown = (signal: string) => {
    if (signalled) return;
    signalled = true;
    logger.info({ signal }, 'shutting down: finishing in-flight work');
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  const port = await app.start(config.port, config.host);
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url: `${url}/graphql`, database: config.dbPath }, 'Vigil is listening: GraphiQL at /graphql, health at /healthz');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
