import { expect } from 'chai';
import { advanceClockForTests } from '../../server/clock.js';
import { FileSealer } from '../../server/crypto/client.js';
import { base64 } from '../../server/crypto/group-keyring.js';
import { EncryptedFile, FileChunk } from '../../server/sealed/files/file.model.js';
import type { Portal } from '../../server/portal.js';
import { keyringApi, withCrypto, type CryptoOfficer } from '../support/crypto-officer.js';
import { makeAgency, makeOfficer, makeUnit, theCbi } from '../support/fixtures.js';
import { sharedPortal } from '../support/portal.js';

describe('encrypted upload limits and hostile uploads', function () {
  this.timeout(60_000);
  let portal: Portal;
  let owner: CryptoOfficer;
  let colleague: CryptoOfficer;
  let group: string;

  before(async () => {
    portal = await sharedPortal();
    await theCbi();
    const agency = await makeAgency();
    const unit = await makeUnit(agency);
    group = `unit:${String(unit._id)}`;
    owner = await withCrypto(await makeOfficer(portal, 'uo', agency, unit, 'Owner', { withKey: true }));
    colleague = await withCrypto(await makeOfficer(portal, 'uo', agency, unit, 'Colleague', { withKey: true }));
  });

  async function startUpload(size = 10): Promise<{ id: string; sealer: FileSealer }> {
    const keys = await owner.keyring.keys(group, { refresh: true });
    const bytes = new Uint8Array(size);
    const sealer = await FileSealer.create({
      name: 'x.bin',
      type: 'application/octet-stream',
      source: { size, read: (start, end) => Promise.resolve(bytes.subarray(start, end)) },
      recipients: [keys.current.publicKey],
      signer: owner.privateKey,
    });
    const { id } = await keyringApi(owner.client).post<{ id: string }>('/api/files', {
      group,
      epoch: keys.current.epoch,
      keyPackets: base64.encode(sealer.keyPackets),
      chunkCount: sealer.chunkCount,
    });
    sealer.bind(id);
    return { id, sealer };
  }

  async function putChunk(
    officer: CryptoOfficer,
    id: string,
    index: number,
    body: Uint8Array | undefined,
    field = 'chunk',
    fileName = '../../etc/passwd;\u202egpj.exe',
  ): Promise<{ status: number; code?: string }> {
    const form = new FormData();
    if (body) form.append(field, new Blob([Buffer.from(body)]), fileName);
    const answer = await fetch(`${officer.client.baseUrl}/api/files/${id}/chunks/${index}`, {
      method: 'PUT',
      headers: { cookie: officer.client.cookie ?? '', 'x-csrf-token': officer.client.csrfToken ?? '' },
      body: form,
    });
    const parsed = (await answer.json()) as { error?: { code: string } };
    return { status: answer.status, code: parsed.error?.code };
  }

  it('refuses a chunk larger than the limit with 413 and keeps serving', async () => {
    const { id } = await startUpload();
    const answer = await putChunk(owner, id, 0, new Uint8Array(1024 * 1024 + 128 * 1024));
    expect(answer).to.deep.equal({ status: 413, code: 'upload-too-large' });
    expect(await FileChunk.countDocuments({ file: id })).to.equal(0);
    expect((await fetch(`${portal.url}/healthz`)).status).to.equal(200);
  });

  it('refuses a chunk that is not an encrypted OpenPGP packet (clear text, garbage)', async () => {
    const { id } = await startUpload();
    expect((await putChunk(owner, id, 1, new TextEncoder().encode('plain secret text'))).status).to.equal(400);
    expect((await putChunk(owner, id, 1, new Uint8Array([0xff, 0x00, 0x13, 0x37]))).status).to.equal(400);
    expect(await FileChunk.countDocuments({ file: id })).to.equal(0);
  });

  it('stores a chunk under its index whatever the hostile file name of the part', async () => {
    const { id, sealer } = await startUpload();
    expect((await putChunk(owner, id, 0, await sealer.sealChunk(0))).status).to.equal(200);
    const stored = await FileChunk.findOne({ file: id, index: 0 }).lean();
    expect(Object.keys(stored ?? {})).to.have.members(['_id', 'file', 'index', 'data']);
  });

  it('answers a part name with a NUL byte with 400, not a crash', async () => {
    const { id, sealer } = await startUpload();
    expect(await putChunk(owner, id, 0, await sealer.sealChunk(0), 'chunk', 'chunk\u0000.pgp')).to.deep.equal({ status: 400, code: 'bad-upload' });
    expect((await fetch(`${portal.url}/healthz`)).status).to.equal(200);
  });

  it('refuses a missing part, a wrong field, an index out of range, and a second officer adding to the upload', async () => {
    const { id, sealer } = await startUpload();
    expect((await putChunk(owner, id, 0, undefined)).status).to.equal(400);
    expect((await putChunk(owner, id, 0, await sealer.sealChunk(0), 'other')).status).to.equal(400);
    expect((await putChunk(owner, id, 5, await sealer.sealChunk(1))).status).to.equal(400);
    expect((await putChunk(colleague, id, 1, await sealer.sealChunk(1))).status).to.equal(403);
  });

  it('refuses to complete an upload with chunks missing, and hides it until complete', async () => {
    const { id, sealer } = await startUpload();
    await putChunk(owner, id, 0, await sealer.sealChunk(0));
    const early = await owner.client.request<{ error: { code: string } }>('POST', `/api/files/${id}/complete`, { json: {} });
    expect(early.status).to.equal(409);
    expect(early.body.error.code).to.equal('upload-incomplete');
    expect((await colleague.client.request('GET', `/api/files/${id}`)).status).to.equal(404);
    await putChunk(owner, id, 1, await sealer.sealChunk(1));
    expect((await owner.client.request('POST', `/api/files/${id}/complete`, { json: {} })).status).to.equal(200);
    expect((await colleague.client.request('GET', `/api/files/${id}`)).status).to.equal(200);
    expect((await EncryptedFile.findById(id).lean())?.status).to.equal('complete');
  });

  it('removes uploads abandoned for a day, with their chunks, and leaves completed files alone', async () => {
    const abandoned = await startUpload();
    await putChunk(owner, abandoned.id, 0, await abandoned.sealer.sealChunk(0));
    const done = await startUpload();
    for (const index of [0, 1]) await putChunk(owner, done.id, index, await done.sealer.sealChunk(index));
    await owner.client.request('POST', `/api/files/${done.id}/complete`, { json: {} });
    expect(await portal.services.files.sweepAbandoned()).to.equal(0);
    advanceClockForTests(24 * 60 * 60_000 + 60_000);
    expect(await portal.services.files.sweepAbandoned()).to.be.at.least(1);
    expect(await EncryptedFile.countDocuments({ _id: abandoned.id })).to.equal(0);
    expect(await FileChunk.countDocuments({ file: abandoned.id })).to.equal(0);
    expect(await FileChunk.countDocuments({ file: done.id })).to.equal(2);
  });

  it('refuses a file announced larger than the size limit', async () => {
    const keys = await owner.keyring.keys(group, { refresh: true });
    const { sealer } = await startUpload();
    const answer = await owner.client.request<{ error: { code: string } }>('POST', '/api/files', {
      json: { group, epoch: keys.current.epoch, keyPackets: base64.encode(sealer.keyPackets), chunkCount: 10_000 },
    });
    expect(answer.status).to.equal(413);
    expect(answer.body.error.code).to.equal('file-too-large');
  });
});
