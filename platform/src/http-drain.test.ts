import assert from 'node:assert/strict';
import { Agent, createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { describe, it } from 'node:test';
import { drainOnClose } from './http-drain.ts';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  socket: Socket;
}

function get(port: number, agent: Agent, path = '/'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body, socket: req.socket! }));
    });
    req.on('error', reject);
    req.end();
  });
}

const closed = (socket: Socket) => new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));

/** A server whose `/slow` requests wait until the test releases them, behind keep-alive clients as a balancer's pool. */
async function startServer() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let arrived!: () => void;
  const slowArrived = new Promise<void>((resolve) => (arrived = resolve));
  const server = createServer((req, res) => {
    if (req.url === '/slow') {
      arrived();
      void released.then(() => res.end('slow done'));
    } else res.end('fast');
  });
  server.keepAliveTimeout = 65_000;
  const drain = drainOnClose(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, drain, port: (server.address() as AddressInfo).port, release, slowArrived };
}

describe('drainOnClose', { timeout: 20_000 }, () => {
  it('finishes the request in flight with Connection: close, closes idle keep-alive connections at once, and resolves once no connection is left', async () => {
    const { drain, port, release, slowArrived } = await startServer();
    const idleAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    const busyAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    const idle = await get(port, idleAgent);
    assert.equal(idle.headers.connection, 'keep-alive');
    // The busy connection has served one request already and carries a second one when the close begins.
    await get(port, busyAgent);
    const inFlight = get(port, busyAgent, '/slow');
    await slowArrived;

    const closing = drain.close();
    await closed(idle.socket);
    release();
    const answer = await inFlight;
    assert.deepEqual({ status: answer.status, body: answer.body, connection: answer.headers.connection }, { status: 200, body: 'slow done', connection: 'close' });
    await closing;
    await assert.rejects(get(port, new Agent()), { code: 'ECONNREFUSED' });
    idleAgent.destroy();
    busyAgent.destroy();
  });

  it('closes a kept-alive connection once its response is out even when the headers were sent before the close began', async () => {
    let finish!: () => void;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first part;');
      finish = () => res.end('second part');
    });
    server.keepAliveTimeout = 65_000;
    const drain = drainOnClose(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const streaming = new Promise<Answer>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
          if (body === 'first part;') {
            void drain.close();
            finish();
          }
        });
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body, socket: req.socket! }));
      });
      req.on('error', reject);
      req.end();
    });
    const answer = await streaming;
    assert.equal(answer.body, 'first part;second part');
    await closed(answer.socket);
    await drain.close();
    agent.destroy();
  });
});
