import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPasswordHasher, parseHash } from './password.ts';

// The lowest cost keeps the suite fast; the format and the checks do not depend on it.
const hasher = createPasswordHasher(10);

describe('password hashing', () => {
  it('stores scrypt parameters, salt and hash in a self-describing string', async () => {
    const stored = await hasher.hash('correct horse');
    assert.match(stored, /^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
  });

  it('salts every hash, so the same password hashes differently', async () => {
    assert.notEqual(await hasher.hash('same password'), await hasher.hash('same password'));
  });

  it('verifies the right password and rejects a wrong one', async () => {
    const stored = await hasher.hash('correct horse');
    assert.equal(await hasher.verify('correct horse', stored), true);
    assert.equal(await hasher.verify('correct horsE', stored), false);
  });

  it('rejects malformed or foreign hashes instead of throwing', async () => {
    assert.equal(await hasher.verify('x', 'bcrypt$2b$10$abc'), false);
    assert.equal(await hasher.verify('x', 'scrypt$1000$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA'), false);
    assert.equal(parseHash('scrypt$1024$8$1$AA$AA'), null);
  });

  it('asks for a rehash when the stored cost differs from the current one', async () => {
    const stored = await hasher.hash('pw');
    assert.equal(hasher.needsRehash(stored), false);
    assert.equal(createPasswordHasher(11).needsRehash(stored), true);
    assert.equal(await createPasswordHasher(11).verify('pw', stored), true);
  });
});
