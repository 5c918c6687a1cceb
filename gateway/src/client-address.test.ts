import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientAddress, DEFAULT_TRUSTED_PROXIES, parseTrustedProxies } from './client-address.ts';

const trusted = parseTrustedProxies(DEFAULT_TRUSTED_PROXIES);
const request = (peer: string, headers: Record<string, string | string[]> = {}) => ({ socket: { remoteAddress: peer }, headers }) as never;

describe('the client address behind trusted proxies', () => {
  it('is the peer itself when the peer is not a trusted proxy, whatever it claims', () => {
    assert.equal(clientAddress(request('203.0.113.9', { 'x-forwarded-for': '198.51.100.1' }), trusted), '203.0.113.9');
    assert.equal(clientAddress(request('203.0.113.9', { forwarded: 'for=198.51.100.1' }), trusted), '203.0.113.9');
  });

  it('is the right-most X-Forwarded-For entry that is not a trusted proxy', () => {
    const req = request('10.0.0.2', { 'x-forwarded-for': '198.51.100.66, 203.0.113.5, 10.0.0.7' });
    assert.equal(clientAddress(req, trusted), '203.0.113.5');
  });

  it('ignores what a client put on the left of the chain', () => {
    const req = request('127.0.0.1', { 'x-forwarded-for': ['1.2.3.4', '203.0.113.5'] });
    assert.equal(clientAddress(req, trusted), '203.0.113.5');
  });

  it('reads Forwarded: for= with quotes, IPv6 brackets and ports', () => {
    const req = request('::ffff:10.1.1.1', { forwarded: 'for=198.51.100.1;proto=https, for="[2001:db8::7]:4711", for=10.0.0.3:80' });
    assert.equal(clientAddress(req, trusted), '2001:db8::7');
  });

  it('stops at an entry that is not an address and names the proxy that wrote it', () => {
    const req = request('10.0.0.2', { 'x-forwarded-for': '203.0.113.5, unknown, 10.0.0.9' });
    assert.equal(clientAddress(req, trusted), '10.0.0.9');
  });

  it('is the left-most hop when every hop is a trusted proxy (an internal client)', () => {
    assert.equal(clientAddress(request('127.0.0.1', { 'x-forwarded-for': '192.168.1.20, 10.0.0.1' }), trusted), '192.168.1.20');
    assert.equal(clientAddress(request('127.0.0.1'), trusted), '127.0.0.1');
  });

  it('trusts exactly the configured ranges', () => {
    const only = parseTrustedProxies(['203.0.113.0/24', '2001:db8::/32']);
    assert.equal(clientAddress(request('203.0.113.200', { 'x-forwarded-for': '198.51.100.4' }), only), '198.51.100.4');
    assert.equal(clientAddress(request('127.0.0.1', { 'x-forwarded-for': '198.51.100.4' }), only), '127.0.0.1');
    assert.throws(() => parseTrustedProxies(['10.0.0.0/33']), /prefix/);
    assert.throws(() => parseTrustedProxies(['not-an-ip']), /not an IP/);
  });
});
