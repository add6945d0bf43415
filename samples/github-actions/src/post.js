// The action's post step, run at the end of the job whether it succeeded or not (post-if: always()): revokes the
// access token main obtained (RFC 7009), so it is refused from then on rather than until it expires. A failure to
// revoke is a warning, never the job's failure: the token still expires on its own.
import * as core from '@actions/core';
import { SecrError, State, field, postForm } from './secr.js';

async function run() {
  const token = core.getState(State.token);
  if (!token) {
    core.info(core.getState(State.revoke) === 'false'
      ? 'secr: revoke is false; the access token stays valid until it expires'
      : 'secr: no access token to revoke');
    return;
  }
  const server = core.getState(State.server);
  if (!server) {
    throw new SecrError('the main step saved no server URL');
  }
  // RFC 7009 §2.1: the token in the form body, no client authentication; 200 whether or not the server knew it.
  const answer = await postForm(server, '/connect/revoke', { token, token_type_hint: 'access_token' });
  if (answer.status !== 200) {
    const error = field(answer.body, 'error');
    const description = field(answer.body, 'error_description');
    throw new SecrError(`HTTP ${answer.status}${error ? ` ${error}` : ''}${description ? `: ${description}` : ''}`);
  }
  core.info('secr: access token revoked');
}

try {
  await run();
} catch (error) {
  const reason = error instanceof SecrError ? error.message : `unexpected error: ${error?.message ?? error}`;
  core.warning(`secr: could not revoke the access token (${reason}); it stays valid until it expires`);
}
