import { expect } from 'chai';
import { sendSchema } from '../../server/modules/connect/connect.schema.js';
import { newClientId } from '../../server/shared/client-id.js';

describe('client message ids', () => {
  it('are accepted by the send schema', () => {
    const id = newClientId();
    expect(id).to.have.length(25);
    expect(sendSchema.shape.clientId.safeParse(id).success).to.equal(true);
  });

  it('sort as text in the order they were made, and differ within one millisecond', () => {
    const times = [0, 1, 35, 36, 1_700_000_000_000, 1_700_000_000_001, Date.now(), 4_102_444_800_000];
    const ids = times.map((time) => newClientId(time));
    expect([...ids].sort()).to.deep.equal(ids);
    const sameMillisecond = Array.from({ length: 1000 }, () => newClientId(1_700_000_000_000));
    expect(new Set(sameMillisecond).size).to.equal(1000);
  });
});
