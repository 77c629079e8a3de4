/** `npm run bench`: each benchmark prints its figures beside a baseline measured in the same run. */
import { benchCaseGraph } from './case-graph.js';
import { benchClassify } from './classify.bench.js';
import { benchEnrich } from './enrich.bench.js';
import { benchIngest } from './ingest.bench.js';

await benchIngest();
benchClassify();
await benchEnrich();
await benchCaseGraph();
