import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse, print, type DefinitionNode } from 'graphql';

const sdl = (subgraph: string) => parse(readFileSync(new URL(`../../${subgraph}/src/schema.graphql`, import.meta.url), 'utf8'));

function typeNamed(document: ReturnType<typeof parse>, name: string): string {
  const definition = document.definitions.find((d: DefinitionNode) => 'name' in d && d.name?.value === name);
  assert.ok(definition, `no type ${name}`);
  return print(definition);
}

describe('orders schema', () => {
  // @shareable types are one type in the supergraph: the orders copies must
  // not drift from the definitions of the subgraphs that own the outcome.
  it('declares InsufficientStock exactly as inventory does and PaymentDeclined exactly as payments does, descriptions included', () => {
    const orders = sdl('orders');
    assert.equal(typeNamed(orders, 'InsufficientStock'), typeNamed(sdl('inventory'), 'InsufficientStock'));
    assert.equal(typeNamed(orders, 'PaymentDeclined'), typeNamed(sdl('payments'), 'PaymentDeclined'));
  });
});
