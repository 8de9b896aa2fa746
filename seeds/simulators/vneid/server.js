// "VNeID (mô phỏng)": a local OpenID Connect provider shaped like the national e-ID's, built on the OpenID
// Certified `oidc-provider`. Authorization code flow with PKCE (S256) required, RS256 ID tokens, a JWKS
// endpoint, userinfo and RP-initiated logout. A few demo citizens sign in on a small login page.
//
// Configured from the environment:
//   VNEID_PORT (8089), VNEID_HOST (127.0.0.1), VNEID_ISSUER (http://HOST:PORT),
//   VNEID_CLIENT_ID (motcua), VNEID_CLIENT_SECRET (motcua-dev-secret),
//   VNEID_REDIRECT_URIS (comma-separated, http://127.0.0.1:8000/accounts/vneid/callback/),
//   VNEID_POST_LOGOUT_URIS (comma-separated, http://127.0.0.1:8000/accounts/login/),
//   VNEID_DEMO_PASSWORD (motcua2026),
//   VNEID_FAULT: misbehave on purpose, for the relying party's refusal tests (empty: behave):
//     wrong_key   ID tokens signed with a key the JWKS does not publish (same key id)
//     hs256       ID tokens signed with HS256 keyed by the client secret (the algorithm-confusion forgery)
//     expired     ID tokens that expired two minutes ago
//     wrong_iss   ID tokens naming another issuer
//     wrong_aud   ID tokens addressed to another client
//     no_nonce    ID tokens without the nonce of the request
//     wrong_nonce ID tokens with another nonce
//     no_id       the personal ID claim left out
//     bad_id      the personal ID claim garbled (not 12 digits)
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';

import Provider from 'oidc-provider';
import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';

import { CITIZENS, ID_CLAIM, findCitizen } from './citizens.js';
import { loginPage } from './page.js';

const env = process.env;
const HOST = env.VNEID_HOST || '127.0.0.1';
const PORT = Number(env.VNEID_PORT || 8089);
const ISSUER = env.VNEID_ISSUER || `http://${HOST}:${PORT}`;
const CLIENT_ID = env.VNEID_CLIENT_ID || 'motcua';
const CLIENT_SECRET = env.VNEID_CLIENT_SECRET || 'motcua-dev-secret';
const list = (value, fallback) => (value || fallback).split(',').map((s) => s.trim()).filter(Boolean);
const REDIRECT_URIS = list(env.VNEID_REDIRECT_URIS, 'http://127.0.0.1:8000/accounts/vneid/callback/');
const POST_LOGOUT_URIS = list(env.VNEID_POST_LOGOUT_URIS, 'http://127.0.0.1:8000/accounts/login/');
const DEMO_PASSWORD = env.VNEID_DEMO_PASSWORD || 'motcua2026';
const FAULT = (env.VNEID_FAULT || '').trim();
const FAULTS = ['wrong_key', 'hs256', 'expired', 'wrong_iss', 'wrong_aud', 'no_nonce', 'wrong_nonce', 'no_id', 'bad_id'];
if (FAULT && !FAULTS.includes(FAULT)) {
  console.error(`VNEID_FAULT must be one of ${FAULTS.join(', ')}, not ${FAULT}`);
  process.exit(2);
}

const KID = 'vneid-sim-1';
const signing = await generateKeyPair('RS256', { extractable: true });
const signingJwk = { ...(await exportJWK(signing.privateKey)), kid: KID, alg: 'RS256', use: 'sig' };
const rogue = FAULT === 'wrong_key' ? await generateKeyPair('RS256', { extractable: true }) : null;

const configuration = {
  clients: [
    {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: REDIRECT_URIS,
      post_logout_redirect_uris: POST_LOGOUT_URIS,
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'RS256',
    },
  ],
  jwks: { keys: [signingJwk] },
  responseTypes: ['code'],
  pkce: { required: () => true }, // S256 only (the library's default methods)
  scopes: ['openid', 'profile', 'phone', 'address'],
  claims: {
    openid: ['sub', ID_CLAIM],
    profile: ['name', 'birthdate', 'gender'],
    phone: ['phone_number'],
    address: ['address'],
  },
  // The claims travel in the signed ID token too, as the relying party reads them from there.
  conformIdTokenClaims: false,
  findAccount: async (ctx, id) => {
    const citizen = findCitizen(id);
    if (!citizen) return undefined;
    return { accountId: citizen.id, claims: async () => claimsOf(citizen) };
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true },
  },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
  renderError: async (ctx, out) => {
    ctx.type = 'html';
    ctx.body = `<!doctype html><meta charset="utf-8"><title>VNeID</title><h1>Lỗi / Error</h1><pre>${escape(
      JSON.stringify(out, null, 2),
    )}</pre>`;
  },
};

