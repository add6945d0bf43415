// What main.js and post.js share: the state they pass, masking, and HTTP to the secr server with Node's fetch.
// Tokens travel in request headers and bodies only, never in a command line other processes could read, and no
// message built here holds one.
import * as core from '@actions/core';

/** The names main saves with core.saveState; the runner hands them to post as STATE_<name>. */
export const State = Object.freeze({ token: 'token', server: 'server', revoke: 'revoke' });

/** How long one request to the server may take, as the composite action's curl --max-time did. */
const timeoutMs = 30_000;

/** A refusal to report as `secr: <message>`: it names what to fix and never a credential. */
export class SecrError extends Error {}

/**
 * Registers a value with the runner's log masker: the whole value and, since the runner masks the log line by line,
 * each line of a multi-line value on its own. Blank lines (and blank values) are skipped: masking whitespace would
 * blank out the whole log.
 */
export function mask(value) {
  if (!/\S/.test(value)) {
    return;
  }
  core.setSecret(value);
  if (value.includes('\n')) {
    for (const line of value.split('\n')) {
      const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
      if (/\S/.test(trimmed)) {
        core.setSecret(trimmed);
      }
    }
  }
}

/** The server's base URL without a trailing slash; refuses anything that is not an http(s) URL. */
export function serverUrl(input) {
  const server = input.replace(/\/+$/, '');
  let url;
  try {
    url = new URL(server);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new SecrError(`the server input must be an http(s) URL, not '${input}'`);
  }
  return server;
}

/** POSTs an application/x-www-form-urlencoded body; see send. */
export function postForm(server, path, fields) {
  return send(server, path, { method: 'POST', body: new URLSearchParams(fields) });
}

/** GETs with the access token as bearer; see send. */
export function getWithToken(server, path, accessToken) {
  return send(server, path, { method: 'GET', headers: { Authorization: `Bearer ${accessToken}` } });
}

/**
 * One request to the server: its HTTP status and its body parsed as JSON ({} when it is not JSON). A connection
 * failure or timeout is a SecrError naming the server only (fetch's own error could echo the request).
 */
async function send(server, path, init) {
  let response;
  let text;
  try {
    response = await fetch(`${server}${path}`, {
      ...init,
      headers: { Accept: 'application/json', ...init.headers },
      // A redirect is reported as its status rather than followed: it would carry the token somewhere else.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs)
    });
    text = await response.text();
  } catch {
    throw new SecrError(`the server ${server} could not be reached`);
  }
  let body = {};
  try {
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed === 'object') {
      body = parsed;
    }
  } catch {
    // Not JSON (a proxy's error page): the fields read from it are empty, as jq's `// empty` made them.
  }
  return { status: response.status, body };
}

/** A field of a JSON body as a string, '' when it is absent or not a string. */
export function field(body, name) {
  const value = body[name];
  return typeof value === 'string' ? value : '';
}
