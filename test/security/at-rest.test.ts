import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import mongoose from 'mongoose';
import * as openpgp from 'openpgp';
import { deriveSecrets, type KdfParameters } from '../../server/crypto/kdf.js';
import { readPublicKey, rewrapKeyPackets } from '../../server/crypto/client.js';
import { base64 } from '../../server/crypto/group-keyring.js';
import type { Portal } from '../../server/portal.js';
import { downloadFile, keyringApi, uploadFile, withCrypto } from '../support/crypto-officer.js';
import { makeAgency, makeOfficer, makeUnit, theCbi, TEST_PASSWORD } from '../support/fixtures.js';
import { testDatabaseDir } from '../support/global-fixtures.js';
import { sharedPortal } from '../support/portal.js';

const MARKERS = ['MARKER-MESSAGE-7731', 'MARKER-FILENAME-9920', 'MARKER-FILEBODY-4410', 'MARKER-FORWARD-5512'];

/** Every string form of a stored value that a scan should look at. */
function forms(value: unknown, out: string[] = []): string[] {
  if (value === null || value === undefined) return out;
  if (value instanceof mongoose.mongo.Binary || Buffer.isBuffer(value) || value instanceof Uint8Array) {
    const bytes = value instanceof mongoose.mongo.Binary ? Buffer.from(value.buffer) : Buffer.from(value);
    out.push(bytes.toString('latin1'), bytes.toString('utf8'));
    return out;
  }
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) forms(item, out);
  else if (typeof value === 'object' && !(value instanceof Date)) for (const item of Object.values(value)) forms(item, out);
  return out;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    files.push(...(entry.isDirectory() ? await filesUnder(full) : [full]));
  }
  return files;
}

describe('nothing readable at rest', function () {
  this.timeout(120_000);
  let portal: Portal;

  before(async () => {
    portal = await sharedPortal();
  });

  it('has a scanner that does find a marker stored in clear (control)', () => {
    const control = { note: 'x', blob: new mongoose.mongo.Binary(Buffer.from(`prefix ${MARKERS[0]} suffix`)), nested: [{ text: MARKERS[1] }] };
    const text = forms(control).join('\n');
    expect(text).to.include(MARKERS[0]);
    expect(text).to.include(MARKERS[1]);
  });

  it('stores no marker, no private key in clear and no passphrase, in any collection or database file', async () => {
    await theCbi();
    const agency = await makeAgency();
    const unit = await makeUnit(agency);
    const ilo = await withCrypto(await makeOfficer(portal, 'ilo', agency, undefined, 'ILO', { withKey: true }));
    const uo = await withCrypto(await makeOfficer(portal, 'uo', agency, unit, 'UO', { withKey: true }));
    const unitGroup = `unit:${String(unit._id)}`;
    const ilosGroup = `agency-ilos:${String(agency._id)}`;

    const messageId = await uo.post(unitGroup, `Informant report ${MARKERS[0]}`);
    expect(await uo.read(messageId)).to.include(MARKERS[0]);
    const fileBytes = new TextEncoder().encode(`${MARKERS[2]} `.repeat(50_000));
    const fileId = await uploadFile(ilo, ilosGroup, `${MARKERS[1]}.pdf`, fileBytes);
    const forwardNote = await ilo.post(ilosGroup, `Please act: ${MARKERS[3]}`);
    const iloKeys = await ilo.keyring.keys(ilosGroup);
    await uo.keyring.keys(unitGroup, { refresh: true });
    const target = await keyringApi(ilo.client).get<{ epoch: number; publicKey: string }>(`/api/groups/${unitGroup}/public-key`);
    for (const [kind, id] of [['files', fileId], ['items', forwardNote]] as const) {
      const meta = await keyringApi(ilo.client).get<{ keyPackets: string }>(`/api/${kind}/${id}`);
      const keyPackets = await rewrapKeyPackets({
        keyPackets: base64.decode(meta.keyPackets),
        decryptionKeys: [...iloKeys.privateKeys.values()],
        recipients: [await readPublicKey(target.publicKey)],
      });
      await keyringApi(ilo.client).post(`/api/${kind}/${id}/forwards`, { group: unitGroup, epoch: target.epoch, keyPackets: base64.encode(keyPackets) });
    }
    const received = await downloadFile(uo, fileId);
    expect(received.name).to.equal(`${MARKERS[1]}.pdf`);
    expect(await uo.read(forwardNote)).to.include(MARKERS[3]);

    const kdf = (await uo.client.request<KdfParameters>('POST', '/api/auth/kdf', { json: { username: uo.officer.username } })).body;
    const { signInSecret, keyPassphrase } = await deriveSecrets(TEST_PASSWORD, kdf);
    const secrets = [TEST_PASSWORD, signInSecret, keyPassphrase, uo.officer.totpSecret];

    const db = portal.database.connection.db;
    if (!db) throw new Error('no database');
    const collections = await db.listCollections().toArray();
    expect(collections.map((collection) => collection.name)).to.include.members(['encrypteditems', 'filechunks', 'envelopes', 'officerkeys']);
    let privateKeys = 0;
    for (const { name } of collections) {
      for await (const document of db.collection(name).find()) {
        for (const text of forms(document)) {
          for (const marker of MARKERS) expect(text, `${marker} in ${name}`).not.to.include(marker);
          for (const secret of secrets) expect(text, `a secret in ${name}`).not.to.include(secret);
          if (text.includes('BEGIN PGP PRIVATE KEY BLOCK')) {
            privateKeys += 1;
            const key = await openpgp.readPrivateKey({ armoredKey: text });
            const parts = [key.keyPacket, ...key.subkeys.map((subkey) => subkey.keyPacket)] as openpgp.SecretKeyPacket[];
            expect(parts.every((packet) => packet.isDecrypted() === false), `an unprotected private key in ${name}`).to.equal(true);
          }
        }
      }
    }
    expect(privateKeys, 'officers’ protected private keys were scanned').to.be.greaterThan(1);

    for (const file of await filesUnder(testDatabaseDir())) {
      const raw = (await readFile(file)).toString('latin1');
      for (const marker of MARKERS) expect(raw, `${marker} in ${path.basename(file)}`).not.to.include(marker);
      for (const secret of secrets) expect(raw, `a secret in ${path.basename(file)}`).not.to.include(secret);
    }
  });
});
