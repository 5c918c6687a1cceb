import type { RequestHandler } from '@shop/platform';

/**
 * A small Prometheus registry: counters and gauges with labels, exposed as
 * text at /metrics. Enough for the gateway's own figures without another
 * dependency on the request path.
 */
type Labels = Record<string, string>;

export class Metrics {
  readonly #values = new Map<string, Map<string, number>>();
  readonly #help = new Map<string, string>();

  describe(name: string, help: string): this {
    this.#help.set(name, help);
    return this;
  }

  inc(name: string, labels: Labels = {}, by = 1): void {
    const series = this.#series(name);
    const key = Metrics.#key(labels);
    series.set(key, (series.get(key) ?? 0) + by);
  }

  set(name: string, value: number, labels: Labels = {}): void {
    this.#series(name).set(Metrics.#key(labels), value);
  }

  get(name: string, labels: Labels = {}): number {
    return this.#values.get(name)?.get(Metrics.#key(labels)) ?? 0;
  }

  /** Sum over every label set of a metric. */
  total(name: string): number {
    let sum = 0;
    for (const value of this.#values.get(name)?.values() ?? []) sum += value;
    return sum;
  }

  render(): string {
    const lines: string[] = [];
    for (const [name, series] of this.#values) {
      const help = this.#help.get(name);
      if (help) lines.push(`# HELP ${name} ${help}`);
      lines.push(`# TYPE ${name} ${name.endsWith('_total') ? 'counter' : 'gauge'}`);
      for (const [labels, value] of series) lines.push(`${name}${labels} ${value}`);
    }
    return `${lines.join('\n')}\n`;
  }

  handler(): RequestHandler {
    return (_req, res) => {
      const body = this.render();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4', 'cache-control': 'no-store' });
      res.end(body);
    };
  }

  #series(name: string): Map<string, number> {
    let series = this.#values.get(name);
    if (!series) {
      series = new Map();
      this.#values.set(name, series);
    }
    return series;
  }

  static #key(labels: Labels): string {
    const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
    return entries.length ? `{${entries.map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`).join(',')}}` : '';
  }
}
