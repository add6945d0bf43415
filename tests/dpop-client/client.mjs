// A DPoP client as a third party writes one, with panva's `dpop` library (RFC 9449), against a running secr server.
// It trades an agent token for a DPoP-bound access token and reads a secret with it, then, by mode:
// - presentations (the default): presents the token every wrong way;
// - nonce (against a server that demands nonces): answers each nonce challenge by proving again with the nonce given.
// It prints what the server answered to each request as one JSON object for DpopClientLibraryTests to judge: statuses,
// challenges, error codes and the secret's test value, never a token.
// Usage: SECR_URL=http://127.0.0.1:PORT SECR_AGENT_TOKEN=secr_agent_… SECR_SECRET=payments/prod/DB_URL node client.mjs [presentations|nonce]
import * as DPoP from 'dpop';

const base = process.env.SECR_URL;
const tokenUrl = `${base}/connect/token`;
const secretUrl = `${base}/v1/secrets/${process.env.SECR_SECRET}`;
const keypair = await DPoP.generateKeyPair('ES256');

async function answer(response) {
  const text = await response.text();
  let body;
  try { body = JSON.parse(text); } catch { body = text; }
  return { status: response.status, challenge: response.headers.get('www-authenticate'), nonce: response.headers.get('dpop-nonce'), body };
}

const grant = async (nonce) => answer(await fetch(tokenUrl, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', DPoP: await DPoP.generateProof(keypair, tokenUrl, 'POST', nonce) },
  body: new URLSearchParams({ grant_type: 'urn:secr:params:oauth:grant-type:agent-token', token: process.env.SECR_AGENT_TOKEN }),
}));

const read = (authorization, proof) =>
  fetch(secretUrl, { headers: { authorization, ...(proof === undefined ? {} : { DPoP: proof }) } }).then(answer);

async function presentations() {
  const granted = await grant();
  const token = granted.body.access_token;
  const other = await DPoP.generateKeyPair('ES256');
  const proof = await DPoP.generateProof(keypair, secretUrl, 'GET', undefined, token);
  return {
    grant: { status: granted.status, token_type: granted.body.token_type, jkt: JSON.parse(Buffer.from(token.split('.')[1], 'base64url')).cnf?.jkt,
             thumbprint: await DPoP.calculateThumbprint(keypair.publicKey) },
    accepted: await read(`DPoP ${token}`, proof),
    replayed: await read(`DPoP ${token}`, proof),
    wrong_htu: await read(`DPoP ${token}`, await DPoP.generateProof(keypair, `${base}/v1/secrets/other/prod/DB_URL`, 'GET', undefined, token)),
    wrong_htm: await read(`DPoP ${token}`, await DPoP.generateProof(keypair, secretUrl, 'PUT', undefined, token)),
    missing_ath: await read(`DPoP ${token}`, await DPoP.generateProof(keypair, secretUrl, 'GET')),
    other_key: await read(`DPoP ${token}`, await DPoP.generateProof(other, secretUrl, 'GET', undefined, token)),
    no_proof: await read(`DPoP ${token}`),
    as_bearer: await read(`Bearer ${token}`),
  };
}

// RFC 9449 §8 (token endpoint: 400 use_dpop_nonce) and §9 (resource: 401 with a DPoP use_dpop_nonce challenge).
const nonceChallenge = (answered) => answered.nonce !== null &&
  ((answered.status === 400 && answered.body?.error === 'use_dpop_nonce') || (answered.status === 401 && /^DPoP .*error="use_dpop_nonce"/.test(answered.challenge ?? '')));

// Sends with a proof made for `nonce` (none when undefined) and, when challenged for a nonce, once more with the
// nonce the challenge gave. Returns each attempt as printed, the last answer and the nonce to use next.
async function withNonceRetry(send, nonce) {
  const attempts = [];
  for (;;) {
    const answered = await send(nonce);
    attempts.push({ status: answered.status, sent_nonce: nonce !== undefined, error: answered.body?.error ?? null, code: answered.body?.code ?? null,
                    challenge: answered.challenge, nonce_given: answered.nonce !== null });
    if (attempts.length === 2 || !nonceChallenge(answered)) {
      return { attempts, last: answered, nonce: answered.nonce ?? nonce };
    }
    nonce = answered.nonce;
  }
}

async function nonceChallenges() {
  const granted = await withNonceRetry(grant);
  const token = granted.last.body.access_token;
  const readWith = async (nonce) => read(`DPoP ${token}`, await DPoP.generateProof(keypair, secretUrl, 'GET', nonce, token));
  // The token response gives a nonce for the next proofs: the server takes it at the secrets API as well.
  const withTokenNonce = await withNonceRetry(readWith, granted.nonce);
  // A client that keeps the authorization server's and the resource's nonces apart (§9) has none for the API yet.
  const withoutNonce = await withNonceRetry(readWith);
  const printed = (step) => ({ attempts: step.attempts, value: step.last.body?.value ?? null });
  return {
    grant: { attempts: granted.attempts, token_type: granted.last.body.token_type ?? null },
    read_with_token_response_nonce: printed(withTokenNonce),
    read_without_nonce: printed(withoutNonce),
  };
}

const modes = { presentations, nonce: nonceChallenges };
console.log(JSON.stringify(await modes[process.argv[2] ?? 'presentations']()));
