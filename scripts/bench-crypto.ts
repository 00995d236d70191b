/**
 * Benchmark of the crypto client next to GnuPG doing the same work on this machine. Prints
 * figures; it is not a test. Usage:
 *   npm run bench:crypto -- [--file-mib 100] [--readers 550] [--rounds 20]
 *
 * gpg runs as one process per operation (as a script or server would call it), so its small
 * operations include process start-up; the line "gpg start-up" shows how much that is.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import {
  FILE_CHUNK_BYTES,
  FileOpener,
  FileSealer,
  generateGroupKey,
  generateOfficerKey,
  openItem,
  readPrivateKey,
  readPublicKey,
  rewrapKeyPackets,
  sealItem,
  unlockPrivateKey,
  type PublicKey,
} from '../server/crypto/client.js';

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    'file-mib': { type: 'string', default: '100' },
    readers: { type: 'string', default: '550' },
    rounds: { type: 'string', default: '20' },
  },
});
const fileMiB = Number(values['file-mib']);
const readers = Number(values.readers);
const rounds = Number(values.rounds);

const home = await mkdtemp(path.join(os.tmpdir(), 'bharatpol-bench-'));
const gpg = (...args: string[]) =>
  run('gpg', ['--homedir', home, '--batch', '--no-tty', '--pinentry-mode', 'loopback', '--trust-model', 'always', '--passphrase', '', ...args], {
    encoding: 'buffer',
    maxBuffer: 1024 * 1024 * 1024,
  });

/** Median milliseconds of `rounds` runs of `work`. */
async function median(work: () => Promise<unknown>, times = rounds): Promise<number> {
  const samples: number[] = [];
  for (let index = 0; index < times; index += 1) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? Number.NaN;
}

const rows: [string, string, string][] = [];
const row = (what: string, client: string, gnupg: string): void => {
  rows.push([what, client, gnupg]);
  console.log(`${what.padEnd(46)} ${client.padStart(16)} ${gnupg.padStart(16)}`);
};
const ms = (value: number): string => `${value.toFixed(1)} ms`;

