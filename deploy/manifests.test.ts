import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as k8s from 'kubernetes-models';
import { parseAllDocuments } from 'yaml';
import * as platform from '@shop/platform';
import { EXPECTED_CALLERS, identityKeyVariable, SIGNING_SERVICES } from '@shop/platform';
import { GATEWAY_SPEC, ROOT, SUBGRAPH_SPECS, type ServiceSpec } from '../platform/src/stack/services.ts';

// The Kubernetes manifests and the compose file cannot be applied here (no
// cluster, no Docker engine): this test validates every Kubernetes object
// against the Kubernetes OpenAPI schemas (kubernetes-models) and checks both
// files against the processes, ports and settings the replica topology runs
// (platform/src/stack): same services, same ports, every variable a process
// needs in production, probes on the port that serves them.

type Doc = Record<string, any>;
const SPECS: readonly ServiceSpec[] = [...SUBGRAPH_SPECS, GATEWAY_SPEC];
/** Which subgraphs each process calls (its `<NAME>_URL` settings). */
const CALLS: Record<string, readonly string[]> = {
  gateway: SUBGRAPH_SPECS.map((s) => s.name),
  orders: ['products', 'inventory', 'payments'],
  inventory: ['products'],
};
/** With the service kit's operator port, /ready and /health are served there (METRICS_PORT), not on PORT. */
const METRICS_PORTS = (platform as Record<string, unknown>).DEFAULT_METRICS_PORTS as Record<string, number> | undefined;
const portOf = (name: string) => SPECS.find((s) => s.name === name)!.port;

/** Every variable the topology gives a process that production needs too. */
function requiredEnv(service: string): string[] {
  const names = ['NODE_ENV', 'PORT', 'REDIS_URL'];
  if (service !== GATEWAY_SPEC.name) {
    names.push('DATABASE_URL', identityKeyVariable(GATEWAY_SPEC.name, 'PUBLIC'));
    for (const caller of EXPECTED_CALLERS[service]?.callers ?? []) names.push(identityKeyVariable(caller, 'PUBLIC'));
  }
  if (SIGNING_SERVICES.includes(service)) names.push(identityKeyVariable(service, 'PRIVATE'));
  for (const callee of CALLS[service] ?? []) names.push(`${callee.toUpperCase()}_URL`);
  if (METRICS_PORTS) names.push('METRICS_PORT');
  return [...new Set(names)];
}

/** The schema-checked model class of a Kubernetes object, from its apiVersion and kind. */
function modelOf(doc: Doc): (new (data: Doc) => { validate(): void }) | undefined {
  const [group, version] = String(doc.apiVersion).includes('/') ? String(doc.apiVersion).split('/') : ['', String(doc.apiVersion)];
  const groups: Record<string, any> = { '': { v1: k8s.v1 }, apps: k8s.apps, autoscaling: k8s.autoscaling, policy: k8s.policy, batch: k8s.batch };
  const namespace = group === '' ? groups[''][version!] : groups[group!]?.[version!];
  return namespace?.[doc.kind];
}

function loadK8s(): Doc[] {
  const dir = join(ROOT, 'deploy/k8s');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((doc) => {
        assert.deepEqual(doc.errors, [], `${file} parses`);
        return { ...(doc.toJS() as Doc), __file: file } as Doc;
      }),
    )
    .filter((doc) => doc.kind);
}

const envValue = (env: Doc[], name: string): Doc | undefined => env.find((e) => e.name === name);

