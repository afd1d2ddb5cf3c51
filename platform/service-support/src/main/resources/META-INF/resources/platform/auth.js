// Sign-in with the platform's Keycloak: OpenID Connect authorization code flow with PKCE (S256) for the
// public client that GET /web-config names. No library. Tokens are kept in sessionStorage only: they
// end with the tab, and never sit in cookies or localStorage. The service checks every token; what the
// page reads from them (name, roles) only decides what it shows.

const SESSION = 'optout.session';
const PENDING = 'optout.login';
/** Renew a little before expiry, so that a request never leaves with a token about to lapse. */
const EARLY_MS = 30000;

let configPromise = null;
let refreshing = null;

/** Sign-in problems, with a message in both languages. */
export class AuthError extends Error {
  constructor(zh, en) {
    super(en);
    this.zh = zh;
    this.en = en;
  }
}

/** The service's page configuration: {issuer, clientId, verificationBase, forms}. */
export function webConfig() {
  if (configPromise === null) {
    configPromise = fetch('/web-config', { headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then((response) => {
        if (!response.ok) {
          throw new AuthError('無法載入頁面設定，請稍後再試。', `Cannot load the page configuration (HTTP ${response.status}); please try again later.`);
        }
        return response.json();
      })
      .catch((error) => {
        configPromise = null;
        throw error instanceof AuthError ? error
          : new AuthError('無法連線到服務，請檢查網路後再試。', 'Cannot reach the service; check the network and try again.');
      });
  }
  return configPromise;
}

// Keycloak's endpoints under the issuer; fixed paths spare a discovery request (and its CORS).
const endpoint = (config, name) => `${config.issuer.replace(/\/+$/, '')}/protocol/openid-connect/${name}`;

const base64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

function randomString(size) {
  return base64url(crypto.getRandomValues(new Uint8Array(size)));
}

async function challenge(verifier) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** The page itself, without query or fragment: the realm's redirect URIs name the pages. */
const redirectUri = () => location.origin + location.pathname;

/** A JWT's claims, for display only (the service verifies tokens, the page does not need to). */
function claims(jwt) {
  try {
    const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(part), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return {};
  }
}

function stored() {
  try {
    return JSON.parse(sessionStorage.getItem(SESSION) ?? 'null');
  } catch {
    return null;
  }
}

function store(tokens, previous) {
  const now = Date.now();
  const idToken = tokens.id_token ?? previous?.idToken ?? null;
  const access = claims(tokens.access_token);
  const identity = idToken ? claims(idToken) : access;
  const session = {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token ?? null,
    idToken,
    expiresAt: now + (tokens.expires_in ?? 60) * 1000,
    refreshExpiresAt: tokens.refresh_expires_in ? now + tokens.refresh_expires_in * 1000 : null,
    name: identity.name || identity.preferred_username || access.preferred_username || '',
    username: identity.preferred_username || access.preferred_username || '',
    roles: access.realm_access?.roles ?? [],
  };
  sessionStorage.setItem(SESSION, JSON.stringify(session));
  return session;
}

/** Forgets the session in this tab (Keycloak's own session stays until logout()). */
export function forget() {
  sessionStorage.removeItem(SESSION);
}

/** Who is signed in, for display: {name, username, roles}, or null. */
export function currentUser() {
  const session = stored();
  if (!session) {
    return null;
  }
  const lapsed = Date.now() >= session.expiresAt && !(session.refreshToken && (!session.refreshExpiresAt || Date.now() < session.refreshExpiresAt));
  if (lapsed) {
    forget();
    return null;
  }
  return { name: session.name, username: session.username, roles: session.roles };
}

/** Sends the browser to Keycloak's login page; it comes back to this page with a code. */
export async function login() {
  if (!window.crypto?.subtle) {
    throw new AuthError('此頁面需以 HTTPS 開啟才能登入。', 'Signing in needs this page to be opened over HTTPS.');
  }
  const config = await webConfig();
  const verifier = randomString(32);
  const state = randomString(16);
  const nonce = randomString(16);
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, nonce, redirectUri: redirectUri() }));
  const url = new URL(endpoint(config, 'auth'));
  url.search = new URLSearchParams({
    client_id: config.clientId,
    response_type: 'code',
    redirect_uri: redirectUri(),
    scope: 'openid',
    state,
    nonce,
    code_challenge: await challenge(verifier),
    code_challenge_method: 'S256',
    ui_locales: 'zh-TW en',
  }).toString();
  location.assign(url.toString());
}

