import { join } from 'node:path';
import { runNginx, type NginxProcess } from './nginx.ts';

/** One balanced endpoint: nginx listens on `listen` and spreads requests over `servers` (host:port each). */
export interface BalancedService {
  name: string;
  listen: string;
  servers: readonly string[];
}

/**
 * nginx.conf for the replica topology: one upstream and one server block per
 * service. Settings that carry the rolling-restart and kill guarantees:
 *
 * - `proxy_next_upstream error non_idempotent`: a request goes to the other
 *   replica only when the connection to the first one failed (refused,
 *   reset or closed before any response byte): the replica was stopping or
 *   was killed. POSTs are included because every GraphQL call is a POST; a
 *   replay is safe for reads, and for the mutations that move money or stock
 *   because they carry an idempotency key. A 503 is replayed too: a
 *   draining Fastify server (inventory) answers 503 to a request that
 *   arrives while it closes, before doing anything. A slow answer or any
 *   other 5xx is never replayed (no `timeout`): that is the gateway's and
 *   the clients' call.
 * - `max_fails=0`: a replica is never marked down. nginx's passive marking
 *   would take both replicas out after one refused connect each (as while
 *   they start) and answer "no live upstreams" for the whole fail_timeout; a
 *   refused connect on loopback costs microseconds and the request moves on.
 * - Keep-alive to the upstreams, and WebSocket upgrades passed through
 *   (clients' subscriptions to the gateway, the gateway's to inventory).
 */
export function renderBalancerConfig(services: readonly BalancedService[], prefix: string): string {
  // Started as root, nginx would run its workers as `nobody`, which cannot write the private prefix.
  const user = process.getuid?.() === 0 ? 'user root;' : '';
  const blocks = services.map(
    (service) => `
  upstream ${service.name} {
${service.servers.map((server) => `    server ${server} max_fails=0;`).join('\n')}
    keepalive 64;
  }
  server {
    listen ${service.listen};
    location / {
      proxy_pass http://${service.name};
    }
  }`,
  );
  return `${user}
worker_processes 1;
daemon off;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'error.log')} warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path ${join(prefix, 'tmp')};
  proxy_temp_path ${join(prefix, 'tmp')};
  client_max_body_size 2m;
  map $http_upgrade $connection_upgrade { default upgrade; '' ''; }
  proxy_http_version 1.1;
  proxy_set_header Host $host;
  proxy_set_header Upgrade $http_upgrade;
  proxy_set_header Connection $connection_upgrade;
  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
  proxy_buffering off;
  proxy_read_timeout 1h;
  proxy_send_timeout 1h;
  proxy_connect_timeout 2s;
  proxy_next_upstream error http_503 non_idempotent;
${blocks.join('\n')}
}
`;
}

export type LoadBalancer = NginxProcess;

/** Starts nginx in the foreground with the topology's config in `prefix`; resolves once every listen address accepts connections. */
export async function startLoadBalancer(services: readonly BalancedService[], prefix: string): Promise<LoadBalancer> {
  return runNginx({ prefix, config: renderBalancerConfig(services, prefix), listen: services.map((service) => service.listen) });
}
