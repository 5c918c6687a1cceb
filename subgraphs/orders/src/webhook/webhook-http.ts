import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { guardedLookup, isPublicAddress } from './webhook-url.ts';

export interface PostResult {
  /** The HTTP status; null when there was no answer. */
  status: number | null;
  /** Why the attempt failed; null on a 2xx answer. */
  error: string | null;
  durationMs: number;
}

/** Read at most this much of a partner's answer: only the status matters. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs a signed webhook body. Redirects are not followed (a 3xx is a
 * failure, so a partner cannot bounce us to an internal address); without
 * `allowPrivate`, only public addresses are connected to. The whole
 * exchange, answer included, must finish within `timeoutMs`.
 */
export function postWebhook(url: URL, body: string, headers: Record<string, string>, options: { timeoutMs: number; allowPrivate: boolean }): Promise<PostResult> {
  const started = performance.now();
  const done = (status: number | null, error: string | null): PostResult => ({ status, error, durationMs: Math.round(performance.now() - started) });
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivate && isIP(host) && !isPublicAddress(host)) return Promise.resolve(done(null, `${host} is not a public address`));

  return new Promise<PostResult>((resolve) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'shop-webhooks/1' },
        signal: AbortSignal.timeout(options.timeoutMs),
        ...(options.allowPrivate ? {} : { lookup: guardedLookup }),
      },
      (response) => {
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) response.destroy();
        });
        response.on('close', () => {
          const status = response.statusCode ?? null;
          if (!response.complete) return resolve(done(status, `the answer was cut off (HTTP ${status})`));
          const ok = status !== null && status >= 200 && status < 300;
          resolve(done(status, ok ? null : `HTTP ${status}`));
        });
        response.on('error', () => {});
      },
    );
    request.on('error', (error) => {
      const timedOut = error.name === 'AbortError' || error.name === 'TimeoutError';
      resolve(done(null, timedOut ? `no answer within ${options.timeoutMs} ms` : error.message));
    });
    request.end(body);
  });
}
