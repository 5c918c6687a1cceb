/**
 * A lean HTTP load generator for the gateway benchmarks (undici Pool, one
 * process): closed loop (`connections` callers, each sending its next request
 * when the previous one answered) or open loop (`rate` requests per second
 * sent on schedule whatever the answers, latency counted from the scheduled
 * time so a stall is not hidden). Every answer is checked byte for byte
 * against `expected`. Each request comes from its own client address
 * (`x-forwarded-for`, cycling over 65,536 addresses), as a crowd would.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Pool } from 'undici';

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  /** The POST body or the GET path+query. */
  body: string;
  headers?: Record<string, string>;
  expected: Buffer;
  durationMs: number;
  connections: number;
  /** Open loop at this many requests per second; closed loop when absent. */
  rate?: number;
}

export interface LoadResult {
  requests: number;
  mismatches: number;
  failures: number;
  rps: number;
  p50: number;
  p99: number;
  /** First mismatching answer, for the report. */
  sample?: string;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

let clientSeq = 0;
function clientAddress(): string {
  const n = clientSeq++ & 0xffff;
  return `198.18.${n >> 8}.${n & 0xff}`;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  const pool = new Pool(target.origin, { connections: options.connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const method = options.method ?? 'POST';
  const path = method === 'GET' ? options.body : target.pathname;
  const baseHeaders = { 'content-type': 'application/json', ...options.headers };
  const latencies: number[] = [];
  let mismatches = 0;
  let failures = 0;
  let sample: string | undefined;
  // One request through undici's dispatch API, its answer checked against `expected` chunk by chunk as it
  // arrives: every byte and the length are compared, without a Readable stream per answer or a copy of
  // the whole body (with 50 callers sharing one 87,600-byte answer, those had cost the load generator
  // about as much CPU per request as the gateway, and the callers' turnaround is part of every cycle).
  const send = (startedAt: number) =>
    new Promise<void>((resolve) => {
      let status = 0;
      let offset = 0;
      let same = true;
      // Kept only once an answer differs, for the report.
      let seen: Buffer[] | undefined;
      const done = (error?: unknown) => {
        if (error !== undefined) {
          failures++;
          sample ??= String(error);
        } else {
          latencies.push(performance.now() - startedAt);
          if (status !== 200 || !same || offset !== options.expected.length) {
            mismatches++;
            sample ??= `${status} ${seen ? Buffer.concat(seen).toString('utf8', 0, 300) : options.expected.toString('utf8', 0, Math.min(offset, 300))}`;
          }
        }
        resolve();
      };
      pool.dispatch(
        { method, path, body: method === 'POST' ? options.body : undefined, headers: { ...baseHeaders, 'x-forwarded-for': clientAddress() } },
        {
          onRequestStart() {},
          onResponseStart(_controller, statusCode) {
            status = statusCode;
          },
          onResponseData(_controller, chunk) {
            if (same) {
              const end = offset + chunk.length;
              same = end <= options.expected.length && chunk.compare(options.expected, offset, end) === 0;
              // The bytes so far matched `expected`: they are its first `offset` bytes.
              if (!same) seen = [options.expected.subarray(0, offset)];
            }
            if (seen) seen.push(Buffer.from(chunk));
            offset += chunk.length;
          },
          onResponseEnd() {
            done();
          },
          onResponseError(_controller, error) {
            done(error);
          },
        },
      );
    });
  const started = performance.now();
  const deadline = started + options.durationMs;
  if (options.rate) {
    const interval = 1000 / options.rate;
    const inFlight = new Set<Promise<void>>();
    for (let i = 0; ; i++) {
      const due = started + i * interval;
      if (due >= deadline) break;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const p = send(due).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  } else {
    await Promise.all(
      Array.from({ length: options.connections }, async () => {
        while (performance.now() < deadline) await send(performance.now());
      }),
    );
  }
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    mismatches,
    failures,
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    sample,
  };
}

/** CPU time (user + system) a process has used so far, in ms, from /proc/PID/stat. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at index 2 (state); utime is field 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/**
 * CPU time (user + system) of a process and every process under it, in ms:
 * the live ones from /proc/PID/stat, and those already exited and reaped from
 * its `cutime`/`cstime` (a cluster primary and its workers, restarted ones included).
 */
export function treeCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const reaped = ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  let total = cpuMs(pid) + reaped;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    let children: string;
    try {
      children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const child of children.split(' ').filter(Boolean)) {
      try {
        total += treeCpuMs(Number(child));
      } catch {
        // Exited between the listing and the read: its time is in `reaped` once it is waited for.
      }
    }
  }
  return total;
}
