// The action's main step: trade the job's OIDC token for a short-lived secr access token (RFC 8693 token exchange)
// and hand an environment's secrets to the rest of the job, every value masked before anything could print it.
// Fails closed: the first problem is an ::error:: line naming what to fix, exit code 1, and no secret exported.
import * as fs from 'node:fs';
import * as core from '@actions/core';
import { SecrError, State, field, getWithToken, mask, postForm, serverUrl } from './secr.js';

async function run() {
  const { server, audience, project, environment, scope, exportTo, revoke } = readInputs();
  requireRunnerFiles(exportTo);

  // 1. The job's OIDC token, for the server's audience (its issuer URL). Without `id-token: write` the runner does not
  //    give the step the request URL and token at all.
  if (!process.env.ACTIONS_ID_TOKEN_REQUEST_URL || !process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
    throw new SecrError("the job has no OIDC token: give it 'permissions: id-token: write' (pull_request jobs from forks never get one)");
  }
  let jobToken;
  try {
    jobToken = await core.getIDToken(audience);
  } catch (error) {
    // The toolkit's message spreads over indented lines; one line reads better in an annotation.
    throw new SecrError(`GitHub refused the OIDC token request: ${String(error?.message ?? error).replace(/\s+/g, ' ').trim()}`);
  }
  mask(jobToken); // getIDToken has masked it already; this does not depend on that

  // 2. RFC 8693 token exchange at the server's token endpoint.
  const form = {
    grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    subject_token: jobToken
  };
  if (scope) {
    form.scope = scope;
  }
  const exchange = await postForm(server, '/connect/token', form);
  if (exchange.status !== 200) {
    throw new SecrError(
      `the server refused the token exchange (HTTP ${exchange.status} ${field(exchange.body, 'error')}): ${field(exchange.body, 'error_description')}`);
  }
  const accessToken = field(exchange.body, 'access_token');
  if (!accessToken) {
    throw new SecrError("the server's answer holds no access token");
  }
  mask(accessToken);
  // For the post step: it revokes the token at the end of the job, even when a later step failed. With revoke: false
  // the token is not saved at all.
  core.saveState(State.server, server);
  core.saveState(State.revoke, String(revoke));
  if (revoke) {
    core.saveState(State.token, accessToken);
  }
  core.setOutput('access-token', accessToken);
  if (!project) {
    core.info('secr: access token obtained (output access-token); no project and environment given, no secrets exported');
    return;
  }

  // 3. The environment's secrets: every value masked first, then all of them exported.
  const read = await getWithToken(server, `/v1/secrets/${encodeURIComponent(project)}/${encodeURIComponent(environment)}`, accessToken);
  if (read.status !== 200) {
    throw new SecrError(
      `the server refused to read ${project}/${environment} (HTTP ${read.status} ${field(read.body, 'code')}): ${field(read.body, 'detail')}`);
  }
  const secrets = read.body.secrets;
  if (!secrets || typeof secrets !== 'object' || Array.isArray(secrets)) {
    throw new SecrError("the server's answer holds no secrets");
  }
  const entries = Object.entries(secrets);
  const notText = entries.filter(([, value]) => typeof value !== 'string').map(([key]) => key);
  if (notText.length > 0) {
    throw new SecrError(`the server's answer holds values that are not strings: ${notText.join(' ')}`);
  }
  for (const [, value] of entries) {
    mask(value);
  }
  for (const [key, value] of entries) {
    if (exportTo === 'outputs') {
      core.setOutput(key, value);
    } else {
      core.exportVariable(key, value);
    }
  }
  const keys = entries.map(([key]) => key);
  core.info(`secr: ${keys.length} secret(s) of ${project}/${environment} exported to ${exportTo}${keys.length ? `: ${keys.join(' ')}` : ''}`);
}

/** The inputs, checked before anything is requested. */
function readInputs() {
  const serverInput = core.getInput('server');
  if (!serverInput) {
    throw new SecrError('the server input is required, e.g. https://secr.example.com');
  }
  const server = serverUrl(serverInput);
  const project = core.getInput('project');
  const environment = core.getInput('environment');
  if (!project !== !environment) {
    throw new SecrError('give both project and environment, or neither (to get only the access token)');
  }
  const exportTo = core.getInput('export-to') || 'env';
  if (exportTo !== 'env' && exportTo !== 'outputs') {
    throw new SecrError(`export-to must be env or outputs, not '${exportTo}'`);
  }
  const revokeInput = (core.getInput('revoke') || 'true').toLowerCase();
  if (revokeInput !== 'true' && revokeInput !== 'false') {
    throw new SecrError(`revoke must be true or false, not '${core.getInput('revoke')}'`);
  }
  return {
    server,
    // The server's issuer URL as its discovery publishes it.
    audience: core.getInput('audience') || `${server}/`,
    project,
    environment,
    scope: core.getInput('scope'),
    exportTo,
    revoke: revokeInput === 'true'
  };
}

/**
 * The runner's files for outputs, environment variables and post-step state. Without them @actions/core would print
 * a value as a workflow command to the log instead (or throw halfway through the exports), so their absence stops
 * the step first.
 */
function requireRunnerFiles(exportTo) {
  const names = [...(exportTo === 'env' ? ['GITHUB_ENV'] : []), 'GITHUB_OUTPUT', 'GITHUB_STATE'];
  const missing = names.filter(name => !process.env[name] || !fs.existsSync(process.env[name]));
  if (missing.length === 1) {
    throw new SecrError(`${missing[0]} is not set or names no file: run this inside a GitHub Actions job`);
  }
  if (missing.length > 1) {
    const list = `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)}`;
    throw new SecrError(`${list} are not set or name no file: run this inside a GitHub Actions job`);
  }
}

try {
  await run();
} catch (error) {
  // A SecrError says what to fix; anything else is a bug here, reported by its message (which names no credential).
  core.setFailed(`secr: ${error instanceof SecrError ? error.message : `unexpected error: ${error?.message ?? error}`}`);
}
