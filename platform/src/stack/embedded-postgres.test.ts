import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from '../testing/processes.ts';
import { DataDirectoryInUse, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.ts';

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

  it('after its process is killed with -9, starts again on the same data with every committed row (and refuses a data directory a live process holds)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pglite-crash-'));
    const port = await freePort();
    // A process of its own serves the data, commits rows, says so, and is killed without a chance to stop.
    const script = `
      const { startEmbeddedPostgres } = await import(${JSON.stringify(fileURLToPath(new URL('./embedded-postgres.ts', import.meta.url)))});
      const pg = (await import('pg')).default;
      const db = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(join(dir, 'pglite'))}, port: ${port}, maxConnections: 4 });
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await client.query('create table acked (n int primary key)');
      for (let n = 1; n <= 20; n++) await client.query('insert into acked values ($1)', [n]);
      process.stdout.write('committed');
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('.', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('committed') && resolve());
        child.once('exit', (code) => reject(new Error(`the first owner exited early (${code})`)));
      });
      // While it runs, nobody else may open the same data.
      await assert.rejects(startEmbeddedPostgres({ dataDir: join(dir, 'pglite'), port: await freePort(), maxConnections: 4 }), DataDirectoryInUse);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      const again = await startEmbeddedPostgres({ dataDir: join(dir, 'pglite'), port: await freePort(), maxConnections: 4 });
      try {
        assert.equal(again.recovered, true);
        const client = new pg.Client({ connectionString: again.url });
        await client.connect();
        try {
          assert.deepEqual((await client.query('select count(*)::int as n, sum(n)::int as total from acked')).rows[0], { n: 20, total: 210 });
        } finally {
          await client.end();
        }
      } finally {
        await again.stop();
      }
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