/**
 * Finishes a sign-in when Keycloak sent the browser back here (?code=...&state=...): redeems the code
 * with its verifier. Returns true if it did. The code leaves the address bar first, so it is neither
 * bookmarked nor kept in the history.
 */
export async function completeLogin() {
  const params = new URLSearchParams(location.search);
  if (!params.has('state') || !(params.has('code') || params.has('error'))) {
    return false;
  }
  history.replaceState(null, '', location.pathname);
  let pending = null;
  try {
    pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null');
  } catch {
    pending = null;
  }
  sessionStorage.removeItem(PENDING);
  if (!pending || pending.state !== params.get('state')) {
    throw new AuthError('登入回應與本頁的登入要求不符，請重新登入。', 'The sign-in answer does not belong to this page\'s request; please sign in again.');
  }
  if (params.has('error')) {
    throw new AuthError('登入未完成，請重新登入。', `Signing in did not complete (${params.get('error')}); please sign in again.`);
  }
  const config = await webConfig();
  const tokens = await tokenRequest(config, {
    grant_type: 'authorization_code',
    code: params.get('code'),
    redirect_uri: pending.redirectUri,
    client_id: config.clientId,
    code_verifier: pending.verifier,
  });
  if (tokens.id_token && claims(tokens.id_token).nonce !== pending.nonce) {
    throw new AuthError('登入回應無效，請重新登入。', 'The sign-in answer is not valid; please sign in again.');
  }
  store(tokens, null);
  return true;
}

async function tokenRequest(config, form) {
  let response;
  try {
    response = await fetch(endpoint(config, 'token'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams(form),
      cache: 'no-store',
    });
  } catch {
    throw new AuthError('無法連線到登入服務，請稍後再試。', 'Cannot reach the sign-in service; please try again later.');
  }
  if (!response.ok) {
    throw new AuthError('登入失敗或已逾時，請重新登入。', `Signing in failed or expired (HTTP ${response.status}); please sign in again.`);
  }
  return response.json();
}

/** A valid access token (renewed with the refresh token when due), or null when signed out. */
export async function accessToken() {
  const session = stored();
  if (!session) {
    return null;
  }
  if (Date.now() < session.expiresAt - EARLY_MS) {
    return session.accessToken;
  }
  if (!session.refreshToken || (session.refreshExpiresAt && Date.now() >= session.refreshExpiresAt - 5000)) {
    forget();
    return null;
  }
  if (refreshing === null) {
    refreshing = (async () => {
      try {
        const config = await webConfig();
        const tokens = await tokenRequest(config, {
          grant_type: 'refresh_token',
          refresh_token: session.refreshToken,
          client_id: config.clientId,
        });
        return store(tokens, session).accessToken;
      } catch {
        forget();
        return null;
      } finally {
        refreshing = null;
      }
    })();
  }
  return refreshing;
}

/** Ends the session here and at Keycloak, then comes back to this page signed out. */
export async function logout() {
  const session = stored();
  forget();
  const config = await webConfig();
  const url = new URL(endpoint(config, 'logout'));
  const params = new URLSearchParams({ client_id: config.clientId, post_logout_redirect_uri: redirectUri() });
  if (session?.idToken) {
    params.set('id_token_hint', session.idToken);
  }
  url.search = params.toString();
  location.assign(url.toString());
}
