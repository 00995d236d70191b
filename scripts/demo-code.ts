/**
 * Prints the current authenticator code of the demo accounts (they share one TOTP seed), so a
 * newcomer can sign in without setting up an authenticator app. Development data only.
 * Usage: npm run demo:code
 */
import { generate } from 'otplib';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../server/demo/seed.js';

const epoch = Math.floor(Date.now() / 1000);
const code = await generate({ secret: DEMO_TOTP_SECRET, epoch });
console.log(`demo password: ${DEMO_PASSWORD}`);
console.log(`code: ${code}  (valid for ${30 - (epoch % 30)} more seconds; each code signs in once per account)`);
