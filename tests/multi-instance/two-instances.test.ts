/**
 * Two Strapi processes of the playground (`strapi start`, instances A and B on their own loopback
 * ports) sharing one PostgreSQL database, as behind a load balancer whose public URL leads to B:
 * edit sessions opened through A get their callbacks on B; 1,000 callbacks spread over both at once
 * all land, deduplicated and pruned exactly; killing B inside a save transaction leaves nothing
 * half-written and A keeps serving.
 *
 * Always PostgreSQL, whatever PROCESSON_TEST_DATABASE says (SQLite is one process's file). Needs the
 * plugin built and the playground compiled; `npm test` runs this in its PostgreSQL pass.
 */
import { createHash, randomUUID } from 'crypto';
import type { Client } from 'pg';
import { createDatabase, ensurePostgres, type PgDatabase } from '../../scripts/postgres';
import {
  adminApi,
  configurePlugin,
  limiter,
  openSession,
  pushSave,
  registerFirstAdmin,
  startInstance,
  type Instance,
} from '../helpers/instances';
import type { RevisionListResponse, SessionStateResponse } from '../../server/src/processon';

const KEPT = 20;

let db: PgDatabase;
let sql: Client;
let a: Instance;
let b: Instance;
let token: string;

beforeAll(async () => {
  await ensurePostgres();
  db = await createDatabase('mi');
  const env = { ...db.env, PROCESSON_REVISIONS_KEPT: String(KEPT) };
  // A first: it creates the schema of the fresh database; B then starts on it as it is.
  a = await startInstance('processon-a', env);
  b = await startInstance('processon-b', env);
  token = await registerFirstAdmin(a.url);
  await configurePlugin(a.url, token, b.url);
  sql = await db.connect();
}, 300_000);

afterAll(async () => {
  await sql?.end().catch(() => undefined);
  await Promise.allSettled([a?.stop(), b?.stop()]);
  await db?.drop();
}, 60_000);

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const defOf = (label: string, padding = 0) =>
  JSON.stringify({ id: 'root', title: label, note: 'x'.repeat(padding), children: [] });

/** What the failure output shows of a def: its title (the defs of the kill test are 200 KB). */
const titleOf = (def: string): string => (JSON.parse(def) as { title: string }).title;

interface StoredRow {
  id: number;
  document_id: string;
  def: string;
  sha256: string;
}

/** A chart's revisions as stored, oldest first, read straight from the shared database. */
const storedRevisions = async (chartid: string): Promise<StoredRow[]> =>
  (
    await sql.query<StoredRow>('SELECT id, document_id, def, sha_256 AS sha256 FROM processon_revisions WHERE chartid = $1 ORDER BY id', [
      chartid,
    ])
  ).rows;

const lastRevisionOf = async (sessionKey: string): Promise<string | null> =>
  (await sql.query<{ last_revision: string | null }>('SELECT last_revision FROM processon_edit_sessions WHERE session_key = $1', [sessionKey]))
    .rows[0]?.last_revision ?? null;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every 20 ms until it answers true, or fails after 20 s (with what `explain` says). */
const until = async (what: string, probe: () => Promise<boolean>, explain?: () => Promise<string>) => {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > 20_000) throw new Error(`timed out waiting for ${what}${explain ? `: ${await explain()}` : ''}`);
    await sleep(20);
  }
};

const SUCCESS = { status: 200, text: 'success' };

