import { counter, gauge } from '@shop/platform';

type Labels = Record<string, string>;

/**
 * The gateway's own counters (`*_total`) and gauges, by name, on the
 * process's prom-client registry, served on the metrics port with every
 * other metric. A metric's label names are those of its first use.
 */
export class Metrics {
  readonly #help = new Map<string, string>();

  describe(name: string, help: string): this {
    this.#help.set(name, help);
    return this;
  }

  inc(name: string, labels: Labels = {}, by = 1): void {
    if (name.endsWith('_total')) counter(name, this.#helpOf(name), Object.keys(labels)).inc(labels, by);
    else gauge(name, this.#helpOf(name), Object.keys(labels)).inc(labels, by);
  }

  set(name: string, value: number, labels: Labels = {}): void {
    gauge(name, this.#helpOf(name), Object.keys(labels)).set(labels, value);
  }

  #helpOf(name: string): string {
    return this.#help.get(name) ?? name.replaceAll('_', ' ');
  }
}
