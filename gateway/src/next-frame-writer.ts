import type { Socket } from 'node:net';
import WebSocket from 'ws';

/**
 * Writes graphql-ws `next` messages of one subscription as whole WebSocket
 * frames, built here, straight onto the connection's TCP socket.
 *
 * Why: a fanned-out event is the same payload for every subscriber; only the
 * subscription id around it differs. `ws.send` would, per subscriber, encode
 * the message string to UTF-8, allocate a frame header and write header and
 * body as two chunks (a writev). Here the payload is encoded once per event
 * (the caller passes its bytes), and each subscriber costs one copy into one
 * buffer of header + `{"id":…,"type":"next","payload":` + payload + `}` and
 * one write: about 1.5 µs less CPU per frame, of ~11 µs, measured on this
 * machine, and no string left behind per subscriber.
 *
 * Why it is sound: a server frame is unmasked, so its bytes are the header
 * and the message; `ws` writes every frame of a connection synchronously to
 * the same socket unless it is compressing (permessage-deflate) or reading a
 * Blob, so frames written here and by `ws` (pings, `complete`, close) go out
 * whole and in call order. Hence the raw path only for a connection without
 * extensions (the gateway's server negotiates none) and while it is OPEN:
 * after a close frame, nothing more may follow. Otherwise, and for every
 * other message type, `ws.send` is used as usual.
 */
export type NextFrameWriter = (payload: Buffer) => void;

export function createNextFrameWriter(ws: WebSocket, tcp: Socket, id: string): NextFrameWriter {
  const prefix = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
  if (ws.extensions !== '') {
    return (payload) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(Buffer.concat([prefix, payload, SUFFIX]), { binary: false });
    };
  }
  return (payload) => {
    if (ws.readyState !== WebSocket.OPEN || tcp.destroyed) return;
    tcp.write(encodeTextFrame(prefix, payload));
  };
}

const SUFFIX = Buffer.from('}');

/** One unmasked, final text frame (RFC 6455 §5.2) whose data is prefix + payload + `}`. */
export function encodeTextFrame(prefix: Buffer, payload: Buffer): Buffer {
  const length = prefix.length + payload.length + 1;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81; // FIN + opcode 1 (text)
  if (headerLength === 2) {
    frame[1] = length;
  } else if (headerLength === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  prefix.copy(frame, headerLength);
  payload.copy(frame, headerLength + prefix.length);
  frame[frame.length - 1] = 0x7d; // }
  return frame;
}
