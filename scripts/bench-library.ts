/**
 * Library benchmark: publishing a large file through the portal (HTTP multipart, type check,
 * streamed into the embedded database in chunks), downloading it whole, and random range
 * requests into it (video seeking), each next to a bare baseline in the same run: a plain Node
 * HTTP server that writes the same bytes (raw body, no multipart, no checks) to a file and serves
 * ranges of that file. Prints figures; it is
 * not a test.
 *
 *   npm run bench:library -- [--mib 100] [--ranges 200]
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { parseConfig } from '../server/config.js';
import { createEnrolledAccount } from '../server/demo/provision.js';
import { createLogger } from '../server/logger.js';
import { Agency } from '../server/modules/organisation/organisation.model.js';
import { startPortal } from '../server/portal.js';
import { SessionStore } from '../server/sessions/session.service.js';

const { values } = parseArgs({ options: { mib: { type: 'string', default: '100' }, ranges: { type: 'string', default: '200' } } });
const MIB = Number(values.mib);
const RANGES = Number(values.ranges);
const RANGE_BYTES = 256 * 1024;

const percentile = (samples: number[], p: number): number => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))] ?? NaN;
const mbps = (bytes: number, ms: number): string => `${(bytes / 1024 / 1024 / (ms / 1000)).toFixed(0)} MB/s`;

/** An MP4 by its first bytes (an `ftyp` box), then `size` bytes of pseudo-random media data. */
function sampleVideo(size: number): Buffer {
  const head = Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex');
  const body = Buffer.alloc(size);
  for (let offset = 0; offset < size; offset += 4) body.writeUInt32LE((offset * 2654435761) >>> 0, offset);
  return Buffer.concat([head, body]);
}

function multipart(metadata: unknown, file: Buffer): { body: Buffer; type: string } {
  const boundary = '----bench-library';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n${JSON.stringify(metadata)}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="lecture.mp4"\r\nContent-Type: video/mp4\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

/** A bare server: stores one upload as a file (the raw request body) and serves ranges of it. */
async function bareServer(directory: string): Promise<{ url: string; close: () => void }> {
  const file = path.join(directory, 'bare.bin');
  const server = http.createServer((req, res) => {
    void (async () => {
      if (req.method === 'POST') {
        await pipeline(req, createWriteStream(file));
        res.writeHead(201).end('{}');
        return;
      }
      const { size } = await stat(file);
      const match = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
      const [start, end] = match ? [Number(match[1]), Number(match[2])] : [0, size - 1];
      res.writeHead(match ? 206 : 200, { 'content-length': String(end - start + 1), 'content-type': 'video/mp4' });
      await pipeline(createReadStream(file, { start, end }), res);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, close: () => server.close() };
}

async function measure(label: string, upload: () => Promise<string>, baseUrl: string, headers: Record<string, string>, size: number): Promise<Record<string, string>> {
  let started = performance.now();
  const fileUrl = await upload();
  const uploadMs = performance.now() - started;

  started = performance.now();
  const whole = await fetch(baseUrl + fileUrl, { headers });
  const bytes = (await whole.arrayBuffer()).byteLength;
  const downloadMs = performance.now() - started;
  if (bytes !== size) throw new Error(`${label}: downloaded ${bytes} of ${size} bytes`);

  const latencies: number[] = [];
  for (let index = 0; index < RANGES; index += 1) {
    const start = Math.floor(Math.random() * (size - RANGE_BYTES));
    const began = performance.now();
    const answer = await fetch(baseUrl + fileUrl, { headers: { ...headers, range: `bytes=${start}-${start + RANGE_BYTES - 1}` } });
    const got = (await answer.arrayBuffer()).byteLength;
    latencies.push(performance.now() - began);
    if (answer.status !== 206 || got !== RANGE_BYTES) throw new Error(`${label}: range answered ${answer.status} with ${got} bytes`);
  }
  return {
    upload: mbps(size, uploadMs),
    download: mbps(size, downloadMs),
    'range p50': `${percentile(latencies, 50).toFixed(1)} ms`,
    'range p99': `${percentile(latencies, 99).toFixed(1)} ms`,
  };
}

const directory = await mkdtemp(path.join(os.tmpdir(), 'bench-library-'));
const config = parseConfig({
  NODE_ENV: 'test',
  PORT: '0',
  DATA_DIR: path.join(directory, 'db'),
  LOG_LEVEL: 'silent',
  APP_SECRET: 'bench-library-app-secret-0123456789-abcdefghijk',
  LIBRARY_MAX_FILE_MB: String(MIB + 1),
});
const portal = await startPortal(config, createLogger('silent'));
const bare = await bareServer(directory);
try {
  const cbi = await Agency.create({ code: 'CBI', name: 'Central Bureau of Investigation', type: 'ncb' });
  const trainer = await createEnrolledAccount(
    { username: 'bench.trainer', displayName: 'Bench Trainer', role: 'trainer', agencyId: String(cbi._id), password: 'bench password 1234', totpSecret: 'JBSWY3DPEHPK3PXP', kdfIterations: 1000, withKey: false },
    portal.services.sealer,
  );
  const { sessionId, record } = await new SessionStore(config.session).create(String(trainer._id), { ip: '127.0.0.1', userAgent: 'bench' });
  const headers = { cookie: `__Host-bp_session=${sessionId}` };
  const video = sampleVideo(MIB * 1024 * 1024);
  const parts = multipart({ title: 'Bench lecture', category: 'videos' }, video);
  const body = new Blob([new Uint8Array(parts.body)]);
  const { type } = parts;
  console.log(`library benchmark: ${MIB} MiB file, ${RANGES} random ${RANGE_BYTES / 1024} KiB ranges, embedded FerretDB, one process`);

  const rows: Record<string, Record<string, string>> = {};
  rows['bare (file on disk)'] = await measure(
    'bare',
    async () => {
      await fetch(`${bare.url}/upload`, { method: 'POST', body: new Blob([new Uint8Array(video)]) });
      return '/file';
    },
    bare.url,
    {},
    video.length,
  );
  const memoryBefore = process.memoryUsage().rss;
  rows['portal'] = await measure(
    'portal',
    async () => {
      const answer = await fetch(`${portal.url}/api/library/items`, {
        method: 'POST',
        headers: { ...headers, 'content-type': type, 'x-csrf-token': record.csrfToken },
        body,
      });
      const item = (await answer.json()) as { latest?: { viewUrl: string }; error?: unknown };
      if (!item.latest) throw new Error(`publish failed: ${JSON.stringify(item)}`);
      return item.latest.viewUrl;
    },
    portal.url,
    headers,
    video.length,
  );
  console.table(rows);
  console.log(`process RSS grew by ${((process.memoryUsage().rss - memoryBefore) / 1024 / 1024).toFixed(0)} MiB while the portal handled the file (client and server share this process).`);
} finally {
  bare.close();
  await portal.stop();
  await rm(directory, { recursive: true, force: true });
}
