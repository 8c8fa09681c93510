// Checks the Dockerfiles without a Docker engine (none is reachable here), and runs the published apps the way the
// images run them. Called by infra/docker/verify.sh after scripts/publish.sh has published into PUBLISH_DIR.
//
//  1. Every COPY source exists: in the repository (the build context is its root, minus .dockerignore) or, for
//     COPY --from=build, in the publish output (/out in the build stage is PUBLISH_DIR here).
//  2. The runtime stage runs as a non-root USER, has a HEALTHCHECK and an ENTRYPOINT inside the copied folder.
//  3. Each app runs from its publish folder as the container would: the Dockerfile's ENV and the aspnet base image's
//     (ASPNETCORE_HTTP_PORTS), ENTRYPOINT + CMD, a non-root user (nobody, when this runs as root), and its HEALTHCHECK
//     command must exit 0 while it runs and 1 once it is gone. PhoneAgent is pointed at the emulator as in
//     docker-compose.yml; /readyz must answer "ready", and SIGTERM must stop it cleanly.
// The only change from the image is the port: 8080 becomes a free port, as `docker run -p` would map it.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const [publishDir] = process.argv.slice(2);
if (!publishDir) {
  console.error('usage: node verify.mjs PUBLISH_DIR');
  process.exit(2);
}

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const failures = [];
const fail = (message) => { failures.push(message); console.error(`FAIL ${message}`); };
const ok = (message) => console.log(`ok   ${message}`);

/** Instructions of a Dockerfile: comments dropped, continuation lines joined. */
function parseDockerfile(file) {
  const text = fs.readFileSync(file, 'utf8').replace(/\\\r?\n/g, ' ');
  const stages = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [, keyword, rest] = line.match(/^(\S+)\s*(.*)$/);
    const instruction = { keyword: keyword.toUpperCase(), rest };
    if (instruction.keyword === 'FROM') {
      const [, image, name] = rest.match(/^(\S+)(?:\s+AS\s+(\S+))?/i);
      stages.push({ image, name, instructions: [] });
    } else {
      stages.at(-1).instructions.push(instruction);
    }
  }
  return stages;
}

/** Exec-form (JSON array) arguments, or the shell form as one argument. */
function execForm(rest) {
  return rest.trim().startsWith('[') ? JSON.parse(rest) : ['/bin/sh', '-c', rest];
}

function copyParts(rest) {
  const words = rest.trim().startsWith('[') ? JSON.parse(rest) : rest.split(/\s+/);
  const flags = Object.fromEntries(words.filter((w) => w.startsWith('--')).map((w) => w.slice(2).split('=')));
  const paths = words.filter((w) => !w.startsWith('--'));
  return { flags, sources: paths.slice(0, -1), dest: paths.at(-1) };
}

