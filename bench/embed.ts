/**
 * `npm run bench:embed`: throughput and tail latency of the public view page of a published
 * article whose def is 200 KB, against Strapi's own `GET /api/articles/:documentId` of the same
 * article (which answers the same 200 KB inside its JSON), in one run, with autocannon on loopback.
 *
 * Strapi runs in a child process (bench/lib/embed-server.ts, NODE_ENV=production, SQLite) so that
 * autocannon, in this process, does not share its event loop. The two targets alternate in rounds
 * (after a warm-up of each), so drift in the machine affects both alike; each figure is the median
 * over the rounds. Also measured: the view page's conditional path (If-None-Match → 304).
 *
 * Last lines: RATIO embed_vs_rest_findone_rps <embed rps / REST rps> (target ≥ 1.0) and
 * RATIO embed_vs_rest_findone_p99 <embed p99 / REST p99> (target ≤ 1.0).
 */
import path from 'path';
import readline from 'readline';
import { spawn } from 'child_process';
import autocannon from 'autocannon';
import { bin, repoRoot } from '../scripts/lib';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

interface Target {
  name: string;
  path: string;
  headers?: Record<string, string>;
  expect: number;
}

interface Figures {
  rps: number;
  p99: number;
  p50: number;
  non2xx: number;
  errors: number;
}

const measure = (port: number, target: Target, seconds: number): Promise<Figures> =>
  new Promise((resolve, reject) => {
    autocannon(
      { url: `http://127.0.0.1:${port}${target.path}`, connections: CONNECTIONS, duration: seconds, headers: target.headers },
      (error, result) => {
        if (error) return reject(error);
        resolve({
          rps: result.requests.average,
          p99: result.latency.p99,
          p50: result.latency.p50,
          non2xx: result.non2xx,
          errors: result.errors,
        });
      }
    );
  });

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const main = async () => {
  const child = spawn(bin('tsx'), [path.join(repoRoot, 'bench', 'lib', 'embed-server.ts')], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (line.startsWith('BENCH-SERVER ')) resolve(line.slice('BENCH-SERVER '.length));
    });
    child.once('exit', (code) => reject(new Error(`the bench server exited with ${code}`)));
  });
  const { port, documentId, defBytes } = JSON.parse(first) as { port: number; documentId: string; defBytes: number };
  try {
    const view: Target = { name: 'embed view page', path: `/api/processon/view/articles/${documentId}?field=diagram`, expect: 200 };
    const rest: Target = { name: 'REST findOne', path: `/api/articles/${documentId}`, expect: 200 };
    const probe = await fetch(`http://127.0.0.1:${port}${view.path}`);
    const etag = probe.headers.get('etag');
    const viewBytes = (await probe.text()).length;
    const restBytes = (await (await fetch(`http://127.0.0.1:${port}${rest.path}`)).text()).length;
    if (probe.status !== 200 || !etag) throw new Error(`the view page answered ${probe.status} without an ETag`);
    const conditional: Target = { name: 'embed view 304', path: view.path, headers: { 'If-None-Match': etag }, expect: 304 };
    const check304 = await fetch(`http://127.0.0.1:${port}${view.path}`, { headers: { 'If-None-Match': etag } });
    if (check304.status !== 304) throw new Error(`the conditional request answered ${check304.status}`);

    console.log(`def ${defBytes} bytes; view page ${viewBytes} chars, REST answer ${restBytes} chars`);
    console.log(`${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s per target, alternating`);
    for (const target of [view, rest]) await measure(port, target, 2); // warm-up
    const results = new Map<string, Figures[]>();
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const target of [view, rest, conditional]) {
        const figures = await measure(port, target, SECONDS);
        // A 304 counts as non-2xx for autocannon; any other status or error spoils the run.
        if (figures.errors > 0 || (target.expect === 200 && figures.non2xx > 0)) {
          throw new Error(`${target.name}: ${figures.errors} errors, ${figures.non2xx} non-2xx answers`);
        }
        results.set(target.name, [...(results.get(target.name) ?? []), figures]);
      }
    }
    const summary = (name: string) => {
      const runs = results.get(name) ?? [];
      return { rps: median(runs.map((r) => r.rps)), p99: median(runs.map((r) => r.p99)), p50: median(runs.map((r) => r.p50)) };
    };
    const e = summary(view.name);
    const r = summary(rest.name);
    const c = summary(conditional.name);
    for (const [name, s] of [[view.name, e], [rest.name, r], [conditional.name, c]] as const) {
      console.log(`${name.padEnd(16)} ${s.rps.toFixed(0).padStart(6)} req/s   p50 ${s.p50} ms   p99 ${s.p99} ms`);
    }
    console.log(`RATIO embed_vs_rest_findone_rps ${(e.rps / r.rps).toFixed(3)}`);
    console.log(`RATIO embed_vs_rest_findone_p99 ${(e.p99 / r.p99).toFixed(3)}`);
  } finally {
    child.stdin.end();
    await new Promise((resolve) => child.once('exit', resolve));
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
