/**
 * Prints a bearer token for a demo account, and nothing else on stdout:
 *   TOKEN=$(npm run -s token -- auditor)
 * Only while the built-in issuer is enabled (no external identity provider configured).
 */
import { loadConfig } from '../config/config';
import { ensureIssuerKeys, signToken } from '../platform/auth/issuer-keys';
import { DEMO_ACCOUNTS, tenantId } from '../../seeds/demo-data';

async function main(): Promise<void> {
  const login = process.argv[2];
  const config = loadConfig();
  if (config.auth.mode !== 'built-in') {
    return fail(`An external identity provider is configured (${config.auth.issuer}): get tokens from it.`);
  }
  const account = DEMO_ACCOUNTS.find((a) => a.login === login);
  if (!account) {
    return fail(`Usage: npm run -s token -- <login>\nDemo logins: ${DEMO_ACCOUNTS.map((a) => a.login).join(', ')}`);
  }
  const keys = await ensureIssuerKeys(config.auth.keyDir);
  const token = await signToken(keys, {
    issuer: config.auth.issuer,
    audience: config.auth.audience,
    subject: account.login,
    tenantId: tenantId(account.tenant),
  });
  process.stdout.write(`${token}\n`);
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

void main();
