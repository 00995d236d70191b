import { expect } from 'chai';
import {
  CryptoClientError,
  generateGroupKey,
  generateOfficerKey,
  openItem,
  readPublicKey,
  rewrapKeyPackets,
  sealEnvelope,
  sealItem,
} from '../../../server/crypto/client.js';
import { deriveSecrets } from '../../../server/crypto/kdf.js';
import { bytesOf } from '../../../server/db/binary.js';
import { checkOfficerKeys, registerOfficerKey } from '../../../server/sealed/keys/keys.service.js';
import { base64 } from '../../../server/crypto/group-keyring.js';
import { Account } from '../../../server/modules/accounts/account.model.js';
import { forgetChannelMembers } from '../../../server/modules/connect/channel-members.js';
import { FileChunk } from '../../../server/sealed/files/file.model.js';
import { EncryptedItem } from '../../../server/sealed/items/item.model.js';
import type { AgencyDocument, UnitDocument } from '../../../server/modules/organisation/organisation.model.js';
import type { Portal } from '../../../server/portal.js';
import { downloadFile, keyringApi, uploadFile, withCrypto, type CryptoOfficer } from '../../support/crypto-officer.js';
import { agencyWith, makeOfficer, makeUnit, theCbi } from '../../support/fixtures.js';
import { sharedPortal } from '../../support/portal.js';

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CryptoClientError) return error.reason;
    if (error instanceof Error && 'code' in error) return String((error as { code: unknown }).code);
    throw error;
  }
  return 'no error';
}

