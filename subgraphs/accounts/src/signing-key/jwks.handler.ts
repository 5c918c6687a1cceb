import { sendJson, type MikroORM, type RequestHandler } from '@shop/platform';
import { SigningKeyRepository } from './signing-key.repository.ts';
import { SigningKeyService, type AccessTokenOptions, type SigningKeyCache } from './signing-key.service.ts';

export const JWKS_PATH = '/.well-known/jwks.json';

/**
 * Serves the JWKS the gateway verifies access tokens with. Five minutes of
 * caching is safe because a verifier that meets an unknown kid (right after
 * a rotation) fetches the set again, and retired keys are only retired once
 * their tokens have expired.
 */
export function createJwksHandler(orm: MikroORM, keyCache: SigningKeyCache, options: AccessTokenOptions): RequestHandler {
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(res, 405, { error: 'method not allowed' }, { allow: 'GET, HEAD' });
    }
    const service = new SigningKeyService(new SigningKeyRepository(orm.em.fork()), keyCache, options);
    sendJson(res, 200, await service.publicKeySet(), {
      'content-type': 'application/jwk-set+json; charset=utf-8',
      'cache-control': 'public, max-age=300',
    });
  };
}