function dockerIgnored(relative) {
  const ignore = fs.readFileSync(path.join(root, '.dockerignore'), 'utf8').split(/\r?\n/)
    .map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const segments = relative.split('/');
  return ignore.some((pattern) => {
    const p = pattern.replace(/^\*\*\//, '').replace(/\/$/, '');
    return pattern.startsWith('**/') ? segments.includes(p) : segments[0] === p;
  });
}

function checkDockerfile(file) {
  const name = path.relative(root, file);
  const stages = parseDockerfile(file);
  const runtime = stages.at(-1);
  let appDir = null;
  for (const stage of stages) {
    for (const { keyword, rest } of stage.instructions) {
      if (keyword === 'ADD') fail(`${name}: use COPY, not ADD`);
      if (keyword !== 'COPY') continue;
      const { flags, sources, dest } = copyParts(rest);
      for (const source of sources) {
        if (flags.from) {
          const from = stages.find((s) => s.name === flags.from);
          const publishes = from?.instructions.some((i) => i.keyword === 'RUN' && /scripts\/publish\.sh\s+\/out\b/.test(i.rest));
          if (!publishes || !source.startsWith('/out/')) {
            fail(`${name}: COPY --from=${flags.from} ${source}: not the output of scripts/publish.sh /out in that stage`);
            continue;
          }
          const local = path.join(publishDir, source.slice('/out/'.length));
          if (fs.existsSync(local) && fs.readdirSync(local).length > 0) {
            ok(`${name}: COPY --from=${flags.from} ${source} (publish output ${local})`);
            if (stage === runtime) appDir = { local, dest };
          } else {
            fail(`${name}: COPY --from=${flags.from} ${source}: missing or empty in the publish output (${local})`);
          }
        } else {
          const relative = source.replace(/^\.\//, '').replace(/\/$/, '');
          if (!fs.existsSync(path.join(root, relative))) fail(`${name}: COPY ${source}: not in the repository`);
          else if (dockerIgnored(relative)) fail(`${name}: COPY ${source}: excluded by .dockerignore`);
          else ok(`${name}: COPY ${source}`);
        }
      }
    }
  }

  const last = (keyword) => runtime.instructions.filter((i) => i.keyword === keyword).at(-1)?.rest;
  const user = last('USER');
  if (!user || /^(root|0)(:|$)/.test(user)) fail(`${name}: the runtime stage must set a non-root USER (has ${user ?? 'none'})`);
  else ok(`${name}: runs as USER ${user}`);
  if (!/^mcr\.microsoft\.com\/dotnet\/aspnet:10\.0/.test(runtime.image)) fail(`${name}: runtime image ${runtime.image} is not the aspnet 10.0 runtime`);
  const workdir = last('WORKDIR') ?? '/';
  const healthcheck = last('HEALTHCHECK');
  const entrypoint = last('ENTRYPOINT');
  if (!healthcheck || !entrypoint || !appDir) {
    fail(`${name}: the runtime stage needs COPY --from=build of the app, HEALTHCHECK and ENTRYPOINT`);
    return null;
  }

  const env = {};
  for (const { rest } of runtime.instructions.filter((i) => i.keyword === 'ENV')) {
    for (const [, key, value] of rest.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[key] = value.replace(/^"|"$/g, '');
  }

  const appRoot = path.posix.resolve(workdir, appDir.dest);
  const mapPath = (arg) => (arg.startsWith(appRoot + '/') ? path.join(appDir.local, arg.slice(appRoot.length + 1)) : arg);
  const entry = execForm(entrypoint).map(mapPath);
  if (!fs.existsSync(entry[0])) fail(`${name}: ENTRYPOINT ${entry[0]} is not in the publish output`);
  return {
    name,
    dir: appDir.local,
    env,
    entry,
    cmd: last('CMD') ? execForm(last('CMD')) : [],
    healthcheck: execForm(healthcheck.replace(/^(--\S+\s+)*CMD\s+/, '')).map(mapPath),
  };
}

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const asNonRoot = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

/** The aspnet base image's environment plus the machine's dotnet; 8080 mapped to the free port. */
function containerEnv(image, port, extra) {
  const dotnet = fs.realpathSync(spawnSync('sh', ['-c', 'command -v dotnet'], { encoding: 'utf8' }).stdout.trim());
  return {
    PATH: process.env.PATH,
    DOTNET_ROOT: path.dirname(dotnet),
    HOME: '/tmp',
    ASPNETCORE_HTTP_PORTS: String(port),
    DOTNET_RUNNING_IN_CONTAINER: 'true',
    ...image.env,
    ...extra,
  };
}

const mapPort = (port) => (arg) => arg.replaceAll(':8080', `:${port}`);

function healthcheck(image, env, port) {
  const [command, ...args] = image.healthcheck.map(mapPort(port));
  return spawnSync(command, args, { env, encoding: 'utf8', timeout: 15000, ...asNonRoot });
}

async function start(image, port, extra) {
  const env = containerEnv(image, port, extra);
  const [command, ...args] = [...image.entry, ...image.cmd].map(mapPort(port));
  const log = [];
  const child = spawn(command, args, { env, cwd: image.dir, stdio: ['ignore', 'pipe', 'pipe'], ...asNonRoot });
  child.stdout.on('data', (d) => log.push(d.toString()));
  child.stderr.on('data', (d) => log.push(d.toString()));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const started = Date.now();
  let last;
  while (Date.now() - started < 60000) {
    last = healthcheck(image, env, port);
    if (last.status === 0) {
      ok(`${image.name}: HEALTHCHECK exits 0 (${last.stdout.trim()}) as uid ${asNonRoot.uid ?? process.getuid()}`);
      return { child, env, exited, log };
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  fail(`${image.name}: HEALTHCHECK never exited 0 (last: ${last?.status} ${last?.stderr?.trim()})\n${log.join('')}`);
  child.kill('SIGKILL');
  return null;
}

async function stop(image, run, port) {
  run.child.kill('SIGTERM');
  const result = await Promise.race([run.exited, new Promise((r) => setTimeout(() => r(null), 20000))]);
  if (result?.code === 0) ok(`${image.name}: SIGTERM: exited 0`);
  else {
    fail(`${image.name}: SIGTERM: ${result ? `exit ${result.code} ${result.signal ?? ''}` : 'still running after 20 s'}\n${run.log.join('')}`);
    run.child.kill('SIGKILL');
  }
  const after = healthcheck(image, run.env, port);
  if (after.status === 1) ok(`${image.name}: HEALTHCHECK exits 1 once the app is gone`);
  else fail(`${image.name}: HEALTHCHECK exited ${after.status} with the app gone (expected 1)`);
}

// Parents of the publish folder must be traversable by the non-root user, as /app is in the image.
fs.chmodSync(publishDir, 0o755);

// The checker must be able to fail: a Dockerfile with a missing COPY source and a root user is refused.
{
  const probe = path.join(fs.mkdtempSync(path.join(publishDir, '..', 'dockerfile-probe-')), 'Broken.Dockerfile');
  fs.writeFileSync(probe, 'FROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY no-such-folder/ ./\nCOPY --from=build /out/Nothing/ ./\nUSER root\n');
  const before = failures.length;
  console.log('self-test: a broken Dockerfile must fail (the FAIL lines below are expected)');
  checkDockerfile(probe);
  const caught = failures.splice(before);
  fs.rmSync(path.dirname(probe), { recursive: true });
  if (caught.length >= 3) ok(`self-test: the broken Dockerfile was refused (${caught.length} findings)`);
  else fail(`self-test: the broken Dockerfile gave ${caught.length} findings, expected at least 3`);
}

const images = fs.readdirSync(path.join(root, 'infra/docker')).filter((f) => f.endsWith('.Dockerfile')).sort()
  .map((f) => checkDockerfile(path.join(root, 'infra/docker', f)));
const emulatorImage = images.find((i) => i?.name.includes('GeminiLiveEmulator'));
const agentImage = images.find((i) => i?.name.includes('PhoneAgent'));

if (emulatorImage && agentImage) {
  const emulatorPort = await freePort();
  const emulator = await start(emulatorImage, emulatorPort, {});
  if (emulator) {
    const agentPort = await freePort();
    // What docker-compose.yml passes: production settings, the emulator as the Gemini endpoint.
    const agent = await start(agentImage, agentPort, {
      PhoneAgent__PublicBaseUrl: 'https://agent.example.com',
      Twilio__AccountSid: 'AC00000000000000000000000000000000',
      Twilio__AuthToken: 'container-check-auth-token',
      Gemini__Backend: 'DeveloperApi',
      Gemini__ApiKey: 'container-check',
      Gemini__Endpoint: `ws://127.0.0.1:${emulatorPort}/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent`,
    });
    if (agent) {
      const ready = await fetch(`http://127.0.0.1:${agentPort}/readyz`);
      const body = await ready.text();
      if (ready.status === 200 && body === 'ready') ok(`${agentImage.name}: /readyz answers 200 ready`);
      else fail(`${agentImage.name}: /readyz answered ${ready.status} ${body}`);
      const metrics = await (await fetch(`http://127.0.0.1:${agentPort}/metrics`)).text();
      if (/^phoneagent_instance_calls_in_flight(\{[^}]*\})? 0$/m.test(metrics)) ok(`${agentImage.name}: /metrics serves phoneagent_instance_calls_in_flight 0`);
      else fail(`${agentImage.name}: /metrics lacks phoneagent_instance_calls_in_flight 0`);
      await stop(agentImage, agent, agentPort);
    }
    await stop(emulatorImage, emulator, emulatorPort);
  }
}

console.log(failures.length === 0 ? 'container checks: all passed' : `container checks: ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
