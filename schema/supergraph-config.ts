import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse as parseGraphQL } from 'graphql';
import { parse as parseYaml } from 'yaml';

export const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
export const SUPERGRAPH_PATH = resolve(ROOT, 'schema/supergraph.graphql');

export interface SubgraphEntry {
  name: string;
  routingUrl: string;
  schemaFile: string;
}

/** Reads rover.yaml (Rover's supergraph config format: routing_url + schema.file per subgraph). */
export function readRoverConfig(path = resolve(ROOT, 'rover.yaml')): SubgraphEntry[] {
  const config = parseYaml(readFileSync(path, 'utf8')) as { subgraphs?: Record<string, { routing_url?: string; schema?: { file?: string } }> };
  return Object.entries(config.subgraphs ?? {}).map(([name, entry]) => {
    if (!entry.routing_url || !entry.schema?.file) throw new Error(`rover.yaml: subgraph ${name} needs routing_url and schema.file`);
    return { name, routingUrl: entry.routing_url, schemaFile: resolve(dirname(path), entry.schema.file) };
  });
}

/** Composes the subgraphs into supergraph SDL; throws with every composition error listed. */
export function composeSupergraph(subgraphs = readRoverConfig()): string {
  const result = composeServices(
    subgraphs.map((s) => ({ name: s.name, url: s.routingUrl, typeDefs: parseGraphQL(readFileSync(s.schemaFile, 'utf8')) })),
  );
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}
