import type { LogLevel } from './config.ts';
import { runUntilSignal, startOrExit } from './lifecycle.ts';
import { createLogger, type Logger } from './logger.ts';

/** What `runService` needs from a process's config: where it listens and what it logs. */
export interface ProcessConfig {
  readonly port: number;
  readonly host: string;
  readonly logLevel: LogLevel;
}

/** A built server that has not listened yet (Apollo on node:http, or Fastify). */
export interface ListeningServer {
  /** Resolves with the port, or the address Fastify reports. */
  listen(port: number, host: string): Promise<number | string>;
  /** Stops accepting requests and lets in-flight ones finish. */
  close(): Promise<void>;
}

/** What a process's `start` receives: its config, its logger, and a place to register what to stop on SIGTERM. */
export interface ServiceRuntime<TConfig> {
  readonly name: string;
  readonly config: TConfig;
  readonly logger: Logger;
  /** Registers a stop step; steps run after the server has closed, the last registered first. */
  onStop(stop: () => Promise<void> | void): void;
}

export interface ServiceDefinition<TConfig extends ProcessConfig> {
  /** The service's name: the logger's `service`, and the name telemetry reports. */
  name: string;
  /** The service's own `readConfig(process.env)`. */
  readConfig: () => TConfig;
  /** Builds the server (and anything that runs beside it); never listens. */
  start: (runtime: ServiceRuntime<TConfig>) => Promise<ListeningServer>;
}

/**
 * The process shape every service shares, gateway and subgraphs alike:
 * config -> logger -> start -> listen -> on SIGTERM close the server, then
 * every registered stop step in reverse order. A failure before listening
 * prints the reason and exits 1.
 */
export async function runService<TConfig extends ProcessConfig>(definition: ServiceDefinition<TConfig>): Promise<void> {
  const { name } = definition;
  const config = await startOrExit(name, async () => definition.readConfig());
  const logger = createLogger(name, config.logLevel);
  const stops: (() => Promise<void> | void)[] = [];
  const runtime: ServiceRuntime<TConfig> = { name, config, logger, onStop: (stop) => void stops.push(stop) };
  const server = await startOrExit(name, () => definition.start(runtime));
  const address = await startOrExit(name, () => server.listen(config.port, config.host));
  const url = typeof address === 'number' ? `http://localhost:${address}/graphql` : `${address}/graphql`;
  logger.info({ url }, `${name} ready`);
  runUntilSignal(logger, async () => {
    await server.close();
    for (const stop of stops.reverse()) await stop();
  });
}
