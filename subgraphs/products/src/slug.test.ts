import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SLUG_PATTERN, slugify } from './slug.ts';

describe('slugify', () => {
  it('makes URL-friendly names that match the slug pattern', () => {
    assert.equal(slugify('Aurora Running Shoe!'), 'aurora-running-shoe');
    assert.equal(slugify('  Crème brûlée -- Set  '), 'creme-brulee-set');
    assert.equal(slugify('Home & Kitchen'), 'home-kitchen');
    assert.equal(slugify('!!!'), '');
    const long = slugify(`${'a'.repeat(119)} b`);
    assert.ok(SLUG_PATTERN.test(long) && long.length <= 120, long);
  });
});
