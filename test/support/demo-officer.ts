import mongoose from 'mongoose';
import { generate } from 'otplib';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../server/demo/seed.js';
import type { AccountDocument } from '../../server/modules/accounts/account.model.js';
import { PortalClient } from './client.js';
import type { Officer } from './fixtures.js';

/** A demo account of a spawned portal, signed in with the shared demo seed at real time. */
export function demoOfficer(url: () => string, username: string): Officer {
  let account: AccountDocument | undefined;
  const code = (): Promise<string> => generate({ secret: DEMO_TOTP_SECRET, epoch: Math.floor(Date.now() / 1000) });
  return {
    get account() {
      if (!account) throw new Error('sign in first');
      return account;
    },
    username,
    password: DEMO_PASSWORD,
    totpSecret: DEMO_TOTP_SECRET,
    freshCode: code,
    async signIn() {
      const client = new PortalClient(url());
      const answer = await client.signIn(username, DEMO_PASSWORD, await code());
      if (answer.status !== 200) throw new Error(`sign-in of ${username} failed: ${JSON.stringify(answer.body)}`);
      account = { _id: new mongoose.Types.ObjectId((answer.body as { id: string }).id) } as AccountDocument;
      return client;
    },
  };
}
