// A real OpenID Connect provider (oidc-provider, ES modules only) on loopback for the sign-in specs,
// run in a child process by oidc-test-provider.ts. It prints `READY <issuer>` once it listens.
//
// - Clients and accounts come as JSON in OIDC_TEST_CONFIG: { clients: [...], accounts: { sub: claims } }.
// - The interaction (login + consent) needs no browser: GET /interaction/<uid>?account=<sub> finishes it
//   as that account, granting the requested scopes.
// - POST /__test/id-token?mode=normal|wrong-audience|expired makes the token endpoint answer with an ID
//   token re-signed with the provider's own key but issued for another client, or expired an hour ago.
import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const config = JSON.parse(process.env.OIDC_TEST_CONFIG ?? '{}');
const accounts = config.accounts ?? {};
const OTHER_AUDIENCE = 'another-client';
let idTokenMode = 'normal';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: config.clients ?? [],
  jwks: { keys: [signingKey] },
  cookies: { keys: ['oidc-test-provider-cookie-key'] },
  features: { devInteractions: { enabled: false } },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // PKCE for every client: a sign-in without it must fail here, as with a strict provider.
  pkce: { required: () => true },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: (_ctx, sub) =>
    accounts[sub] ? { accountId: sub, claims: () => ({ sub, ...accounts[sub] }) } : undefined,
  ttl: { AccessToken: 600, AuthorizationCode: 600, IdToken: 600, Interaction: 600, Session: 600, Grant: 600 },
});

// The app under test listens on a port chosen at run time: any loopback port may receive the callback.
const allowed = provider.Client.prototype.redirectUriAllowed;
provider.Client.prototype.redirectUriAllowed = function (uri) {
  return /^http:\/\/127\.0\.0\.1:\d+\/api\/auth\/oidc\/callback$/.test(uri) || allowed.call(this, uri);
};

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/token' || idTokenMode === 'normal' || typeof ctx.body?.id_token !== 'string') return;
  const claims = JSON.parse(Buffer.from(ctx.body.id_token.split('.')[1], 'base64url').toString('utf8'));
  const now = Math.floor(Date.now() / 1000);
  if (idTokenMode === 'wrong-audience') Object.assign(claims, { aud: OTHER_AUDIENCE, azp: OTHER_AUDIENCE });
  if (idTokenMode === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  ctx.body = { ...ctx.body, id_token: signedJwt(claims) };
});

const handle = provider.callback();

server.on('request', (req, res) => {
  const url = new URL(req.url, issuer);
  if (url.pathname.startsWith('/interaction/')) return void finishInteraction(req, res, url).catch(fail(res));
  if (url.pathname === '/__test/id-token' && req.method === 'POST') {
    idTokenMode = url.searchParams.get('mode') ?? 'normal';
    res.writeHead(204).end();
    return;
  }
  handle(req, res);
});

/** Login and consent in one go, as the account named in the query. */
async function finishInteraction(req, res, url) {
  const accountId = url.searchParams.get('account');
  if (!accountId || !accounts[accountId]) {
    res.writeHead(400, { 'content-type': 'text/plain' }).end(`unknown account ${accountId}`);
    return;
  }
  const details = await provider.interactionDetails(req, res);
  const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
  grant.addOIDCScope(String(details.params.scope));
  const grantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}

/** RS256 with the provider's own key: only the claims differ from what the provider would issue. */
function signedJwt(claims) {
  const encode = (part) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const input = `${encode({ alg: 'RS256', kid: signingKey.kid, typ: 'JWT' })}.${encode(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

function fail(res) {
  return (error) => {
    process.stderr.write(`interaction failed: ${error.stack ?? error}\n`);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error.message ?? error));
  };
}

process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.stdout.write(`READY ${issuer}\n`);
