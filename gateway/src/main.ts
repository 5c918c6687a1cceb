import { runService } from '@shop/platform';
import { readConfig } from './config.ts';
import { createServer } from './server.ts';

// Apollo's gateway otherwise reports usage to Apollo's servers and probes cloud metadata endpoints.
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

// What is the gateway's own: its config and server. The kit does the rest.
await runService({
  name: 'gateway',
  readConfig: () => readConfig(process.env),
  start: ({ config, logger }) => createServer({ config, logger }),
});
