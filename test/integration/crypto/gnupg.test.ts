import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import {
  concat,
  contentText,
  FileSealer,
  generateOfficerKey,
  openItem,
  readPublicKey,
  sealItem,
  signStatement,
  unlockPrivateKey,
  verifyStatement,
  type OfficerKeyPair,
} from '../../../server/crypto/client.js';
import { acknowledgementStatement } from '../../../server/modules/broadcast/statement.js';

const run = promisify(execFile);

/**
 * Interoperability with Debian's GnuPG (2.2): what the crypto client writes, gpg reads and
 * verifies, and what gpg writes, the client reads and verifies.
 */
describe('GnuPG interoperability', function () {
  this.timeout(60_000);
  let home: string;
  let officer: OfficerKeyPair;
  let author: OfficerKeyPair;
  const gpg = (...args: string[]) =>
    run('gpg', ['--homedir', home, '--batch', '--no-tty', '--pinentry-mode', 'loopback', '--trust-model', 'always', ...args], {
      encoding: 'buffer',
      maxBuffer: 64 * 1024 * 1024,
    });

  before(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'bharatpol-gnupg-'));
    officer = await generateOfficerKey({ name: 'Neha Joshi', username: 'uo.mh.cyber', passphrase: 'officer passphrase' });
    author = await generateOfficerKey({ name: 'Vikram Patil', username: 'ilo.mh', passphrase: 'author passphrase' });
    await writeFile(path.join(home, 'officer-secret.asc'), officer.encryptedPrivateKey);
    await writeFile(path.join(home, 'author-secret.asc'), author.encryptedPrivateKey);
    await gpg('--passphrase', 'officer passphrase', '--import', path.join(home, 'officer-secret.asc'));
    await gpg('--passphrase', 'author passphrase', '--import', path.join(home, 'author-secret.asc'));
  });
  after(async () => {
    await run('gpgconf', ['--homedir', home, '--kill', 'all']).catch(() => undefined);
    await rm(home, { recursive: true, force: true });
  });

  it('gpg decrypts what the client encrypted to an officer, and verifies the author', async () => {
    const item = await sealItem({
      content: 'Blue notice: whereabouts of a fugitive sought for cyber fraud',
      recipients: [await readPublicKey(officer.publicKey)],
      signer: await unlockPrivateKey(author.encryptedPrivateKey, 'author passphrase'),
    });
    const file = path.join(home, 'from-client.pgp');
    await writeFile(file, concat(item.keyPackets, item.body));
    const { stdout, stderr } = await gpg('--passphrase', 'officer passphrase', '--status-fd', '2', '--decrypt', file);
    expect(stdout.toString()).to.equal('Blue notice: whereabouts of a fugitive sought for cyber fraud');
    expect(stderr.toString()).to.include(`[GNUPG:] VALIDSIG ${author.fingerprint.toUpperCase()}`);
    expect(stderr.toString()).to.include('[GNUPG:] DECRYPTION_OKAY');
  });

  it('the client decrypts and verifies what gpg encrypted and signed to an officer', async () => {
    const plain = path.join(home, 'plain.txt');
    await writeFile(plain, 'Reply from NCB Lyon: subject located');
    const out = path.join(home, 'from-gpg.pgp');
    await gpg(
      '--passphrase', 'author passphrase',
      '--local-user', author.fingerprint,
      '--recipient', officer.fingerprint,
      '--output', out,
      '--sign', '--encrypt', plain,
    );
    const message = new Uint8Array(await readFile(out));
    const opened = await openItem({
      item: { keyPackets: new Uint8Array(0), body: message },
      decryptionKeys: [await unlockPrivateKey(officer.encryptedPrivateKey, 'officer passphrase')],
      authorKeys: [await readPublicKey(author.publicKey)],
    });
    expect(contentText(opened.content)).to.equal('Reply from NCB Lyon: subject located');
    expect(opened.signature.signerFingerprint).to.equal(author.fingerprint);
  });

  it('gpg decrypts a file chunk sealed by the client (files stay readable piece by piece)', async () => {
    const bytes = new TextEncoder().encode('FIR 0042/2026 scanned pages');
    const sealer = await FileSealer.create({
      name: 'fir.pdf',
      type: 'application/pdf',
      source: { size: bytes.length, read: (start, end) => Promise.resolve(bytes.subarray(start, end)) },
      recipients: [await readPublicKey(officer.publicKey)],
      signer: await unlockPrivateKey(author.encryptedPrivateKey, 'author passphrase'),
    });
    sealer.bind('file-1');
    const file = path.join(home, 'chunk.pgp');
    await writeFile(file, concat(sealer.keyPackets, await sealer.sealChunk(1)));
    const { stdout, stderr } = await gpg('--passphrase', 'officer passphrase', '--status-fd', '2', '--decrypt', file);
    expect(stdout.toString()).to.include('FIR 0042/2026 scanned pages');
    expect(stdout.toString()).to.include('"fileId":"file-1"');
    expect(stderr.toString()).to.include(`[GNUPG:] VALIDSIG ${author.fingerprint.toUpperCase()}`);
  });

  it('gpg verifies a signed broadcast acknowledgement, and the client verifies one gpg signed', async () => {
    const statement = acknowledgementStatement({
      broadcastId: '6b0c00000000000000000001',
      reference: '2026/0142-RFA',
      handlingCode: 'H2',
      restrictions: '',
      username: 'ilo.mh',
      role: 'ilo',
      agencyCode: 'MHPOL',
      signedAt: new Date('2026-11-30T10:00:00Z'),
    });
    const signature = await signStatement({ statement, signer: await unlockPrivateKey(author.encryptedPrivateKey, 'author passphrase') });
    await writeFile(path.join(home, 'ack.txt'), statement);
    await writeFile(path.join(home, 'ack.txt.asc'), signature);
    const { stderr } = await gpg('--status-fd', '2', '--verify', path.join(home, 'ack.txt.asc'), path.join(home, 'ack.txt'));
    expect(stderr.toString()).to.include(`[GNUPG:] VALIDSIG ${author.fingerprint.toUpperCase()}`);
    let altered = false;
    await writeFile(path.join(home, 'ack.txt'), statement.replace('H2', 'H0'));
    await gpg('--verify', path.join(home, 'ack.txt.asc'), path.join(home, 'ack.txt')).catch(() => (altered = true));
    expect(altered, 'gpg refuses an altered statement').to.equal(true);

    await writeFile(path.join(home, 'ack.txt'), statement);
    await gpg('--passphrase', 'author passphrase', '--local-user', author.fingerprint, '--armor', '--detach-sign', '--output', path.join(home, 'ack-gpg.asc'), path.join(home, 'ack.txt'));
    const verified = await verifyStatement({
      statement,
      signature: (await readFile(path.join(home, 'ack-gpg.asc'))).toString(),
      signerKeys: [await readPublicKey(author.publicKey)],
    });
    expect(verified.signerFingerprint).to.equal(author.fingerprint);
  });
});
