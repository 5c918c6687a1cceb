/**
 * Reads V8 CPU profiles (`node --cpu-prof`, `.cpuprofile` files) and prints
 * where the time went: self time by function and by package (or repository
 * folder), and the inclusive time of the functions named with `--focus`.
 *
 *   node bench/lib/profile-summary.ts .bench/profile-gateway/guild-off [--top 40] [--focus executeLean,apolloHandler] [--callers fn] [--skip 5]
 *
 * `--skip N` leaves out the first N seconds of each profile (start-up: module loading, planning).
 *
 * A directory means every profile in it, added up. Figures, not a test.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '40' }, focus: { type: 'string', default: '' }, callers: { type: 'string', default: '' }, skip: { type: 'string', default: '0' } },
});

const files = positionals.flatMap((path) =>
  statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => join(path, f))
    : [path],
);
if (files.length === 0) throw new Error('no .cpuprofile files given');

/** Where a script comes from: its npm package, a folder of this repository, or what V8 calls it. */
function origin(url: string): string {
  if (!url) return '(native / V8)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return url;
  const repo = /\/((?:gateway|platform|bench|subgraphs\/[^/]+)\/src\/[^/]+)/.exec(url);
  return repo ? repo[1]! : url;
}

const selfByFunction = new Map<string, number>();
const selfByOrigin = new Map<string, number>();
const inclusive = new Map<string, number>();
const focus = args.focus.split(',').filter(Boolean);
/** `--callers fn`: the self time of `fn` by the chain of its callers (5 deep). */
const callersOf = args.callers;
const byCallers = new Map<string, number>();
let total = 0;

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  const skipUs = Number(args.skip) * 1e6;
  let elapsedUs = 0;
  profile.samples.forEach((id, i) => {
    elapsedUs += profile.timeDeltas[i] ?? 0;
    if (elapsedUs >= skipUs) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    total += us;
    const name = `${functionName || '(anonymous)'} ${origin(url)}:${lineNumber + 1}`;
    selfByFunction.set(name, (selfByFunction.get(name) ?? 0) + us);
    const from = functionName === '(garbage collector)' || functionName === '(idle)' || functionName === '(program)' ? functionName : origin(url);
    selfByOrigin.set(from, (selfByOrigin.get(from) ?? 0) + us);
    if (callersOf && functionName === callersOf) {
      const chain: string[] = [];
      for (let at = parent.get(id), depth = 0; at !== undefined && depth < 12; at = parent.get(at), depth++) {
        const frame = byId.get(at)!.callFrame;
        chain.push(`${frame.functionName || '(anonymous)'} ${origin(frame.url)}:${frame.lineNumber + 1}`);
      }
      const key = chain.join(' < ');
      byCallers.set(key, (byCallers.get(key) ?? 0) + us);
    }
    if (focus.length) {
      // Each focused function counts a sample once, however deep the recursion.
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const fn = byId.get(at)!.callFrame.functionName;
        if (focus.includes(fn) && !seen.has(fn)) {
          seen.add(fn);
          inclusive.set(fn, (inclusive.get(fn) ?? 0) + us);
        }
      }
    }
  }
}

const busy = total - (selfByOrigin.get('(idle)') ?? 0);
const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
const print = (title: string, entries: Map<string, number>, top: number) => {
  console.log(`\n${title}`);
  for (const [name, us] of [...entries].filter(([n]) => n !== '(idle)' && !n.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`);
  }
};
console.log(`${files.length} profile(s), ${(busy / 1000).toFixed(0)} ms busy (idle excluded)`);
print('Self time by package or folder', selfByOrigin, 25);
print('Self time by function', selfByFunction, Number(args.top));
if (callersOf) print(`Self time of ${callersOf} by its callers`, byCallers, 15);
if (focus.length) print('Inclusive time of focused functions', inclusive, focus.length);
