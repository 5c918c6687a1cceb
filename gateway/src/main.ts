import { createLogger, runUntilSignal, startOrExit } from '@shop/platform';
import { readConfig } from './config.ts';
import { createServer } from './server.ts';

// Apollo's gateway otherwise reports usage to Apollo's servers and probes cloud metadata endpoints.
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

// Process concerns only: config -> server -> listen -> drain on SIGTERM.
const config = await startOrExit('gateway', async () => readConfig(process.env));
const logger = createLogger('gateway', config.logLevel);
const server = await startOrExit('gateway', () => createServer({ config, logger }));
const port = await startOrExit('gateway', () => server.listen(config.port, config.host));
logger.info({ port, url: `http://localhost:${port}/graphql` }, 'gateway ready');
runUntilSignal(logger, () => server.close());
