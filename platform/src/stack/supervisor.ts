import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { RestartBackoff } from '../restart-backoff.ts';
import { NODE_ARGS, readinessUrl, ROOT, waitUntilReady, type ServiceSpec } from './services.ts';

export interface SupervisorOptions {
  /** 'inherit' prints the child's output; 'pipe' keeps its last 20 kB in `output` (tests). */
  stdio?: 'inherit' | 'pipe';
}

/**
 * Runs one service as a child process (same Node binary), restarts it if it
 * exits for any reason other than `stop()` (a SIGTERM from an operator is a
 * rolling restart), with a delay that grows while it keeps crashing soon after
 * start, and stops it with SIGTERM (SIGKILL after a grace period) on shutdown.
 */
export class SupervisedProcess {
  readonly spec: ServiceSpec;
  readonly #env: NodeJS.ProcessEnv;
  readonly #log: (message: string) => void;
  readonly #stdio: 'inherit' | 'pipe';
  #child: ChildProcess | undefined;
  #startedAt = 0;
  #stopping = false;
  readonly #backoff = new RestartBackoff();
  /** How many times a process was started: a new number means a new process. */
  generation = 0;
  output = '';

  constructor(spec: ServiceSpec, env: NodeJS.ProcessEnv, log: (message: string) => void, options: SupervisorOptions = {}) {
    this.spec = spec;
    this.#env = env;
    this.#log = log;
    this.#stdio = options.stdio ?? 'inherit';
  }

  get name(): string {
    return this.spec.name;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  start(): void {
    const child = spawn(process.execPath, [...NODE_ARGS, join(ROOT, this.spec.entry)], {
      cwd: ROOT,
      env: { ...this.#env, PORT: String(this.spec.port), METRICS_PORT: String(this.spec.metricsPort) },
      stdio: ['ignore', this.#stdio, this.#stdio],
    });
    this.#child = child;
    this.#startedAt = Date.now();
    this.generation += 1;
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('exit', (code, signal) => {
      if (this.#child !== child) return;
      this.#child = undefined;
      if (this.#stopping) return;
      const delay = this.#backoff.next(Date.now() - this.#startedAt);
      this.#log(`${this.spec.name} :${this.spec.port} exited (${signal ?? `code ${code}`}); restarting in ${delay} ms`);
      setTimeout(() => {
        if (!this.#stopping) this.start();
      }, delay).unref();
    });
  }

  /** Sends a signal to the running process (SIGTERM: graceful stop, SIGKILL: crash); the supervisor starts a new one. */
  signal(signal: NodeJS.Signals): void {
    this.#child?.kill(signal);
  }

  /** Resolves once a process newer than `afterGeneration` answers ready. */
  async waitForNewProcess(afterGeneration: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.generation <= afterGeneration) {
      if (Date.now() > deadline) throw new Error(`${this.spec.name} :${this.spec.port} was not restarted within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await this.waitUntilReady(Math.max(1000, deadline - Date.now()));
  }

  async waitUntilReady(timeoutMs: number): Promise<void> {
    await waitUntilReady(readinessUrl(this.spec), timeoutMs, () => this.#child !== undefined || this.#backoff.restarts < 3);
    this.#backoff.reset();
  }

  async stop(graceMs = 10_000): Promise<void> {
    this.#stopping = true;
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}
