import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, waitUntilReady, type ServiceSpec } from './services.ts';

/**
 * Runs one service as a child process (same Node binary), restarts it with a
 * growing delay if it crashes, and stops it with SIGTERM (SIGKILL after a
 * grace period) on shutdown.
 */
export class SupervisedProcess {
  readonly spec: ServiceSpec;
  readonly #env: NodeJS.ProcessEnv;
  readonly #log: (message: string) => void;
  #child: ChildProcess | undefined;
  #stopping = false;
  #restarts = 0;

  constructor(spec: ServiceSpec, env: NodeJS.ProcessEnv, log: (message: string) => void) {
    this.spec = spec;
    this.#env = env;
    this.#log = log;
  }

  get readyUrl(): string {
    return `http://127.0.0.1:${this.spec.port}/ready`;
  }

  start(): void {
    const child = spawn(process.execPath, [join(ROOT, this.spec.entry)], {
      cwd: ROOT,
      env: { ...this.#env, PORT: String(this.spec.port) },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    this.#child = child;
    child.on('exit', (code, signal) => {
      if (this.#child !== child) return;
      this.#child = undefined;
      if (this.#stopping) return;
      const delay = Math.min(1000 * 2 ** this.#restarts, 15_000);
      this.#restarts += 1;
      this.#log(`${this.spec.name} exited (${signal ?? `code ${code}`}); restarting in ${delay} ms`);
      setTimeout(() => {
        if (!this.#stopping) this.start();
      }, delay).unref();
    });
  }

  async waitUntilReady(timeoutMs: number): Promise<void> {
    await waitUntilReady(this.readyUrl, timeoutMs, () => this.#child !== undefined || this.#restarts < 3);
    this.#restarts = 0;
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
