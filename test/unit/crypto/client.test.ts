import { expect } from 'chai';
import {
  contentText,
  CryptoClientError,
  FILE_CHUNK_BYTES,
  FileOpener,
  FileSealer,
  generateGroupKey,
  generateOfficerKey,
  openEnvelope,
  openItem,
  readPublicKey,
  rewrapKeyPackets,
  sealEnvelope,
  sealItem,
  unlockPrivateKey,
  type PrivateKey,
  type PublicKey,
} from '../../../server/crypto/client.js';

async function officer(name: string): Promise<{ publicKey: PublicKey; privateKey: PrivateKey; fingerprint: string }> {
  const pair = await generateOfficerKey({ name, username: name.toLowerCase(), passphrase: `pass of ${name}` });
  return {
    publicKey: await readPublicKey(pair.publicKey),
    privateKey: await unlockPrivateKey(pair.encryptedPrivateKey, `pass of ${name}`),
    fingerprint: pair.fingerprint,
  };
}

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CryptoClientError) return error.reason;
    throw error;
  }
  return 'no error';
}

const memorySource = (bytes: Uint8Array) => ({
  size: bytes.length,
  read: (start: number, end: number) => Promise.resolve(bytes.subarray(start, end)),
});

describe('crypto client', () => {
  let alice: Awaited<ReturnType<typeof officer>>;
  let bob: Awaited<ReturnType<typeof officer>>;
  let carol: Awaited<ReturnType<typeof officer>>;

  before(async () => {
    [alice, bob, carol] = await Promise.all([officer('Alice'), officer('Bob'), officer('Carol')]);
  });

  it('protects a private key with the passphrase and refuses a wrong one', async () => {
    const pair = await generateOfficerKey({ name: 'Dev', username: 'dev', passphrase: 'right passphrase' });
    expect(pair.encryptedPrivateKey).to.include('BEGIN PGP PRIVATE KEY BLOCK');
    expect(await reason(unlockPrivateKey(pair.encryptedPrivateKey, 'wrong passphrase'))).to.equal('wrong-passphrase');
    expect((await unlockPrivateKey(pair.encryptedPrivateKey, 'right passphrase')).isDecrypted()).to.equal(true);
  });

  it('seals an item once to a group key; members read and verify it, others cannot', async () => {
    const group = await generateGroupKey({ group: 'unit:x', epoch: 1 });
    const groupPrivate = await openEnvelope({
      envelope: await sealEnvelope({ groupPrivateKey: group.privateKey, recipient: bob.publicKey, sharer: alice.privateKey }),
      memberKey: bob.privateKey,
      sharerKeys: [alice.publicKey],
      expectedFingerprint: group.fingerprint,
    });
    const item = await sealItem({ content: 'Red notice request 2026/17', recipients: [await readPublicKey(group.publicKey)], signer: alice.privateKey });
    const opened = await openItem({ item, decryptionKeys: [groupPrivate], authorKeys: [alice.publicKey] });
    expect(contentText(opened.content)).to.equal('Red notice request 2026/17');
    expect(opened.signature.signerFingerprint).to.equal(alice.fingerprint);
    expect(await reason(openItem({ item, decryptionKeys: [carol.privateKey], authorKeys: [alice.publicKey] }))).to.equal('no-key-for-me');
  });

  it('reports a tampered body or a forged author, and never returns the content', async () => {
    const item = await sealItem({ content: 'genuine', recipients: [bob.publicKey], signer: alice.privateKey });
    const body = item.body.slice();
    body[body.length - 30] = (body[body.length - 30] ?? 0) ^ 0x01;
    expect(await reason(openItem({ item: { ...item, body }, decryptionKeys: [bob.privateKey], authorKeys: [alice.publicKey] }))).to.equal(
      'tampered',
    );
    expect(await reason(openItem({ item, decryptionKeys: [bob.privateKey], authorKeys: [carol.publicKey] }))).to.equal('bad-signature');
  });

  it('forwards by re-wrapping the session key: the same body opens for the new reader', async () => {
    const item = await sealItem({ content: 'for action', recipients: [bob.publicKey], signer: alice.privateKey });
    const forwarded = await rewrapKeyPackets({ keyPackets: item.keyPackets, decryptionKeys: [bob.privateKey], recipients: [carol.publicKey] });
    const opened = await openItem({ item: { keyPackets: forwarded, body: item.body }, decryptionKeys: [carol.privateKey], authorKeys: [alice.publicKey] });
    expect(contentText(opened.content)).to.equal('for action');
  });

  it('refuses an envelope holding a key other than the announced group key', async () => {
    const real = await generateGroupKey({ group: 'g', epoch: 1 });
    const fake = await generateGroupKey({ group: 'g', epoch: 1 });
    const envelope = await sealEnvelope({ groupPrivateKey: fake.privateKey, recipient: bob.publicKey, sharer: alice.privateKey });
    expect(await reason(openEnvelope({ envelope, memberKey: bob.privateKey, sharerKeys: [alice.publicKey], expectedFingerprint: real.fingerprint }))).to.equal(
      'wrong-group-key',
    );
  });

  it('seals a file in signed chunks and detects a swapped or foreign chunk', async () => {
    const bytes = new Uint8Array(FILE_CHUNK_BYTES * 2 + 123).map((_, i) => (i * 7) % 256);
    const sealer = await FileSealer.create({
      name: 'fir-0042.pdf',
      type: 'application/pdf',
      source: memorySource(bytes),
      recipients: [bob.publicKey],
      signer: alice.privateKey,
    });
    expect(sealer.chunkCount).to.equal(4);
    sealer.bind('f1');
    const chunks = await Promise.all([0, 1, 2, 3].map((index) => sealer.sealChunk(index)));
    const opener = await FileOpener.create({ fileId: 'f1', keyPackets: sealer.keyPackets, decryptionKeys: [bob.privateKey], authorKeys: [alice.publicKey] });
    const manifest = await opener.openManifest(chunks[0]!);
    expect(manifest).to.include({ name: 'fir-0042.pdf', type: 'application/pdf', size: bytes.length, chunks: 3 });
    const parts = [];
    for (let index = 1; index <= manifest.chunks; index += 1) parts.push(await opener.openChunk(chunks[index]!, index));
    expect(Buffer.concat(parts).equals(Buffer.from(bytes))).to.equal(true);
    expect(await reason(opener.openChunk(chunks[2]!, 1))).to.equal('wrong-file');

    const other = await FileOpener.create({ fileId: 'f2', keyPackets: sealer.keyPackets, decryptionKeys: [bob.privateKey], authorKeys: [alice.publicKey] });
    expect(await reason(other.openChunk(chunks[1]!, 1))).to.equal('wrong-file');
  });
});
