/**
 * `npm run bench:scale`: callback throughput (saves/s) of one and of two Strapi instances sharing
 * one PostgreSQL database, over real HTTP on 127.0.0.1, with Strapi's own REST write (POST
 * /api/articles, API token) measured the same way in the same run as the reference for what the
 * machine and Strapi themselves scale to.
 *
 * Two `strapi start` processes of the playground (A and B, see tests/helpers/instances.ts) run
 * throughout on a fresh database; the one-instance rounds send everything to A, the two-instance
 * rounds alternate requests between A and B (a round-robin load balancer). Rounds alternate 1, 2,
 * 1, 2… so drift in the machine affects both alike; each figure is the median over its rounds.
 * Callbacks: CHARTS charts, one edit session each, every save a different ~10 KB def, at most
 * CONCURRENCY in flight; pruning is active throughout (revisionsKept 10, reached in the warm-up).
 *
 * Needs PostgreSQL (scripts/postgres.ts starts Debian's local cluster when root), the plugin built
 * and the playground compiled (`npm run build:all -- --no-admin`). The load generator runs on the
 * same machine as both instances and PostgreSQL: on a 2-core machine the second instance has
 * little spare CPU to use, and the ratio says so.
 *
 * Prints one line per round, the medians, `RATIO two_vs_one_instance_rest_create`, and last
 * `RATIO two_vs_one_instance_saves <two-instance saves/s / one-instance saves/s>`.
 */
import os from 'os';
import { randomUUID } from 'crypto';
import { createDatabase, ensurePostgres } from '../scripts/postgres';
import {
  adminApi,
  configurePlugin,
  limiter,
  openSession,
  pushSave,
  registerFirstAdmin,
  startInstance,
  type Instance,
} from '../tests/helpers/instances';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SAVES = Number(process.env.BENCH_SAVES ?? 400);
const CHARTS = Number(process.env.BENCH_CHARTS ?? 32);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const KEPT = 10;

const median = (values: number[]): number => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** A mind-map-like def of about 10 KB, different for every `n`. */
const defOf = (n: number): string =>
  JSON.stringify({
    id: 'root',
    title: `bench save ${n}`,
    children: Array.from({ length: 60 }, (_, i) => ({ id: `n${i}`, title: `节点 ${i} of save ${n}: "span" & 100%`, children: [] })),
  });

/** Runs `count` requests through `send`, CONCURRENCY at a time; answers requests per second. */
const throughput = async (count: number, send: (i: number) => Promise<void>): Promise<number> => {
  const run = limiter(CONCURRENCY);
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: count }, (_, i) => run(() => send(i))));
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
};

const main = async () => {
  await ensurePostgres();
  const db = await createDatabase('bench');
  const instances: Instance[] = [];
  try {
    const env = { ...db.env, PROCESSON_REVISIONS_KEPT: String(KEPT) };
    instances.push(await startInstance('processon-a', env));
    instances.push(await startInstance('processon-b', env));
    const [a, b] = instances;
    const token = await registerFirstAdmin(a.url);
    await configurePlugin(a.url, token, a.url);
    const charts = await Promise.all(
      Array.from({ length: CHARTS }, async () => openSession(a.url, token, randomUUID()))
    );
    const apiToken = await adminApi<{ data: { accessKey: string } }>(a.url, token, 'POST', '/admin/api-tokens', {
      name: 'bench:scale',
      type: 'full-access',
      lifespan: null,
      description: '',
    });
    if (apiToken.status !== 201) throw new Error(`api token: ${apiToken.status} ${JSON.stringify(apiToken.body)}`);

    let n = 0;
    const save = async (via: Instance): Promise<void> => {
      n += 1;
      const chart = charts[n % CHARTS];
      const res = await pushSave(chart.callbackUrl, via.url, { chartid: chart.chartid, def: defOf(n) });
      if (res.status !== 200 || res.text !== 'success') throw new Error(`callback on ${via.name}: ${res.status} ${res.text}`);
    };
    const create = async (via: Instance): Promise<void> => {
      n += 1;
      const res = await fetch(`${via.url}/api/articles`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiToken.body.data.accessKey}` },
        body: JSON.stringify({ data: { title: `bench article ${n}`, body: defOf(n) } }),
      });
      if (res.status !== 201 && res.status !== 200) throw new Error(`REST create on ${via.name}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    const pick = (count: number) => (i: number) => instances[count === 1 ? 0 : i % 2];

    // Warm-up: every chart past revisionsKept (pruning from then on), JIT and pools warm on both.
    await throughput(CHARTS * (KEPT + 2), (i) => save(pick(2)(i)));
    await throughput(100, (i) => create(pick(2)(i)));

    const results = { saves: { 1: [] as number[], 2: [] as number[] }, rest: { 1: [] as number[], 2: [] as number[] } };
    const lines: string[] = [
      `PostgreSQL ${db.name}, instances ${a.url} and ${b.url}, ${os.cpus().length} CPU cores shared by both, PostgreSQL and this load generator`,
      `${ROUNDS} rounds per configuration, ${SAVES} requests per round, ${CONCURRENCY} in flight, callbacks over ${CHARTS} charts (revisionsKept ${KEPT})`,
    ];
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const count of round % 2 === 0 ? [1, 2] : [2, 1]) {
        const via = pick(count);
        const saves = await throughput(SAVES, (i) => save(via(i)));
        const rest = await throughput(SAVES, (i) => create(via(i)));
        results.saves[count as 1 | 2].push(saves);
        results.rest[count as 1 | 2].push(rest);
        lines.push(`round ${round + 1}, ${count} instance${count === 1 ? ' ' : 's'}: callbacks ${saves.toFixed(1)} saves/s, REST create ${rest.toFixed(1)} req/s`);
      }
    }
    const med = {
      saves1: median(results.saves[1]),
      saves2: median(results.saves[2]),
      rest1: median(results.rest[1]),
      rest2: median(results.rest[2]),
    };
    // Every chart keeps exactly revisionsKept revisions.
    const sql = await db.connect();
    const { rows } = await sql.query<{ chartid: string; count: string }>(
      'SELECT chartid, count(*) AS count FROM processon_revisions GROUP BY chartid'
    );
    await sql.end();
    const wrong = rows.filter((row) => Number(row.count) !== KEPT);
    if (rows.length !== CHARTS || wrong.length > 0) throw new Error(`revisions per chart: ${JSON.stringify(rows)}`);

    lines.push(
      `median callbacks: 1 instance ${med.saves1.toFixed(1)} saves/s, 2 instances ${med.saves2.toFixed(1)} saves/s`,
      `median REST create (Strapi's own): 1 instance ${med.rest1.toFixed(1)} req/s, 2 instances ${med.rest2.toFixed(1)} req/s`,
      `RATIO two_vs_one_instance_rest_create ${(med.rest2 / med.rest1).toFixed(3)}`,
      `RATIO two_vs_one_instance_saves ${(med.saves2 / med.saves1).toFixed(3)}`
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await Promise.allSettled(instances.map((instance) => instance.stop()));
    await db.drop();
  }
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:scale failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  }
);
