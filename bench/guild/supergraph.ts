import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPHS } from './subgraphs.ts';

/** Composes the Guild benchmark's subgraphs into a supergraph whose routing URLs point at `baseUrl`/<name>. */
export function composeGuildSupergraph(baseUrl: string): string {
  const result = composeServices(Object.entries(SUBGRAPHS).map(([name, s]) => ({ name, url: `${baseUrl}/${name}`, typeDefs: parse(s.typeDefs) })));
  if (result.errors) throw new Error(`composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  return result.supergraphSdl;
}
