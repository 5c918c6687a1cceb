import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { freePort } from '../testing/processes.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.ts';

// The embedded default database, as `npm start` runs it: PGlite over the wire
// protocol with several clients at once, each sending parameterized queries
// (the extended query protocol) the way node-postgres and MikroORM do.
let embedded: EmbeddedPostgres;
let dataDir: string;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pglite-test-'));
  embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), maxConnections: 16 });
});
after(async () => {
  await embedded?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('embedded PostgreSQL', () => {
  it('answers concurrent parameterized queries from many connections, each with its own statement, correctly', async () => {
    const clients = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const client = new pg.Client({ connectionString: embedded.url });
        await client.connect();
        return client;
      }),
    );
    try {
      const results = await Promise.all(
        clients.flatMap((client, c) =>
          Array.from({ length: 25 }, async (_, i) => {
            // Each client's statement differs, so running another client's would show.
            const { rows } = await client.query(`select $1::int * 2 as doubled, $2::text as who, ${c} as client`, [c * 100 + i, `client-${c}`]);
            return rows[0].doubled === (c * 100 + i) * 2 && rows[0].who === `client-${c}` && rows[0].client === c;
          }),
        ),
      );
      assert.equal(results.filter(Boolean).length, 200);
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
  });

  it('keeps a transaction on one connection isolated from another connection running queries meanwhile', async () => {
    const a = new pg.Client({ connectionString: embedded.url });
    const b = new pg.Client({ connectionString: embedded.url });
    await a.connect();
    await b.connect();
    try {
      await a.query('create table if not exists counters (id int primary key, n int not null)');
      await a.query('insert into counters values (1, 0) on conflict (id) do update set n = 0');
      await a.query('begin');
      await a.query('update counters set n = n + $1 where id = $2', [5, 1]);
      const during = b.query('select n from counters where id = $1', [1]);
      await a.query('commit');
      assert.equal((await during).rows[0].n, 5);
    } finally {
      await a.end();
      await b.end();
    }
  });
});
