import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, print, type OperationDefinitionNode } from 'graphql';
import { ROOT } from './supergraph-config.ts';

export const OPERATIONS_DIR = join(ROOT, 'schema/operations');
export const MANIFEST_PATH = join(ROOT, 'schema/persisted-queries.json');

/** Apollo's persisted-query manifest format (trusted documents). */
export interface PersistedQueryManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: { id: string; name: string; type: 'query' | 'mutation' | 'subscription'; body: string }[];
}

/**
 * Builds the manifest from the documents in schema/operations, one operation
 * per file. The body is the printed (normalized) document and the id its
 * SHA-256, the same hash an APQ client sends, so a manifest id works as an
 * APQ hash too.
 */
export function buildManifest(dir = OPERATIONS_DIR): PersistedQueryManifest {
  const operations = readdirSync(dir)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => {
      const document = parse(readFileSync(join(dir, file), 'utf8'));
      const definitions = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
      if (definitions.length !== 1 || !definitions[0]!.name) throw new Error(`${file}: expected exactly one named operation`);
      const body = print(document);
      return {
        id: createHash('sha256').update(body).digest('hex'),
        name: definitions[0]!.name.value,
        type: definitions[0]!.operation,
        body,
      };
    });
  return { format: 'apollo-persisted-query-manifest', version: 1, operations };
}

export function serializeManifest(manifest: PersistedQueryManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
