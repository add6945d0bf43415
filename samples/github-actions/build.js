// npm run build: bundles src/main.js and src/post.js with @actions/core into dist/main.js and dist/post.js, single
// files that run with no node_modules (the runner runs them straight from the repository, so dist is committed).
import { writeFileSync } from 'node:fs';
import { build } from 'esbuild';

await build({
  entryPoints: ['src/main.js', 'src/post.js'],
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20', // action.yml runs node24; node20 is the oldest Node that must run the bundles
  format: 'esm',
  // Some of @actions/core's dependencies (@actions/http-client's tunnel and undici) are CommonJS and require Node's
  // own modules, which an ES module bundle can only do through a require it makes itself.
  banner: { js: "import { createRequire as __secrCreateRequire } from 'node:module';\nconst require = __secrCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'info'
});

// dist/*.js are ES modules whatever directory they are copied into.
writeFileSync('dist/package.json', `${JSON.stringify({ type: 'module' }, null, 2)}\n`);
