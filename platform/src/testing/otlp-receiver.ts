import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One span as the receiver saw it, whatever the protocol. Ids are lowercase hex. */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, string | number | boolean>;
}

export interface OtlpReceiver {
  /** The base URL to put in OTEL_EXPORTER_OTLP_ENDPOINT (the exporters append /v1/traces). */
  url: string;
  spans: ReceivedSpan[];
  /** The content types of the export requests received (`application/json`, `application/x-protobuf`). */
  contentTypes: Set<string>;
  close(): Promise<void>;
}

/**
 * A small OTLP/HTTP trace receiver for tests: accepts POST /v1/traces in
 * both encodings the exporters send (http/json and http/protobuf), decodes
 * the spans and keeps them.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const contentTypes = new Set<string>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      contentTypes.add(type);
      try {
        spans.push(...(type === 'application/json' ? fromJson(JSON.parse(body.toString('utf8'))) : fromProtobuf(body)));
      } catch (error) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(String(error));
        return;
      }
      // An empty ExportTraceServiceResponse: {} in JSON, zero bytes in protobuf.
      res.writeHead(200, { 'content-type': type }).end(type === 'application/json' ? '{}' : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    contentTypes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

type JsonValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
type JsonKeyValue = { key: string; value: JsonValue };

function jsonAttributes(list: JsonKeyValue[] | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of list ?? []) out[key] = value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : (value.boolValue ?? value.doubleValue ?? ''));
  return out;
}

function fromJson(request: {
  resourceSpans?: { resource?: { attributes?: JsonKeyValue[] }; scopeSpans?: { spans?: { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes?: JsonKeyValue[] }[] }[] }[];
}): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const resourceSpans of request.resourceSpans ?? []) {
    const service = String(jsonAttributes(resourceSpans.resource?.attributes)['service.name'] ?? '');
    for (const scope of resourceSpans.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        out.push({
          service,
          traceId: span.traceId.toLowerCase(),
          spanId: span.spanId.toLowerCase(),
          parentSpanId: (span.parentSpanId ?? '').toLowerCase(),
          name: span.name,
          kind: span.kind,
          attributes: jsonAttributes(span.attributes),
        });
      }
    }
  }
  return out;
}

// Protocol Buffers wire format, enough for opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.
type Field = { number: number; value: bigint | Buffer };

function fields(buffer: Buffer): Field[] {
  const out: Field[] = [];
  let offset = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = buffer[offset++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
  };
  while (offset < buffer.length) {
    const key = Number(varint());
    const number = key >> 3;
    switch (key & 7) {
      case 0:
        out.push({ number, value: varint() });
        break;
      case 1:
        out.push({ number, value: buffer.subarray(offset, (offset += 8)) });
        break;
      case 2: {
        const length = Number(varint());
        out.push({ number, value: buffer.subarray(offset, (offset += length)) });
        break;
      }
      case 5:
        out.push({ number, value: buffer.subarray(offset, (offset += 4)) });
        break;
      default:
        throw new Error(`unsupported protobuf wire type ${key & 7}`);
    }
  }
  return out;
}

const bytes = (f: Field[], n: number) => f.filter((x) => x.number === n).map((x) => x.value as Buffer);
const text = (f: Field[], n: number) => bytes(f, n)[0]?.toString('utf8') ?? '';

function protobufAttributes(list: Buffer[]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const raw of list) {
    const keyValue = fields(raw);
    const value = fields(bytes(keyValue, 2)[0] ?? Buffer.alloc(0))[0];
    if (!value) continue;
    // AnyValue: 1 string, 2 bool, 3 int, 4 double.
    out[text(keyValue, 1)] =
      value.number === 1 ? (value.value as Buffer).toString('utf8') : value.number === 2 ? value.value === 1n : value.number === 3 ? Number(value.value) : value.number === 4 ? (value.value as Buffer).readDoubleLE() : '';
  }
  return out;
}

function fromProtobuf(body: Buffer): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const resourceSpans of bytes(fields(body), 1).map(fields)) {
    const resource = fields(bytes(resourceSpans, 1)[0] ?? Buffer.alloc(0));
    const service = String(protobufAttributes(bytes(resource, 1))['service.name'] ?? '');
    for (const scope of bytes(resourceSpans, 2).map(fields)) {
      for (const span of bytes(scope, 2).map(fields)) {
        out.push({
          service,
          traceId: bytes(span, 1)[0]?.toString('hex') ?? '',
          spanId: bytes(span, 2)[0]?.toString('hex') ?? '',
          parentSpanId: bytes(span, 4)[0]?.toString('hex') ?? '',
          name: text(span, 5),
          kind: Number(span.find((x) => x.number === 6)?.value ?? 0n),
          attributes: protobufAttributes(bytes(span, 9)),
        });
      }
    }
  }
  return out;
}
