/**
 * Submits a log line, then follows its stage events over graphql-ws, printing each as it arrives.
 * Usage: VIGIL_TOKEN=<token> npx tsx client-examples/subscribe-ws.ts ["<log line>"]
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const base = process.env.VIGIL_URL ?? 'http://127.0.0.1:4000';
const token = process.env.VIGIL_TOKEN;
if (!token) throw new Error('set VIGIL_TOKEN to an API key');
const log = process.argv[2] ?? 'Nov 23 04:00:00 web-01 sshd[2211]: Failed password for invalid user admin from 185.22.13.9 port 40022 ssh2';

const client = createClient({
  url: `${base.replace(/^http/, 'ws')}/graphql`,
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${token}` },
});

const submitted = await new Promise<{ submitAlert: { alert?: { id: string }; message?: string } }>((resolve, reject) => {
  client.subscribe(
    {
      query: 'mutation($log: String!) { submitAlert(input: { log: $log }) { ... on SubmitAlertSuccess { alert { id } } ... on ValidationError { message } } }',
      variables: { log },
    },
    { next: (result) => (result.errors ? reject(new Error(JSON.stringify(result.errors))) : resolve(result.data as never)), error: reject, complete: () => undefined },
  );
});
const alertId = submitted.submitAlert.alert?.id;
if (!alertId) throw new Error(`refused: ${submitted.submitAlert.message}`);
console.log(`alert ${alertId}`);

// The subscription replays what already happened, so nothing is missed by subscribing after submitting.
const stages = ['INGEST', 'NORMALIZE', 'EXTRACT', 'CLASSIFY', 'ENRICH', 'SCORE'];
let seen = 0;
await new Promise<void>((resolve, reject) => {
  const dispose = client.subscribe(
    { query: 'subscription($id: ID!) { pipelineEvents(alertId: $id) { seq stage status durationMs summary } }', variables: { id: alertId } },
    {
      next: ({ data, errors }) => {
        if (errors) return reject(new Error(JSON.stringify(errors)));
        const e = (data as { pipelineEvents: { seq: number; stage: string; status: string; durationMs: number; summary: string } }).pipelineEvents;
        console.log(`#${e.seq} ${e.stage.padEnd(9)} ${e.status.padEnd(9)} ${String(e.durationMs).padStart(4)} ms  ${e.summary}`);
        if (++seen === stages.length || e.status === 'FAILED') {
          dispose();
          resolve();
        }
      },
      error: reject,
      complete: resolve,
    },
  );
});
await client.dispose();
