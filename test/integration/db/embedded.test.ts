import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { startEmbeddedDatabase } from '../../../server/db/embedded.js';
import { ensureFerretdbBinary } from '../../../server/db/ferretdb-binary.js';
import { createLogger } from '../../../server/logger.js';
import { projectRoot } from '../../../server/paths.js';
import { isAlive } from '../../support/server-process.js';

describe('embedded database (FerretDB)', () => {
  let dataDir: string;
  let binary: string;
  const logger = createLogger('silent');

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'bharatpol-embedded-'));
    binary = await ensureFerretdbBinary();
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts on a free loopback port, stops on request, and keeps its data for the next start', async () => {
    const first = await startEmbeddedDatabase({ binary, dataDir, logger });
    expect(first.uri).to.match(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
    const client = await MongoClient.connect(first.uri);
    await client
      .db('persist')
      .collection('items')
      .insertMany(Array.from({ length: 500 }, (_, i) => ({ i })));
    await client.close();
    await first.stop();
    expect(isAlive(first.pid)).to.equal(false);

    const second = await startEmbeddedDatabase({ binary, dataDir, logger });
    try {
      const again = await MongoClient.connect(second.uri);
      expect(await again.db('persist').collection('items').countDocuments()).to.equal(500);
      await again.close();
    } finally {
      await second.stop();
    }
  });

  it('stores and streams back files with GridFS, including ranges', async () => {
    const database = await startEmbeddedDatabase({ binary, dataDir, logger });
    const { GridFSBucket } = await import('mongodb');
    const client = await MongoClient.connect(database.uri);
    try {
      const bucket = new GridFSBucket(client.db('files'));
      const content = Buffer.from(Array.from({ length: 600_000 }, (_, i) => i % 251));
      const upload = bucket.openUploadStream('sample.bin');
      await new Promise<void>((resolve, reject) => upload.end(content, (error?: Error | null) => (error ? reject(error) : resolve())));
      const range: Buffer[] = [];
      for await (const chunk of bucket.openDownloadStream(upload.id, { start: 300_000, end: 300_100 })) range.push(chunk as Buffer);
      expect(Buffer.concat(range).equals(content.subarray(300_000, 300_100))).to.equal(true);
    } finally {
      await client.close();
      await database.stop();
    }
  });

  it('reports a missing binary clearly instead of hanging', async () => {
    let message = '';
    try {
      await startEmbeddedDatabase({ binary: path.join(dataDir, 'no-such-ferretdb'), dataDir, logger, startTimeoutMs: 5000 });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).to.match(/could not start the embedded database|exited during start/);
  });

  it('keeps its write-ahead log a few MiB long while writes never pause', async function () {
    this.timeout(60_000);
    const database = await startEmbeddedDatabase({ binary, dataDir, logger });
    const client = await MongoClient.connect(database.uri);
    const sizeOf = async (file: string): Promise<number> => (await stat(path.join(dataDir, file)).catch(() => ({ size: 0 }))).size;
    try {
      const items = client.db('wal').collection('items');
      // 64 MiB of documents at up to 16 MiB/s, one insert after another (a pause of a few ms at
      // most): a log that is never started again from its beginning grows past all of that; one
      // started again every half second, past 8 MiB, stays well under half of it.
      const body = Buffer.alloc(8 * 1024, 1);
      const batchBytes = 10 * body.length;
      const bytesPerMs = (16 * 1024 * 1024) / 1000;
      const started = performance.now();
      let longest = 0;
      for (let batch = 0; batch < 800; batch += 1) {
        await items.insertMany(Array.from({ length: 10 }, (_, index) => ({ batch, index, body })));
        if (batch % 20 === 0) longest = Math.max(longest, await sizeOf('wal.sqlite-wal'));
        const ahead = started + ((batch + 1) * batchBytes) / bytesPerMs - performance.now();
        if (ahead > 0) await new Promise((resolve) => setTimeout(resolve, ahead));
      }
      longest = Math.max(longest, await sizeOf('wal.sqlite-wal'));
      expect(await items.countDocuments()).to.equal(8000);
      expect(await sizeOf('wal.sqlite')).to.be.greaterThan(48 * 1024 * 1024, 'the documents were copied into the database');
      expect(longest).to.be.lessThan(32 * 1024 * 1024, 'the write-ahead log stayed short');
    } finally {
      await client.close();
      await database.stop();
    }
  });

  it("passes the launcher's own Go tests", async function () {
    this.timeout(180_000);
    const output = await new Promise<string>((resolve, reject) => {
      execFile('go', ['test', '.'], { cwd: path.join(projectRoot, 'scripts', 'ferretdb') }, (error, stdout, stderr) =>
        error ? reject(new Error(`go test failed:\n${stdout}${stderr}`)) : resolve(stdout),
      );
    });
    expect(output).to.match(/^ok\s/m);
  });
});
