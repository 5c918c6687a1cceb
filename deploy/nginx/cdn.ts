/**
 * The CDN stand-in: renders nginx.conf.template into a private prefix
 * directory and runs nginx in the foreground in front of the gateway.
 *
 *   npm run cdn                       # :8080 -> gateway on localhost:4000
 *   CDN_PORT=9000 GATEWAY_ADDR=127.0.0.1:4100 npm run cdn
 *
 * Used by the CDN tests with their own ports and prefix.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NGINX_BIN = process.env.NGINX_BIN ?? '/usr/sbin/nginx';

export interface Cdn {
  url: string;
  prefix: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export function renderConfig(options: { listen: string; gateway: string; prefix: string }): string {
  const template = readFileSync(new URL('./nginx.conf.template', import.meta.url), 'utf8');
  // Started as root (CI), nginx would hand requests to workers running as
  // `nobody`, which cannot write the private cache directory: keep the owner.
  const user = process.getuid?.() === 0 ? 'user root;' : '';
  return template
    .replaceAll('{{USER}}', user)
    .replaceAll('{{LISTEN}}', options.listen).replaceAll('{{GATEWAY}}', options.gateway).replaceAll('{{PREFIX}}', options.prefix);
}

/** Starts nginx on 127.0.0.1:`port` proxying to `gateway` (host:port); resolves once it accepts connections. */
export async function startCdn(options: { port: number; gateway: string; prefix?: string }): Promise<Cdn> {
  const prefix = options.prefix ?? mkdtempSync(join(tmpdir(), 'shop-cdn-'));
  mkdirSync(join(prefix, 'cache'), { recursive: true });
  const config = join(prefix, 'nginx.conf');
  writeFileSync(config, renderConfig({ listen: `127.0.0.1:${options.port}`, gateway: options.gateway, prefix }));
  const child = spawn(NGINX_BIN, ['-p', prefix, '-c', config, '-g', 'daemon off;'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with code ${child.exitCode}; see ${prefix}/error.log`);
    try {
      await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not start on ${url}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url,
    prefix,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGQUIT');
      }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cdn = await startCdn({ port: Number(process.env.CDN_PORT ?? 8080), gateway: process.env.GATEWAY_ADDR ?? '127.0.0.1:4000' });
  console.log(`CDN (nginx proxy_cache) on ${cdn.url}/graphql -> gateway ${process.env.GATEWAY_ADDR ?? '127.0.0.1:4000'}; cache in ${cdn.prefix}`);
  const stop = () => void cdn.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
