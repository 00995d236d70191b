import { expect } from 'chai';
import { canonicalJson, GENESIS_HASH, hashRecord } from '../../server/modules/audit/audit.chain.js';

describe('audit chain hashing', () => {
  const record = {
    seq: 1,
    at: new Date('2026-01-07T10:00:00Z'),
    action: 'auth.sign-in',
    outcome: 'success',
    actor: { username: 'ilo.mh', role: 'ilo' },
    ip: '10.0.0.1',
    prevHash: GENESIS_HASH,
  };

  it('orders keys, so equal records hash equally whatever their key order', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).to.equal('{"a":{"c":3,"d":2},"b":1}');
    expect(hashRecord({ ...record, actor: { role: 'ilo', username: 'ilo.mh' } })).to.equal(hashRecord(record));
  });

  it('changes the hash when any covered field changes', () => {
    const base = hashRecord(record);
    expect(hashRecord({ ...record, outcome: 'failure' })).not.to.equal(base);
    expect(hashRecord({ ...record, at: new Date('2026-01-07T10:00:01Z') })).not.to.equal(base);
    expect(hashRecord({ ...record, prevHash: 'f'.repeat(64) })).not.to.equal(base);
    expect(hashRecord({ ...record, actor: { username: 'ilo.dl', role: 'ilo' } })).not.to.equal(base);
  });
});
