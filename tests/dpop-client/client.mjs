// A DPoP client as a third party writes one, with panva's `dpop` library (RFC 9449), against a running secr server.
// It trades an agent token for a DPoP-bound access token, reads a secret with it, then presents it every wrong way,
// and prints what the server answered to each as one JSON object for DpopClientLibraryTests to judge.
// Usage: SECR_URL=http://127.0.0.1:PORT SECR_AGENT_TOKEN=secr_agent_… SECR_SECRET=payments/prod/DB_URL node client.mjs
import * as DPoP from 'dpop';

const base = process.env.SECR_URL;
const tokenUrl = `${base}/connect/token`;
const secretUrl = `${base}/v1/secrets/${process.env.SECR_SECRET}`;
const keypair = await DPoP.generateKeyPair('ES256');
const other = await DPoP.generateKeyPair('ES256');

async function answer(response) {
  const text = await response.text();
  let body;
  try { body = JSON.parse(text); } catch { body = text; }
  return { status: response.status, challenge: response.headers.get('www-authenticate'), body };
}

const grant = await fetch(tokenUrl, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', DPoP: await DPoP.generateProof(keypair, tokenUrl, 'POST') },
  body: new URLSearchParams({ grant_type: 'urn:secr:params:oauth:grant-type:agent-token', token: process.env.SECR_AGENT_TOKEN }),
});
const granted = await answer(grant);
const token = granted.body.access_token;

const read = (authorization, proof) =>
  fetch(secretUrl, { headers: { authorization, ...(proof === undefined ? {} : { DPoP: proof }) } }).then(answer);

const proof = await DPoP.generateProof(keypair, secretUrl, 'GET', undefined, token);
const results = {
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
console.log(JSON.stringify(results));