function claimsOf(citizen) {
  const claims = {
    sub: citizen.id,
    [ID_CLAIM]: citizen.id,
    name: citizen.name,
    birthdate: citizen.birthdate,
    gender: citizen.gender,
    phone_number: citizen.phone,
    address: { formatted: citizen.address },
  };
  if (FAULT === 'no_id') delete claims[ID_CLAIM];
  if (FAULT === 'bad_id') claims[ID_CLAIM] = `${citizen.id.slice(0, 9)}AB`;
  return claims;
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const provider = new Provider(ISSUER, configuration);
provider.proxy = false;

// Token-level faults: the ID token the provider issued is re-signed with the change applied.
async function tampered(idToken) {
  const payload = decodeJwt(idToken);
  const header = decodeProtectedHeader(idToken);
  if (FAULT === 'wrong_iss') payload.iss = 'https://vneid.example.invalid';
  if (FAULT === 'wrong_aud') payload.aud = 'another-service';
  if (FAULT === 'no_nonce') delete payload.nonce;
  if (FAULT === 'wrong_nonce') payload.nonce = randomBytes(12).toString('hex');
  if (FAULT === 'expired') {
    payload.iat = Math.floor(Date.now() / 1000) - 900;
    payload.exp = Math.floor(Date.now() / 1000) - 120;
  }
  if (FAULT === 'hs256') {
    const secret = new TextEncoder().encode(CLIENT_SECRET);
    return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', kid: header.kid }).sign(secret);
  }
  const key = rogue ? rogue.privateKey : signing.privateKey;
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: header.kid, typ: header.typ }).sign(key);
}

const TOKEN_FAULTS = ['wrong_key', 'hs256', 'expired', 'wrong_iss', 'wrong_aud', 'no_nonce', 'wrong_nonce'];
if (TOKEN_FAULTS.includes(FAULT)) {
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/token' && ctx.status === 200 && ctx.body?.id_token) {
      ctx.body = { ...ctx.body, id_token: await tampered(ctx.body.id_token) };
    }
  });
}

// The login page (prompt "login") and an automatic consent for the registered client (prompt "consent").
async function interaction(req, res, url) {
  let details;
  try {
    details = await provider.interactionDetails(req, res);
  } catch {
    return send(res, 400, loginPage({ error: 'Phiên đăng nhập đã hết hạn. / The sign-in session expired.' }));
  }
  const { uid, prompt, params, session } = details;
  if (prompt.name === 'consent') {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  if (req.method === 'GET') {
    return send(res, 200, loginPage({ uid, citizens: CITIZENS, password: DEMO_PASSWORD }));
  }
  if (req.method === 'POST' && url.pathname === `/interaction/${uid}/login`) {
    const form = new URLSearchParams(await body(req));
    const id = (form.get('so_dinh_danh') || form.get('citizen') || '').trim();
    const citizen = findCitizen(id);
    if (!citizen || form.get('password') !== DEMO_PASSWORD) {
      const error = 'Số định danh hoặc mật khẩu không đúng. / The personal ID or the password is wrong.';
      return send(res, 200, loginPage({ uid, citizens: CITIZENS, password: DEMO_PASSWORD, error, id }));
    }
    return provider.interactionFinished(
      req,
      res,
      { login: { accountId: citizen.id } },
      { mergeWithLastSubmission: false },
    );
  }
  if (req.method === 'POST' && url.pathname === `/interaction/${uid}/abort`) {
    return provider.interactionFinished(req, res, {
      error: 'access_denied',
      error_description: 'The citizen cancelled the sign-in',
    });
  }
  return send(res, 404, 'Not found');
}

function body(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      data += chunk;
      if (data.length > 10000) reject(new Error('body too large'));
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function send(res, status, html) {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    // No form-action: the login form's redirects end at the relying party, which form-action would block.
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  });
  res.end(html);
}

const callback = provider.callback();
const server = createServer((req, res) => {
  const url = new URL(req.url, ISSUER);
  if (url.pathname.startsWith('/interaction/')) {
    interaction(req, res, url).catch((err) => {
      console.error(err);
      if (!res.headersSent) send(res, 500, 'Internal error');
    });
    return;
  }
  callback(req, res);
});

server.listen(PORT, HOST, () => {
  console.log(`VNeID (mô phỏng) at http://${HOST}:${PORT} issuer ${ISSUER}${FAULT ? ` fault ${FAULT}` : ''}`);
});

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
