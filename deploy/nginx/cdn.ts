/**
 * The CDN stand-in: renders nginx.conf.template into a private prefix
 * directory and runs nginx in the foreground in front of the gateway.
 *
 *   npm run cdn                       # :8080 -> gateway on localhost:4000
 *   CDN_PORT=9000 GATEWAY_ADDR=127.0.0.1:4100 npm run cdn
 *
 * Used by the CDN tests with their own ports and prefix.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNginx, type NginxProcess } from '../../platform/src/stack/nginx.ts';

export interface Cdn extends NginxProcess {
  url: string;
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
  const listen = `127.0.0.1:${options.port}`;
  const nginx = await runNginx({ prefix, config: renderConfig({ listen, gateway: options.gateway, prefix }), listen: [listen] });
  return { ...nginx, url: `http://${listen}` };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cdn = await startCdn({ port: Number(process.env.CDN_PORT ?? 8080), gateway: process.env.GATEWAY_ADDR ?? '127.0.0.1:4000' });
  console.log(`CDN (nginx proxy_cache) on ${cdn.url}/graphql -> gateway ${process.env.GATEWAY_ADDR ?? '127.0.0.1:4000'}; cache in ${cdn.prefix}`);
  const stop = () => void cdn.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