try {
  console.log(`crypto benchmark on ${os.cpus().length} cores, Node ${process.version}, ${(await run('gpg', ['--version'])).stdout.split('\n')[0]}`);
  console.log(`${'operation'.padEnd(46)} ${'crypto client'.padStart(16)} ${'gpg'.padStart(16)}`);

  row('gpg start-up (gpg --version)', '', ms(await median(() => run('gpg', ['--version']), 5)));

  // Key generation.
  row(
    'generate an officer key (Ed25519 + Cv25519)',
    ms(await median(() => generateOfficerKey({ name: 'Bench', username: 'bench', passphrase: 'p' }))),
    ms(await median(() => gpg('--quick-gen-key', `bench-${Math.random()}@bench.invalid`, 'future-default', 'default', 'never'), 5)),
  );

  // 1 KiB item to a group key, signed by an officer.
  const author = await generateOfficerKey({ name: 'Author', username: 'author', passphrase: 'p' });
  const authorKey = await unlockPrivateKey(author.encryptedPrivateKey, 'p');
  row(
    'unlock a protected private key (S2K)',
    ms(await median(() => unlockPrivateKey(author.encryptedPrivateKey, 'p'), 5)),
    'in every call',
  );
  console.log('  (the client unlocks once per session; each gpg call below that signs unlocks the key again)');
  const group = await generateGroupKey({ group: 'bench', epoch: 1 });
  const groupPublic = await readPublicKey(group.publicKey);
  const groupPrivate = await readPrivateKey(group.privateKey);
  await writeFile(path.join(home, 'author.asc'), author.encryptedPrivateKey);
  await gpg('--passphrase', 'p', '--import', path.join(home, 'author.asc'));
  await writeFile(path.join(home, 'group.asc'), group.privateKey);
  await gpg('--import', path.join(home, 'group.asc'));
  const kib = new Uint8Array(1024).map((_, index) => index % 251);
  await writeFile(path.join(home, '1k.bin'), kib);
  const item = await sealItem({ content: kib, recipients: [groupPublic], signer: authorKey });
  row(
    'encrypt+sign 1 KiB to a group key',
    ms(await median(() => sealItem({ content: kib, recipients: [groupPublic], signer: authorKey }))),
    ms(
      await median(() =>
        gpg('--yes', '--passphrase', 'p', '--local-user', author.fingerprint, '--recipient', group.fingerprint, '--output', path.join(home, '1k.pgp'), '--sign', '--encrypt', path.join(home, '1k.bin')),
      ),
    ),
  );
  const authorPublic = await readPublicKey(author.publicKey);
  row(
    'decrypt+verify 1 KiB',
    ms(await median(() => openItem({ item, decryptionKeys: [groupPrivate], authorKeys: [authorPublic] }))),
    ms(await median(() => gpg('--decrypt', path.join(home, '1k.pgp')))),
  );

  // Re-wrap a session key for many readers (forwarding to a 550-officer audience).
  console.log(`(generating ${readers} reader keys…)`);
  const readerKeys: PublicKey[] = [];
  const armoredReaders: string[] = [];
  for (let index = 0; index < readers; index += 1) {
    const pair = await generateGroupKey({ group: `reader-${index}`, epoch: 1 });
    readerKeys.push(await readPublicKey(pair.publicKey));
    armoredReaders.push(pair.publicKey);
  }
  await writeFile(path.join(home, 'readers.asc'), armoredReaders.join('\n'));
  await gpg('--import', path.join(home, 'readers.asc'));
  const recipientArgs = readerKeys.flatMap((key) => ['--recipient', key.getFingerprint()]);
  row(
    `re-wrap a session key for ${readers} readers`,
    ms(await median(() => rewrapKeyPackets({ keyPackets: item.keyPackets, decryptionKeys: [groupPrivate], recipients: readerKeys }), 3)),
    ms(await median(() => gpg('--yes', ...recipientArgs, '--output', path.join(home, 'many.pgp'), '--encrypt', path.join(home, '1k.bin')), 3)) +
      ' (encrypt)',
  );

  // Streaming a large file.
  const fileBytes = fileMiB * 1024 * 1024;
  const source = path.join(home, 'big.bin');
  const handle = await open(source, 'w');
  const block = new Uint8Array(FILE_CHUNK_BYTES).map((_, index) => (index * 13) % 256);
  for (let written = 0; written < fileBytes; written += block.length) await handle.write(block, 0, Math.min(block.length, fileBytes - written));
  await handle.close();
  const input = await open(source, 'r');
  const byteSource = {
    size: fileBytes,
    async read(start: number, end: number): Promise<Uint8Array> {
      const buffer = new Uint8Array(end - start);
      await input.read(buffer, 0, buffer.length, start);
      return buffer;
    },
  };
  // Sealed chunks go to a file as an upload would send them away: memory should stay flat.
  const sealedPath = path.join(home, 'big.chunks');
  const sealedOut = await open(sealedPath, 'w');
  const offsets: [number, number][] = [];
  let position = 0;
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sealStarted = performance.now();
  const sealer = await FileSealer.create({ name: 'big.bin', type: 'application/octet-stream', source: byteSource, recipients: [groupPublic], signer: authorKey });
  sealer.bind('bench-file');
  for (let index = 0; index < sealer.chunkCount; index += 1) {
    const chunk = await sealer.sealChunk(index);
    await sealedOut.write(chunk, 0, chunk.length, position);
    offsets.push([position, chunk.length]);
    position += chunk.length;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const sealSeconds = (performance.now() - sealStarted) / 1000;
  await sealedOut.close();
  await input.close();
  const sealedIn = await open(sealedPath, 'r');
  const readChunk = async (index: number): Promise<Uint8Array> => {
    const [start, length] = offsets[index] ?? [0, 0];
    const buffer = new Uint8Array(length);
    await sealedIn.read(buffer, 0, length, start);
    return buffer;
  };
  const openStarted = performance.now();
  const opener = await FileOpener.create({ fileId: 'bench-file', keyPackets: sealer.keyPackets, decryptionKeys: [groupPrivate], authorKeys: [authorPublic] });
  const manifest = await opener.openManifest(await readChunk(0));
  let opened = 0;
  for (let index = 1; index <= manifest.chunks; index += 1) {
    opened += (await opener.openChunk(await readChunk(index), index)).length;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const openSeconds = (performance.now() - openStarted) / 1000;
  await sealedIn.close();
  if (opened !== fileBytes) throw new Error(`opened ${opened} bytes of ${fileBytes}`);

  const gpgSealStarted = performance.now();
  await gpg('--yes', '--passphrase', 'p', '--local-user', author.fingerprint, '--recipient', group.fingerprint, '--compress-algo', 'none', '--output', path.join(home, 'big.pgp'), '--sign', '--encrypt', source);
  const gpgSealSeconds = (performance.now() - gpgSealStarted) / 1000;
  const gpgOpenStarted = performance.now();
  await gpg('--yes', '--output', path.join(home, 'big.out'), '--decrypt', path.join(home, 'big.pgp'));
  const gpgOpenSeconds = (performance.now() - gpgOpenStarted) / 1000;
  const rate = (seconds: number): string => `${(fileMiB / seconds).toFixed(1)} MB/s`;
  row(`encrypt+sign a ${fileMiB} MiB file (chunked)`, rate(sealSeconds), rate(gpgSealSeconds));
  row(`decrypt+verify a ${fileMiB} MiB file (chunked)`, rate(openSeconds), rate(gpgOpenSeconds));
  console.log(`peak resident memory growth while sealing and opening ${fileMiB} MiB: ${((peakRss - rssBefore) / 1024 / 1024).toFixed(0)} MB`);
  console.log(`ciphertext: ${(position / 1024 / 1024).toFixed(1)} MiB for ${fileMiB} MiB of plaintext in ${manifest.chunks + 1} chunks`);
} finally {
  await run('gpgconf', ['--homedir', home, '--kill', 'all']).catch(() => undefined);
  await rm(home, { recursive: true, force: true });
}
