/**
 * The baseline: Yoga answering a mutation that does one raw SQLite insert into a WAL file database.
 * Everything Vigil adds (auth, validation, dedup, jobs, events, Pothos) shows as the ratio against it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { createSchema, createYoga } from 'graphql-yoga';

export async function startBaseline(dbPath: string) {
  const sqlite = new Database(dbPath);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.exec('CREATE TABLE IF NOT EXISTS raw_alerts (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)');
  const insert = sqlite.prepare('INSERT INTO raw_alerts (payload) VALUES (?)');
  const insertMany = sqlite.transaction((logs: string[]) => logs.map((log) => Number(insert.run(log).lastInsertRowid)));
  const yoga = createYoga({
    logging: false,
    schema: createSchema({
      typeDefs: 'type Query { ok: Boolean } type Mutation { insert(log: String!): Int! insertMany(logs: [String!]!): [Int!]! }',
      resolvers: {
        Mutation: {
          insert: (_: unknown, { log }: { log: string }) => Number(insert.run(log).lastInsertRowid),
          insertMany: (_: unknown, { logs }: { logs: string[] }) => insertMany(logs),
        },
      },
    }),
  });
  const server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      sqlite.close();
    },
  };
}