describe('end-to-end encryption through the portal', function () {
  this.timeout(60_000);
  let portal: Portal;
  let agency: AgencyDocument;
  let unit: UnitDocument;
  let ilo: CryptoOfficer;
  let uoA: CryptoOfficer;
  let uoB: CryptoOfficer;
  let outsider: CryptoOfficer;
  let unitGroup: string;

  before(async () => {
    portal = await sharedPortal();
    await theCbi();
  });
  beforeEach(async () => {
    const ours = await agencyWith(portal, { ilos: ['ILO'], units: [{ officers: ['UO A', 'UO B'] }] }, { withKey: true });
    const other = await agencyWith(portal, { units: [{ officers: ['Outsider'] }] }, { withKey: true });
    ({ agency } = ours);
    unit = ours.units[0]!;
    unitGroup = `unit:${String(unit._id)}`;
    ilo = await withCrypto(ours.officer('ILO'));
    uoA = await withCrypto(ours.officer('UO A'));
    uoB = await withCrypto(ours.officer('UO B'));
    outsider = await withCrypto(other.officer('Outsider'));
  });

  it('lets member B read and verify what A wrote for their unit, and refuses non-member C', async () => {
    const id = await uoA.post(unitGroup, 'Suspect seen at Nagpur railway station, 14:05');
    expect(await uoB.read(id)).to.equal('Suspect seen at Nagpur railway station, 14:05');
    const refused = await outsider.client.request<{ error: { code: string } }>('GET', `/api/items/${id}`);
    expect(refused.status).to.equal(403);
    const stored = await EncryptedItem.findById(id).lean();
    expect(await failure(openItem({
      item: { keyPackets: bytesOf(stored!.keyPackets), body: bytesOf(stored!.body) },
      decryptionKeys: [outsider.privateKey],
      authorKeys: [await readPublicKey((await outsider.keyOf(uoA.fingerprint)).armor())],
    }))).to.equal('no-key-for-me');
    expect((await outsider.client.request('GET', `/api/groups/${unitGroup}`)).status).to.equal(403);
  });

  it('starts a new epoch when a member leaves, which the removed member cannot open', async () => {
    const before = await uoA.post(unitGroup, 'before the transfer');
    expect(await uoB.read(before)).to.equal('before the transfer');
    const heldByB = await uoB.keyring.keys(unitGroup, { refresh: true });

    await Account.updateOne({ _id: uoB.officer.account._id }, { $set: { unit: (await makeUnit(agency))._id } });
    await forgetChannelMembers(); // a transfer written straight to the database: tell the membership caches
    const after = await uoA.post(unitGroup, 'after the transfer');
    const keysOfA = await uoA.keyring.keys(unitGroup);
    expect(keysOfA.current.epoch).to.equal(heldByB.current.epoch + 1);

    expect((await uoB.client.request('GET', `/api/items/${after}`)).status).to.equal(403);
    const stored = await EncryptedItem.findById(after).lean();
    expect(await failure(openItem({
      item: { keyPackets: bytesOf(stored!.keyPackets), body: bytesOf(stored!.body) },
      decryptionKeys: [...heldByB.privateKeys.values(), uoB.privateKey],
      authorKeys: [await uoB.keyOf(uoA.fingerprint)],
    }))).to.equal('no-key-for-me');
  });

  it('answers two members starting the same epoch with one epoch, and never seals a new key for someone who left', async () => {
    const current = await uoA.keyring.keys(unitGroup, { refresh: true });
    const next = current.current.epoch + 1;
    const start = async (officer: CryptoOfficer, recipients: CryptoOfficer[]) => {
      const pair = await generateGroupKey({ group: unitGroup, epoch: next });
      const envelopes = await Promise.all(
        recipients.map(async (member) => ({
          recipient: String(member.officer.account._id),
          data: base64.encode(await sealEnvelope({ groupPrivateKey: pair.privateKey, recipient: member.privateKey.toPublic(), sharer: officer.privateKey })),
        })),
      );
      return officer.client.request<{ epoch: number; fingerprint: string; started: boolean; error?: { code: string } }>('POST', `/api/groups/${encodeURIComponent(unitGroup)}/epochs`, {
        json: { epoch: next, publicKey: pair.publicKey, envelopes },
      });
    };
    // An envelope for someone outside the group (a member who left meanwhile): refused.
    const withOutsider = await start(uoA, [uoA, uoB, outsider]);
    expect([withOutsider.status, withOutsider.body.error?.code]).to.deep.equal([409, 'members-changed']);
    const first = await start(uoA, [uoA, uoB]);
    expect([first.status, first.body.started]).to.deep.equal([201, true]);
    const second = await start(uoB, [uoA, uoB]);
    expect([second.status, second.body.started, second.body.fingerprint], 'the winner’s epoch, not an error').to.deep.equal([200, false, first.body.fingerprint]);
    expect((await uoB.keyring.keys(unitGroup, { refresh: true })).current.epoch).to.equal(next);
  });

  it('refuses to store an item for a stale epoch after a member left', async () => {
    await uoA.post(unitGroup, 'first');
    const stale = await uoA.keyring.keys(unitGroup);
    await Account.updateOne({ _id: uoB.officer.account._id }, { $set: { status: 'disabled' } });
    await forgetChannelMembers();
    const answer = await uoA.client.request<{ error: { code: string } }>('POST', '/api/items', {
      json: { group: unitGroup, epoch: stale.current.epoch, body: 'AAAA', keyPackets: 'AAAA' },
    });
    expect(answer.status).to.equal(409);
    expect(answer.body.error.code).to.equal('rotation-needed');
  });

  it('gives a newly added member the history they were granted', async () => {
    const old = await uoA.post(unitGroup, 'history from last month');
    const newcomer = await withCrypto(await makeOfficer(portal, 'uo', agency, unit, 'Newcomer', { withKey: true }));
    expect(await failure(newcomer.read(old))).to.equal('no-key-for-me');
    await uoA.keyring.keys(unitGroup, { refresh: true }); // a member's client shares pending envelopes
    expect(await newcomer.read(old)).to.equal('history from last month');
  });

  it('re-shares envelopes to a colleague who re-enrolled with a new key', async () => {
    const old = await uoA.post(unitGroup, 'before re-enrolment');
    await Account.updateOne({ _id: uoB.officer.account._id }, { $set: { status: 'invited' } });
    await forgetChannelMembers();
    const account = await Account.findById(uoB.officer.account._id).lean();
    const { keyPassphrase } = await deriveSecrets(uoB.officer.password, { algorithm: 'pbkdf2-sha256', salt: account!.kdfSalt, iterations: account!.kdfIterations });
    const newKey = await generateOfficerKey({ name: 'UO B', username: account!.username, passphrase: keyPassphrase });
    await registerOfficerKey(String(account!._id), await checkOfficerKeys(account!.username, newKey));
    await Account.updateOne({ _id: account!._id }, { $set: { status: 'active' } });
    await forgetChannelMembers();
    const renewed = await withCrypto(uoB.officer);
    expect(renewed.fingerprint).not.to.equal(uoB.fingerprint);
    expect(await failure(renewed.read(old))).to.equal('no-key-for-me');
    await uoA.keyring.keys(unitGroup, { refresh: true });
    expect(await renewed.read(old)).to.equal('before re-enrolment');
  });

  it('forwards an attachment from the agency ILOs to a unit without a second upload', async () => {
    const ilosGroup = `agency-ilos:${String(agency._id)}`;
    const bytes = new Uint8Array(2.5 * 1024 * 1024).map((_, i) => (i * 31) % 251);
    const fileId = await uploadFile(ilo, ilosGroup, 'red-corner-brief.pdf', bytes);
    const chunksBefore = await FileChunk.find({ file: fileId }).lean();

    expect((await uoA.client.request('GET', `/api/files/${fileId}`)).status, 'not yet forwarded').to.equal(403);
    const meta = await keyringApi(ilo.client).get<{ keyPackets: string }>(`/api/files/${fileId}`);
    const iloKeys = await ilo.keyring.keys(ilosGroup);
    await uoA.keyring.keys(unitGroup, { refresh: true }); // the unit has a key
    const target = await keyringApi(ilo.client).get<{ epoch: number; publicKey: string }>(`/api/groups/${unitGroup}/public-key`);
    const keyPackets = await rewrapKeyPackets({
      keyPackets: base64.decode(meta.keyPackets),
      decryptionKeys: [...iloKeys.privateKeys.values()],
      recipients: [await readPublicKey(target.publicKey)],
    });
    const forwarded = await ilo.client.request('POST', `/api/files/${fileId}/forwards`, {
      json: { group: unitGroup, epoch: target.epoch, keyPackets: base64.encode(keyPackets) },
    });
    expect(forwarded.status).to.equal(200);

    const received = await downloadFile(uoB, fileId);
    expect(received.name).to.equal('red-corner-brief.pdf');
    expect(received.bytes.equals(Buffer.from(bytes))).to.equal(true);
    const chunksAfter = await FileChunk.find({ file: fileId }).lean();
    expect(chunksAfter.map((chunk) => String(chunk._id))).to.deep.equal(chunksBefore.map((chunk) => String(chunk._id)));
    expect(await FileChunk.countDocuments({ file: fileId })).to.equal(4);
  });

  it("refuses a unit officer forwarding into another agency's unit, and audits it", async () => {
    const id = await uoA.post(unitGroup, 'internal');
    await outsider.keyring.keys(`unit:${String((await Account.findById(outsider.officer.account._id).lean())!.unit)}`, { refresh: true });
    const otherUnit = `unit:${String((await Account.findById(outsider.officer.account._id).lean())!.unit)}`;
    const answer = await uoA.client.request('GET', `/api/groups/${otherUnit}/public-key`);
    expect(answer.status).to.equal(403);
    const forward = await uoA.client.request('POST', `/api/items/${id}/forwards`, { json: { group: otherUnit, epoch: 1, keyPackets: 'AAAA' } });
    expect(forward.status).to.equal(403);
  });

  it('reports a tampered body or a swapped author, and never shows the content', async () => {
    const id = await uoA.post(unitGroup, 'genuine report');
    const stored = await EncryptedItem.findById(id).lean();
    const body = Buffer.from(bytesOf(stored!.body));
    body[body.length - 40] = (body[body.length - 40] ?? 0) ^ 0xff;
    await EncryptedItem.updateOne({ _id: id }, { $set: { body } });
    expect(await failure(uoB.read(id))).to.equal('tampered');
    await EncryptedItem.updateOne({ _id: id }, { $set: { body: stored!.body, authorFingerprint: ilo.fingerprint } });
    expect(await failure(uoB.read(id))).to.equal('bad-signature');
  });

  it('refuses ciphertext that is not for the epoch key, and clear text', async () => {
    const keys = await uoA.keyring.keys(unitGroup, { refresh: true });
    const wrong = await sealItem({ content: 'x', recipients: [await uoA.keyOf(uoB.fingerprint)], signer: uoA.privateKey });
    const wrongKey = await uoA.client.request<{ error: { code: string } }>('POST', '/api/items', {
      json: { group: unitGroup, epoch: keys.current.epoch, body: base64.encode(wrong.body), keyPackets: base64.encode(wrong.keyPackets) },
    });
    expect(wrongKey.status).to.equal(400);
    const clear = await uoA.client.request('POST', '/api/items', {
      json: { group: unitGroup, epoch: keys.current.epoch, body: Buffer.from('SECRET plain text').toString('base64'), keyPackets: base64.encode(wrong.keyPackets) },
    });
    expect(clear.status).to.equal(400);
  });
});
