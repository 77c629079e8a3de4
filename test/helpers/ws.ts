/** graphql-ws clients for tests: one per key, and collecting a subscription's first results. */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export function wsClient(port: number, token: string): Client {
  return createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0, lazy: true });
}

/** Resolves with the root field of the first `count` results (fewer if the stream completes); rejects on errors. */
export function collectWs(client: Client, query: string, variables: Record<string, unknown>, count: number): Promise<any[]> {
  return new Promise((resolve, reject) => {
    const events: any[] = [];
    const dispose = client.subscribe(
      { query, variables },
      {
        next: (result) => {
          if (result.errors) return reject(new Error(JSON.stringify(result.errors)));
          events.push(Object.values(result.data ?? {})[0]);
          if (events.length === count) {
            dispose();
            resolve(events);
          }
        },
        error: (e) => reject(e instanceof Error ? e : new Error(JSON.stringify(e))),
        complete: () => resolve(events),
      },
    );
  });
}
