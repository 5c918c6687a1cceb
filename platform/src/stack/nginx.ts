import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The nginx binary: NGINX_BIN, else the Debian package's. */
export const NGINX_BIN = process.env.NGINX_BIN ?? '/usr/sbin/nginx';

/** An nginx running in the foreground as a child of this process. */
export interface NginxProcess {
  prefix: string;
  process: ChildProcess;
  /** Graceful stop (SIGQUIT: nginx finishes the requests it holds); resolves when it has exited. */
  stop(): Promise<void>;
}

/**
 * Runs nginx in the foreground with `config` (the text of an nginx.conf that
 * says `daemon off;`) written into `prefix`, and resolves once every address
 * in `listen` (host:port) answers HTTP: any status counts, even a 502 while
 * nothing is behind it yet. The one way this repository starts nginx: the CDN
 * stand-in and the replica topology's load balancer.
 */
export async function runNginx(options: { prefix: string; config: string; listen: readonly string[]; timeoutMs?: number }): Promise<NginxProcess> {
  const { prefix, listen } = options;
  if (!existsSync(NGINX_BIN)) throw new Error(`nginx not found at ${NGINX_BIN}: install it (apt-get install nginx-light) or set NGINX_BIN`);
  mkdirSync(join(prefix, 'tmp'), { recursive: true });
  const configPath = join(prefix, 'nginx.conf');
  writeFileSync(configPath, options.config);
  const child = spawn(NGINX_BIN, ['-p', prefix, '-c', configPath], { stdio: ['ignore', 'inherit', 'inherit'] });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGQUIT');
    });
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  try {
    for (const address of listen) {
      for (;;) {
        if (child.exitCode !== null) throw new Error(`nginx exited with code ${child.exitCode}; see ${prefix}/error.log`);
        try {
          await fetch(`http://${address}/health`, { signal: AbortSignal.timeout(1000) });
          break;
        } catch {
          if (Date.now() > deadline) throw new Error(`nginx did not listen on ${address}; see ${prefix}/error.log`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { prefix, process: child, stop };
}