describe('two Strapi instances on one PostgreSQL database', () => {
  it('an edit session opened through A gets its callback on B, and A sees the new revision', async () => {
    const { sessionId, callbackUrl, chartid } = await openSession(a.url, token, randomUUID());
    expect(new URL(callbackUrl).origin).toBe(b.url);
    const def = defOf('saved through B');
    expect(await pushSave(callbackUrl, b.url, { chartid, def })).toEqual(SUCCESS);

    const state = await adminApi<SessionStateResponse>(a.url, token, 'GET', `/processon/sessions/${sessionId}`);
    expect(state.status).toBe(200);
    expect(state.body.data.revision).toMatchObject({ chartid, def, sha256: sha(def), source: 'callback', valid: true });
    const list = await adminApi<RevisionListResponse>(a.url, token, 'GET', `/processon/charts/${chartid}/revisions`);
    expect(list.status).toBe(200);
    expect(list.body.meta.pagination.total).toBe(1);
    expect(list.body.data[0]).toMatchObject({ id: state.body.data.revision?.id, sha256: sha(def), source: 'callback' });
    // The admin token A issued works on B too (Strapi keeps admin sessions in the database).
    const onB = await adminApi<SessionStateResponse>(b.url, token, 'GET', `/processon/sessions/${sessionId}`);
    expect(onB.body.data.revision?.id).toBe(state.body.data.revision?.id);
  });

  it('1,000 concurrent callbacks over A and B all answer success and leave exactly the expected revisions', async () => {
    const run = limiter(24);
    const via = (n: number) => (n % 2 === 0 ? a : b).url;
    const answers: { status: number; text: string }[] = [];
    const push = async (callbackUrl: string, instance: string, chartid: string, def: string) => {
      answers.push(await run(() => pushSave(callbackUrl, instance, { chartid, def })));
    };

    // 16 charts, each edited through two sessions (one opened through A, one through B): 25 rounds
    // of the same def pushed at once through both sessions, one copy to each instance. Identical
    // saves are stored once, and pruning keeps the newest KEPT rounds.
    const ROUNDS = 25;
    const charts = await Promise.all(
      Array.from({ length: 16 }, async (_, c) => {
        const first = await openSession(a.url, token, randomUUID());
        const { chartid } = first;
        // The same user reopening the new diagram (through B) keeps its chartid.
        const second = await openSession(b.url, token, chartid);
        expect(second.chartid).toBe(chartid);
        const sessions = [first, second];
        return { chartid, sessions, defs: Array.from({ length: ROUNDS }, (_, r) => defOf(`chart ${c} round ${r}`)) };
      })
    );
    const rounds = charts.map(async ({ chartid, sessions, defs }) => {
      for (const [r, def] of defs.entries()) {
        await Promise.all(sessions.map((s, k) => push(s.callbackUrl, via(r + k), chartid, def)));
      }
    });
    // One more chart takes 200 different saves at once, alternately on A and B.
    const busySession = await openSession(a.url, token, randomUUID());
    const busy = { chartid: busySession.chartid, defs: Array.from({ length: 200 }, (_, i) => defOf(`busy ${i}`)) };
    const flood = busy.defs.map((def, i) => push(busySession.callbackUrl, via(i), busy.chartid, def));

    const started = Date.now();
    await Promise.all([...rounds, ...flood]);
    const seconds = (Date.now() - started) / 1000;
    console.log(`1000 callbacks over two instances: ${seconds.toFixed(1)} s (${(1000 / seconds).toFixed(0)} saves/s)`);

    expect(answers).toHaveLength(1000);
    expect(answers.filter((x) => x.status !== SUCCESS.status || x.text !== SUCCESS.text)).toEqual([]);
    for (const { chartid, sessions, defs } of charts) {
      const rows = await storedRevisions(chartid);
      expect(rows.map((row) => titleOf(row.def))).toEqual(defs.slice(ROUNDS - KEPT).map(titleOf));
      for (const s of sessions) expect(await lastRevisionOf(s.sessionId)).toBe(rows[rows.length - 1].document_id);
    }
    const busyRows = await storedRevisions(busy.chartid);
    expect(busyRows).toHaveLength(KEPT);
    expect(busyRows.every((row) => busy.defs.includes(row.def))).toBe(true);
    expect(await lastRevisionOf(busySession.sessionId)).toBe(busyRows[KEPT - 1].document_id);
    // A's admin API counts the same.
    const list = await adminApi<RevisionListResponse>(a.url, token, 'GET', `/processon/charts/${busy.chartid}/revisions`);
    expect(list.body.meta.pagination.total).toBe(KEPT);
  }, 300_000);

  it('killing B inside a save transaction leaves no partial revision, and A keeps serving', async () => {
    const { sessionId, callbackUrl, chartid } = await openSession(a.url, token, randomUUID());
    const before = Array.from({ length: 5 }, (_, i) => defOf(`before the kill ${i}`, 200_000));
    for (const def of before) expect(await pushSave(callbackUrl, b.url, { chartid, def })).toEqual(SUCCESS);

    // Meanwhile A takes saves of another chart, without a pause, until the end of the test.
    const otherSession = await openSession(a.url, token, randomUUID());
    const other = otherSession.chartid;
    const onA: { status: number; text: string }[] = [];
    let stopA = false;
    const trafficOnA = (async () => {
      for (let i = 0; !stopA; i += 1) onA.push(await pushSave(otherSession.callbackUrl, a.url, { chartid: other, def: defOf(`A ${i}`) }));
    })();

    // Hold the session row: B's next save stores its revision, then waits to update the session,
    // inside its transaction. The saves after it wait for the chart's lock.
    // (On a connection of its own: pg_stat_activity is read once per transaction.)
    const holder = await db.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM processon_edit_sessions WHERE session_key = $1 FOR UPDATE', [sessionId]);
    const cut = Array.from({ length: 3 }, (_, i) => defOf(`cut by the kill ${i}`, 200_000));
    const inFlight = cut.map((def) => pushSave(callbackUrl, b.url, { chartid, def }));
    await until(
      'B to have written inside its save transaction',
      async () => {
        const { rows } = await sql.query(
          "SELECT 1 FROM pg_stat_activity WHERE application_name = 'processon-b' AND wait_event_type = 'Lock' AND backend_xid IS NOT NULL"
        );
        return rows.length > 0;
      },
      async () =>
        JSON.stringify(
          (await sql.query("SELECT state, wait_event_type, wait_event, backend_xid, left(query, 100) AS query FROM pg_stat_activity WHERE application_name = 'processon-b'"))
            .rows
        )
    );
    await b.kill('SIGKILL');
    await holder.query('ROLLBACK');
    await holder.end();

    const cutAnswers = await Promise.all(inFlight);
    expect(cutAnswers.map((x) => x.status)).toEqual([0, 0, 0]);
    // The server drops the dead instance's connections, and with them its transactions and locks.
    await until('PostgreSQL to drop the connections of B', async () => {
      const { rows } = await sql.query("SELECT 1 FROM pg_stat_activity WHERE application_name = 'processon-b'");
      return rows.length === 0;
    });

    // A stores the next saves of the same chart (its lock is free again).
    const after = [defOf('after the kill 0'), defOf('after the kill 1')];
    for (const def of after) expect(await pushSave(callbackUrl, a.url, { chartid, def })).toEqual(SUCCESS);
    stopA = true;
    await trafficOnA;
    expect(onA.length).toBeGreaterThan(0);
    expect(onA.filter((x) => x.status !== SUCCESS.status || x.text !== SUCCESS.text)).toEqual([]);

    const rows = await storedRevisions(chartid);
    expect(rows.map((row) => titleOf(row.def))).toEqual([...before, ...after].map(titleOf));
    expect(rows.map((row) => sha(row.def))).toEqual([...before, ...after].map(sha));
    // Every revision in the database, of every chart, is whole.
    const { rows: all } = await sql.query<StoredRow>('SELECT id, document_id, def, sha_256 AS sha256 FROM processon_revisions');
    expect(all.filter((row) => sha(row.def) !== row.sha256).map((row) => row.id)).toEqual([]);
    expect(await lastRevisionOf(sessionId)).toBe(rows[rows.length - 1].document_id);
    const list = await adminApi<RevisionListResponse>(a.url, token, 'GET', `/processon/charts/${chartid}/revisions`);
    expect(list.body.meta.pagination.total).toBe(before.length + after.length);
  }, 120_000);
});
