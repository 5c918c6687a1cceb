import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import { createNextFrameWriter } from './next-frame-writer.ts';

/** A real ws server and client on loopback; resolves with both ends of one connection. */
async function connect(options: { perMessageDeflate: boolean }) {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: options.perMessageDeflate });
  servers.push(server);
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const accepted = new Promise<[WebSocket, IncomingMessage]>((resolve) => server.once('connection', (ws, request) => resolve([ws, request])));
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, { perMessageDeflate: options.perMessageDeflate });
  const messages: string[] = [];
  client.on('message', (data, isBinary) => messages.push(isBinary ? `binary:${data.toString()}` : data.toString()));
  const closed = new Promise<number>((resolve) => client.once('close', (code) => resolve(code)));
  await new Promise((resolve) => client.once('open', resolve));
  const [ws, request] = await accepted;
  return { ws, tcp: request.socket, client, messages, closed };
}
const servers: WebSocketServer[] = [];
after(() => {
  for (const server of servers) for (const ws of server.clients) ws.terminate();
  for (const server of servers) server.close();
});

const until = async (test: () => boolean) => {
  for (let i = 0; i < 200 && !test(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(test(), 'timed out');
};

describe('graphql-ws next frames written to the TCP socket', () => {
  it('arrive as text messages a WebSocket client reads, at every length encoding and with non-ASCII text', async () => {
    const { ws, tcp, messages } = await connect({ perMessageDeflate: false });
    assert.equal(ws.extensions, '');
    const write = createNextFrameWriter(ws, tcp, 'sub-ä"1');
    const payloads = [
      { data: { n: 1 } }, // frame under 126 bytes
      { data: { name: 'Größe ✓ '.repeat(40) } }, // 16-bit length
      { data: { blob: 'x'.repeat(70_000) } }, // 64-bit length
    ];
    for (const payload of payloads) write(Buffer.from(JSON.stringify(payload)));
    await until(() => messages.length === 3);
    assert.deepEqual(
      messages.map((m) => JSON.parse(m)),
      payloads.map((payload) => ({ id: 'sub-ä"1', type: 'next', payload })),
    );
  });

  it("stay in order with the connection's other messages", async () => {
    const { ws, tcp, messages } = await connect({ perMessageDeflate: false });
    const write = createNextFrameWriter(ws, tcp, '7');
    ws.send('{"type":"ping"}');
    write(Buffer.from('{"data":1}'));
    ws.send('{"id":"7","type":"complete"}');
    await until(() => messages.length === 3);
    assert.deepEqual(messages, ['{"type":"ping"}', '{"id":"7","type":"next","payload":{"data":1}}', '{"id":"7","type":"complete"}']);
  });

  it('are not written once the connection is closing', async () => {
    const { ws, tcp, messages, closed } = await connect({ perMessageDeflate: false });
    const write = createNextFrameWriter(ws, tcp, '1');
    write(Buffer.from('{"data":1}'));
    ws.close(4429, 'Slow consumer');
    write(Buffer.from('{"data":2}'));
    assert.equal(await closed, 4429, 'the client saw a clean close frame, not a protocol error');
    assert.deepEqual(messages, ['{"id":"1","type":"next","payload":{"data":1}}']);
  });

  it('go through ws.send when the connection negotiated an extension (permessage-deflate)', async () => {
    const { ws, tcp, messages } = await connect({ perMessageDeflate: true });
    assert.match(ws.extensions, /permessage-deflate/);
    const write = createNextFrameWriter(ws, tcp, '1');
    write(Buffer.from('{"data":1}'));
    ws.send('after');
    await until(() => messages.length === 2);
    assert.deepEqual(messages, ['{"id":"1","type":"next","payload":{"data":1}}', 'after']);
  });
});