describe('Kubernetes manifests (deploy/k8s)', () => {
  const docs = loadK8s();
  const find = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata?.name === name);

  it('every object is valid against the Kubernetes OpenAPI schema of its kind', () => {
    for (const { __file, ...doc } of docs) {
      const Model = modelOf(doc);
      assert.ok(Model, `${__file}: ${doc.apiVersion} ${doc.kind} is a known Kubernetes kind`);
      assert.doesNotThrow(() => new Model(doc).validate(), `${__file}: ${doc.kind} ${doc.metadata?.name} is valid`);
    }
  });

  for (const spec of SPECS) {
    it(`${spec.name}: a Deployment of at least two replicas with the port, probes and settings the topology runs it with`, () => {
      const deployment = find('Deployment', spec.name);
      assert.ok(deployment, `a Deployment named ${spec.name}`);
      assert.ok(deployment.spec.replicas >= 2, 'at least two replicas');
      const labels = deployment.spec.template.metadata.labels;
      assert.deepEqual(deployment.spec.selector.matchLabels, labels, 'the selector matches the pod labels');
      const [container] = deployment.spec.template.spec.containers;
      const ports = container.ports.map((p: Doc) => p.containerPort);
      assert.ok(ports.includes(spec.port), `container port ${spec.port}`);
      const env: Doc[] = container.env;
      assert.equal(envValue(env, 'PORT')?.value, String(spec.port));
      assert.equal(envValue(env, 'NODE_ENV')?.value, 'production');
      for (const name of requiredEnv(spec.name)) assert.ok(envValue(env, name), `${spec.name} sets ${name}`);
      for (const callee of CALLS[spec.name] ?? []) {
        assert.equal(envValue(env, `${callee.toUpperCase()}_URL`)?.value, `http://${callee}:${portOf(callee)}/graphql`, `${spec.name} reaches ${callee} through its Service`);
      }
      const probePort = METRICS_PORTS ? METRICS_PORTS[spec.name]! : spec.port;
      if (METRICS_PORTS) {
        assert.equal(envValue(env, 'METRICS_PORT')?.value, String(probePort));
        assert.ok(ports.includes(probePort), `container port ${probePort} (metrics)`);
      }
      assert.deepEqual(container.readinessProbe.httpGet, { path: '/ready', port: probePort });
      assert.deepEqual(container.livenessProbe.httpGet, { path: '/health', port: probePort });
    });

    it(`${spec.name}: a Service on port ${spec.port}, an autoscaler of at least two replicas and a disruption budget`, () => {
      const deployment = find('Deployment', spec.name)!;
      const labels = deployment.spec.template.metadata.labels;
      const service = find('Service', spec.name);
      assert.ok(service, `a Service named ${spec.name}`);
      assert.deepEqual(service.spec.selector, labels);
      assert.deepEqual(service.spec.ports.map((p: Doc) => [p.port, p.targetPort]), [[spec.port, spec.port]]);
      const hpa = find('HorizontalPodAutoscaler', spec.name);
      assert.deepEqual(hpa?.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: spec.name });
      assert.ok(hpa.spec.minReplicas >= 2 && hpa.spec.maxReplicas >= hpa.spec.minReplicas);
      const pdb = find('PodDisruptionBudget', spec.name);
      assert.deepEqual(pdb?.spec.selector.matchLabels, labels);
      assert.ok(pdb!.spec.minAvailable >= 1);
    });
  }

  it('the migration Job runs a command that exists in each subgraph, with its database', () => {
    const job = docs.find((d) => d.kind === 'Job');
    assert.ok(job, 'a migration Job');
    const containers: Doc[] = job.spec.template.spec.containers;
    assert.deepEqual(containers.map((c) => c.workingDir).sort(), SUBGRAPH_SPECS.map((s) => `/app/subgraphs/${s.name}`).sort());
    for (const container of containers) {
      const dir = join(ROOT, container.workingDir.replace(/^\/app\//, ''));
      const [binary, script, ...args] = container.command;
      assert.equal(binary, 'node');
      assert.ok(existsSync(join(dir, script)), `${container.name}: ${script} exists in ${container.workingDir}`);
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      assert.equal(`node ${[script, ...args].join(' ')}`, pkg.scripts.migrate, `${container.name} runs the package's migrate script`);
      assert.ok(envValue(container.env, 'DATABASE_URL'));
    }
  });
});

describe('compose file (deploy/docker/compose.yaml)', () => {
  const compose = parseAllDocuments(readFileSync(join(ROOT, 'deploy/docker/compose.yaml'), 'utf8'), { merge: true })[0]!;
  const file = compose.toJS({ maxAliasCount: 100 }) as Doc;

  it('parses, and every dependency names a service of the file', () => {
    assert.deepEqual(compose.errors, []);
    const names = Object.keys(file.services);
    for (const [name, service] of Object.entries<Doc>(file.services)) {
      const deps = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
      for (const dep of deps) assert.ok(names.includes(dep), `${name} depends on ${dep}, a service of the file`);
    }
  });

  for (const spec of SPECS) {
    it(`${spec.name}: built from its own directory, on port ${spec.port}, with the settings the topology runs it with`, () => {
      const service: Doc = file.services[spec.name];
      assert.ok(service, `a service named ${spec.name}`);
      assert.equal(service.build.args.SERVICE, spec.name === GATEWAY_SPEC.name ? 'gateway' : `subgraphs/${spec.name}`);
      const env: Record<string, string> = service.environment;
      assert.equal(env.PORT, String(spec.port));
      // The image sets NODE_ENV=production (deploy/docker/Dockerfile).
      for (const name of requiredEnv(spec.name).filter((n) => n !== 'NODE_ENV')) assert.ok(name in env, `${spec.name} sets ${name}`);
      for (const callee of CALLS[spec.name] ?? []) assert.equal(env[`${callee.toUpperCase()}_URL`], `http://${callee}:${portOf(callee)}/graphql`);
      if (METRICS_PORTS) assert.equal(env.METRICS_PORT, String(METRICS_PORTS[spec.name]));
    });
  }
});
