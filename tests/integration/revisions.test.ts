/**
 * Revisions: every accepted save is kept (identical consecutive ones once), pruning to `revisionsKept`
 * never drops what a field points at, a failing store leaves nothing half-done, concurrent pushes all
 * land, and the admin routes list / fetch / restore revisions for users who may read the owning type.
 */
import { createHash, randomUUID } from 'crypto';
import type { AddressInfo } from 'net';
import { createAdmin, grantRoleLocales, setPluginSettings, startStrapi, type TestApp } from '../helpers/strapi';
import { valuesAtPath } from '../../server/src/services/revisions';

const ARTICLE = 'api::article.article';
const REVISION_UID = 'plugin::processon.revision';
const SESSION_UID = 'plugin::processon.edit-session';
const KEPT_ENV = 'PROCESSON_REVISIONS_KEPT';
const FAILED_TEXT = 'error: the diagram could not be saved, try again';

interface Admin {
  token: string;
  id: number;
  email: string;
}

interface RevisionRow {
  id: number;
  documentId: string;
  chartid: string;
  def: string;
  size: number;
  valid: boolean;
  sha256: string;
  source: string;
  sessionKey: string | null;
  userId: number | null;
}

interface SessionRow {
  id: number;
  sessionKey: string;
  lastRevision: string | null;
  lastSavedAt: string | number | null;
  expiresAt: string | number;
}

let app: TestApp;
let admin: Admin;
let baseUrl: string;

beforeAll(async () => {
  app = await startStrapi({ [KEPT_ENV]: '1000' });
  admin = await createAdmin(app);
  await setPluginSettings(app, {
    appkey: 'revisions-appkey',
    apiBaseUrl: 'http://localhost:4999',
    publicUrl: 'http://localhost:1337',
    hidebtn: false,
  });
  // A real listening socket on loopback: supertest reuses it, the concurrency tests use fetch on it.
  const server = app.strapi.server.httpServer;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => app.close());
afterEach(() => {
  process.env[KEPT_ENV] = '1000';
  jest.restoreAllMocks();
});

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const defOf = (label: string) => JSON.stringify({ id: 'root', title: label, children: [] });
const bearer = (user: Admin) => ({ Authorization: `Bearer ${user.token}` });

const diagramValue = (chartid: string, def: string) => ({
  chartid,
  category: 'mind',
  title: 'Diagram',
  def,
  size: 0.1,
  valid: def !== '',
  updatedAt: new Date().toISOString(),
});

/** An article holding a diagram, created through the document service (no creator). */
const createArticle = async (chartid: string, def: string, status: 'draft' | 'published' = 'draft'): Promise<string> => {
  const doc = await app.strapi.documents(ARTICLE).create({
    data: { title: `Article ${chartid.slice(0, 8)}`, diagram: diagramValue(chartid, def) } as never,
    status,
  } as never);
  return (doc as { documentId: string }).documentId;
};

/**
 * A new diagram's chartid is the server's: the first session of a new entry answers its own, and
 * later sessions of that user reopen it. The tests name each diagram by the id they asked for;
 * `chart(id)` is the one the server gave (the id itself for diagrams of saved documents).
 */
const served = new Map<string, string>();
const chart = (requested: string): string => served.get(requested) ?? requested;

/** Opens an edit session; answers its key and the callback path (with its token). */
const openSession = async (
  chartid: string,
  user: Admin = admin,
  documentId: string | null = null
): Promise<{ sessionId: string; path: string }> => {
  const res = await app
    .http()
    .post('/processon/sessions')
    .set(bearer(user))
    .send({ uid: ARTICLE, documentId, locale: null, field: 'diagram', chartid: chart(chartid), category: 'mind', title: 'Diagram', def: '' });
  if (res.status !== 201) throw new Error(`session: ${res.status} ${JSON.stringify(res.body)}`);
  const given = res.body.data.form.fields.chartid as string;
  if (!served.has(chartid) && given !== chartid) served.set(chartid, given);
  expect(given).toBe(chart(chartid));
  const url = new URL(res.body.data.form.fields.callbackurl as string);
  return { sessionId: res.body.data.sessionId as string, path: url.pathname + url.search };
};

const push = (path: string, chartid: string, def: string, valid = true) =>
  app.http().post(path).send({ chartid: chart(chartid), def, size: '0.05', valid });

const pushAll = async (path: string, chartid: string, defs: string[]) => {
  for (const def of defs) {
    const res = await push(path, chartid, def);
    expect(res.status).toBe(200);
  }
};

const revisionsOf = async (chartid: string): Promise<RevisionRow[]> =>
  (await app.strapi.db.query(REVISION_UID).findMany({ where: { chartid: chart(chartid) }, orderBy: [{ id: 'asc' }] })) as RevisionRow[];

const sessionRow = async (sessionKey: string): Promise<SessionRow> =>
  (await app.strapi.db.query(SESSION_UID).findOne({ where: { sessionKey } })) as SessionRow;

/** Runs `count` tasks, at most `limit` at a time. */
const bounded = async <T>(count: number, limit: number, task: (index: number) => Promise<T>): Promise<T[]> => {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next;
      next += 1;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
};

/** An admin user holding one of Strapi's default roles (strapi-editor, strapi-author), logged in. */
let roleUsers = 0;
const userWithRole = async (code: 'strapi-editor' | 'strapi-author'): Promise<Admin> => {
  const roles = app.strapi.service('admin::role') as unknown as {
    findOne(params: Record<string, unknown>): Promise<{ id: number } | null>;
  };
  const role = await roles.findOne({ code });
  if (!role) throw new Error(`no default role ${code}`);
  await grantRoleLocales(app, code);
  roleUsers += 1;
  const email = `${code}-${roleUsers}-${Date.now()}@test.local`;
  const password = 'Test-password-1234';
  const users = app.strapi.service('admin::user') as unknown as { create(data: Record<string, unknown>): Promise<{ id: number }> };
  const user = await users.create({
    email,
    firstname: code === 'strapi-editor' ? 'Eddie' : 'Ada',
    lastname: 'Role',
    password,
    isActive: true,
    registrationToken: null,
    roles: [role.id],
  });
  const res = await app.http().post('/admin/login').send({ email, password });
  if (res.status !== 200) throw new Error(`login: ${res.status}`);
  return { token: res.body.data.token as string, id: user.id, email };
};

/** An article created through the Content Manager by `user` (so createdBy is that user). */
const createArticleAs = async (user: Admin, chartid: string): Promise<string> => {
  const res = await app
    .http()
    .post(`/content-manager/collection-types/${ARTICLE}`)
    .set(bearer(user))
    .send({ title: `By ${user.email}`, diagram: diagramValue(chartid, '') });
  if (res.status !== 201 && res.status !== 200) throw new Error(`create as user: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.documentId as string;
};

const routes = (chartid: string) => ({
  list: (query = '') => `/processon/charts/${chart(chartid)}/revisions${query}`,
  one: (id: string) => `/processon/charts/${chart(chartid)}/revisions/${id}`,
  restore: (id: string) => `/processon/charts/${chart(chartid)}/revisions/${id}/restore`,
});

describe('storing saves', () => {
  it('keeps every accepted save as a revision, identical consecutive saves once', async () => {
    const chartid = randomUUID();
    const { sessionId, path } = await openSession(chartid);
    const [a, b] = [defOf('a'), defOf('b')];
    for (const def of [a, a, b, a]) {
      const res = await push(path, chartid, def);
      expect(res.status).toBe(200);
      expect(res.text).toBe('success');
    }
    const rows = await revisionsOf(chartid);
    expect(rows.map((r) => r.def)).toEqual([a, b, a]);
    expect(rows[0]).toMatchObject({
      chartid: chart(chartid),
      sha256: sha(a),
      size: 0.05,
      valid: true,
      source: 'callback',
      sessionKey: sessionId,
      userId: admin.id,
    });
    expect((await sessionRow(sessionId)).lastRevision).toBe(rows[2].documentId);
  });

  it('keeps the def a diagram without history was first opened with, once, as source initial', async () => {
    // A diagram written through the API: no revision yet.
    const chartid = randomUUID();
    const seeded = defOf('seeded');
    const documentId = await createArticle(chartid, seeded);
    const open = (def: string) =>
      app
        .http()
        .post('/processon/sessions')
        .set(bearer(admin))
        .send({ uid: ARTICLE, documentId, locale: null, field: 'diagram', chartid, category: 'mind', title: 'Diagram', def });
    const first = await open(seeded);
    expect(first.status).toBe(201);
    const rows = await revisionsOf(chartid);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ def: seeded, sha256: sha(seeded), valid: true, source: 'initial', sessionKey: null, userId: admin.id });
    // Not a save of the session: the field's polling sees none, and the first save is the next revision.
    expect((await sessionRow(first.body.data.sessionId as string)).lastRevision).toBeNull();
    const url = new URL(first.body.data.form.fields.callbackurl as string);
    await pushAll(url.pathname + url.search, chartid, [defOf('edited')]);
    // Reopened, with history: nothing more is recorded.
    expect((await open(defOf('edited'))).status).toBe(201);
    expect((await revisionsOf(chartid)).map((r) => [r.source, r.def])).toEqual([
      ['initial', seeded],
      ['callback', defOf('edited')],
    ]);
    // And it can be restored like any other.
    const list = await app.http().get(routes(chartid).list()).set(bearer(admin));
    expect(list.body.data.map((r: { source: string }) => r.source)).toEqual(['callback', 'initial']);
    const restored = await app.http().post(routes(chartid).restore(list.body.data[1].id as string)).set(bearer(admin));
    expect(restored.status).toBe(201);
    expect(restored.body.data).toMatchObject({ source: 'restore', def: seeded });
  });

  it('prunes to the newest revisionsKept per chartid but keeps what the draft and the published field point at', async () => {
    const chartid = randomUUID();
    const documentId = await createArticle(chartid, '');
    const { path } = await openSession(chartid, admin, documentId);
    const defs = Array.from({ length: 10 }, (_, i) => defOf(`pruned ${i}`));
    await pushAll(path, chartid, defs.slice(0, 2));
    // The published version holds save 0, the draft save 1.
    const articles = app.strapi.documents(ARTICLE);
    await articles.update({ documentId, data: { diagram: diagramValue(chartid, defs[0]) } } as never);
    await articles.publish({ documentId } as never);
    await articles.update({ documentId, data: { diagram: diagramValue(chartid, defs[1]) } } as never);

    // Another chartid is pruned on its own.
    const other = randomUUID();
    const otherSession = await openSession(other);
    await pushAll(otherSession.path, other, [defOf('other 0'), defOf('other 1')]);

    process.env[KEPT_ENV] = '3';
    await pushAll(path, chartid, defs.slice(2));
    const kept = (await revisionsOf(chartid)).map((r) => r.def);
    expect(kept).toEqual([defs[0], defs[1], defs[7], defs[8], defs[9]]);
    expect(await revisionsOf(other)).toHaveLength(2);
  });

  it('keeps the newest save of another open session of the chart until that session expires', async () => {
    const chartid = randomUUID();
    const first = await openSession(chartid);
    const second = await openSession(chartid);
    await pushAll(first.path, chartid, [defOf('first')]);
    process.env[KEPT_ENV] = '2';
    await pushAll(second.path, chartid, [defOf('s0'), defOf('s1'), defOf('s2')]);
    expect((await revisionsOf(chartid)).map((r) => r.def)).toEqual([defOf('first'), defOf('s1'), defOf('s2')]);
    await app.strapi.db.query(SESSION_UID).update({ where: { sessionKey: first.sessionId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await pushAll(second.path, chartid, [defOf('s3')]);
    expect((await revisionsOf(chartid)).map((r) => r.def)).toEqual([defOf('s2'), defOf('s3')]);
  });

  it('finds a diagram at a nested field path, wherever its block moved', () => {
    const value = { chartid: 'c', def: 'x' };
    const row = { blocks: [{ __component: 'shared.text', body: 'hi' }, { __component: 'shared.diagram', diagram: value }] };
    expect(valuesAtPath(row, 'blocks.0.diagram')).toEqual([value]);
    expect(valuesAtPath({ seo: { diagram: value } }, 'seo.diagram')).toEqual([value]);
    expect(valuesAtPath({ diagram: value }, 'diagram')).toEqual([value]);
    expect(valuesAtPath({ diagram: null }, 'diagram')).toEqual([]);
  });
});

describe('a failing store', () => {
  const expectUntouched = async (chartid: string, sessionId: string, before: RevisionRow[], session: SessionRow) => {
    expect(await revisionsOf(chartid)).toEqual(before);
    const after = await sessionRow(sessionId);
    expect(after.lastRevision).toBe(session.lastRevision);
    expect(after.lastSavedAt).toEqual(session.lastSavedAt);
  };

  const prepare = async () => {
    const chartid = randomUUID();
    const { sessionId, path } = await openSession(chartid);
    await pushAll(path, chartid, [defOf('before')]);
    return { chartid, sessionId, path, before: await revisionsOf(chartid), session: await sessionRow(sessionId) };
  };

  const expectRefused = (res: { status: number; text: string }) => {
    expect(res.status).toBe(500);
    expect(res.text).toBe(FAILED_TEXT);
    expect(res.text).not.toMatch(/SQLITE|simulated|at /);
  };

  it('answers an error when the database refuses the revision, and stores nothing', async () => {
    const { chartid, sessionId, path, before, session } = await prepare();
    jest.spyOn(app.strapi.db.query(REVISION_UID), 'create').mockRejectedValueOnce(new Error('SQLITE_CONSTRAINT: simulated'));
    expectRefused(await push(path, chartid, defOf('refused')));
    await expectUntouched(chartid, sessionId, before, session);
    // The next save goes through.
    expect((await push(path, chartid, defOf('refused'))).status).toBe(200);
    expect(await revisionsOf(chartid)).toHaveLength(2);
  });

  it('leaves no partial revision when the session update fails after the insert', async () => {
    const { chartid, sessionId, path, before, session } = await prepare();
    const update = jest.spyOn(app.strapi.db.query(SESSION_UID), 'update').mockRejectedValueOnce(new Error('SQLITE_BUSY: simulated'));
    expectRefused(await push(path, chartid, defOf('half')));
    expect(update).toHaveBeenCalledTimes(1);
    await expectUntouched(chartid, sessionId, before, session);
  });

  it('leaves no partial revision when pruning fails', async () => {
    const { chartid, sessionId, path, before, session } = await prepare();
    process.env[KEPT_ENV] = '1';
    const prune = jest.spyOn(app.strapi.db.query(REVISION_UID), 'deleteMany').mockRejectedValueOnce(new Error('SQLITE_IOERR: simulated'));
    expectRefused(await push(path, chartid, defOf('pruning')));
    expect(prune).toHaveBeenCalledTimes(1);
    await expectUntouched(chartid, sessionId, before, session);
  });
});

describe('concurrent pushes', () => {
  /** Pushes defs[i] through paths[i % paths.length], 20 at a time. */
  const fire = async (paths: string | string[], chartid: string, defs: string[]) =>
    bounded(defs.length, 20, async (i) => {
      const path = typeof paths === 'string' ? paths : paths[i % paths.length];
      const res = await fetch(baseUrl + path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ chartid: chart(chartid), def: defs[i], size: '0.05', valid: true }),
      });
      return { status: res.status, text: await res.text() };
    });

  it('stores 200 concurrent pushes to one session, every one answered success', async () => {
    const chartid = randomUUID();
    const { path } = await openSession(chartid);
    const defs = Array.from({ length: 200 }, (_, i) => defOf(`concurrent ${i}`));
    const answers = await fire(path, chartid, defs);
    expect(answers.filter((a) => a.status !== 200 || a.text !== 'success')).toEqual([]);
    const rows = await revisionsOf(chartid);
    expect(rows).toHaveLength(200);
    expect(new Set(rows.map((r) => r.sha256))).toEqual(new Set(defs.map(sha)));
  });

  it('stores identical concurrent pushes once, through one session or several', async () => {
    const chartid = randomUUID();
    const sessions = [await openSession(chartid), await openSession(chartid), await openSession(chartid)];
    for (const label of ['first', 'second']) {
      const answers = await fire(
        sessions.map((s) => s.path),
        chartid,
        Array.from({ length: 60 }, () => defOf(`identical ${label}`))
      );
      expect(answers.filter((a) => a.status !== 200 || a.text !== 'success')).toEqual([]);
    }
    const rows = await revisionsOf(chartid);
    expect(rows.map((r) => r.def)).toEqual([defOf('identical first'), defOf('identical second')]);
    for (const { sessionId } of sessions) expect((await sessionRow(sessionId)).lastRevision).toBe(rows[1].documentId);
  });

  it('prunes to the newest 10 plus the protected one under the same concurrency', async () => {
    const chartid = randomUUID();
    const documentId = await createArticle(chartid, '');
    const { sessionId, path } = await openSession(chartid, admin, documentId);
    const pinned = defOf('pinned');
    await pushAll(path, chartid, [pinned]);
    await app.strapi.documents(ARTICLE).update({ documentId, data: { diagram: diagramValue(chartid, pinned) } } as never);
    process.env[KEPT_ENV] = '10';
    const defs = Array.from({ length: 200 }, (_, i) => defOf(`pruned concurrently ${i}`));
    const answers = await fire(path, chartid, defs);
    expect(answers.filter((a) => a.status !== 200 || a.text !== 'success')).toEqual([]);
    const rows = await revisionsOf(chartid);
    expect(rows).toHaveLength(11);
    expect(rows[0].def).toBe(pinned);
    // The other ten are the ten newest ever stored (ids are never reused), all of this batch.
    const newest = rows.slice(1).map((r) => r.id);
    const max = newest[newest.length - 1];
    expect(newest).toEqual(Array.from({ length: 10 }, (_, i) => max - 9 + i));
    expect(rows.slice(1).every((r) => defs.includes(r.def))).toBe(true);
    expect((await sessionRow(sessionId)).lastRevision).toBe(rows[10].documentId);
  });
});

describe('admin revision routes', () => {
  it('lists revisions newest first, paginated, without def, with who saved them (one user query)', async () => {
    const chartid = randomUUID();
    const other = await createAdmin(app);
    // Two admins editing the same saved entry's diagram.
    const documentId = await createArticle(chartid, defOf('start'));
    const mine = await openSession(chartid, admin, documentId);
    const theirs = await openSession(chartid, other, documentId);
    const defs = Array.from({ length: 25 }, (_, i) => defOf(`listed ${i}`));
    for (let i = 0; i < defs.length; i += 1) {
      expect((await push(i % 2 === 0 ? mine.path : theirs.path, chartid, defs[i])).status).toBe(200);
    }
    const users = jest.spyOn(app.strapi.db.query('admin::user'), 'findMany');
    const r = routes(chartid);
    const page1 = await app.http().get(r.list()).set(bearer(admin));
    expect(page1.status).toBe(200);
    expect(users).toHaveBeenCalledTimes(1);
    expect(page1.body.meta.pagination).toEqual({ page: 1, pageSize: 20, pageCount: 2, total: 25 });
    const data = page1.body.data as Record<string, unknown>[];
    expect(data).toHaveLength(20);
    expect(data.map((d) => d.sha256)).toEqual(defs.slice(5).reverse().map(sha));
    expect(data.every((d) => !('def' in d))).toBe(true);
    expect(Object.keys(data[0]).sort()).toEqual(['chartid', 'createdAt', 'id', 'sha256', 'size', 'source', 'user', 'valid']);
    expect(data[0]).toMatchObject({ chartid: chart(chartid), size: 0.05, valid: true, source: 'callback' });
    expect(data[0].user).toEqual({ id: admin.id, firstname: 'Test', lastname: 'User', email: admin.email });
    expect(data[1].user).toEqual({ id: other.id, firstname: 'Test', lastname: 'User', email: other.email });
    const times = data.map((d) => Date.parse(String(d.createdAt)));
    expect([...times].sort((x, y) => y - x)).toEqual(times);

    const page2 = await app.http().get(r.list('?page=2&pageSize=20')).set(bearer(admin));
    expect(page2.body.data.map((d: { sha256: string }) => d.sha256)).toEqual(defs.slice(0, 5).reverse().map(sha));
    const page3 = await app.http().get(r.list('?page=3')).set(bearer(admin));
    expect(page3.body).toEqual({ data: [], meta: { pagination: { page: 3, pageSize: 20, pageCount: 2, total: 25 } } });
    const small = await app.http().get(r.list('?pageSize=100')).set(bearer(admin));
    expect(small.body.data).toHaveLength(25);
  });

  it('fetches one revision with its def', async () => {
    const chartid = randomUUID();
    const { path } = await openSession(chartid);
    await pushAll(path, chartid, [defOf('one'), defOf('two')]);
    const [first] = await revisionsOf(chartid);
    const res = await app.http().get(routes(chartid).one(first.documentId)).set(bearer(admin));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      id: first.documentId,
      chartid: chart(chartid),
      def: defOf('one'),
      sha256: sha(defOf('one')),
      source: 'callback',
      user: { id: admin.id, email: admin.email },
    });
  });

  it('validates its parameters and answers 404 for unknown charts and revisions', async () => {
    const chartid = randomUUID();
    const { path } = await openSession(chartid);
    await pushAll(path, chartid, [defOf('validated')]);
    const [row] = await revisionsOf(chartid);
    const get = (url: string) => app.http().get(url).set(bearer(admin));

    const notUuid = await get('/processon/charts/not-a-uuid/revisions');
    expect(notUuid.status).toBe(400);
    expect(notUuid.body.error.message).toContain('chartid must be a UUID');
    for (const query of ['?pageSize=0', '?pageSize=101', '?pageSize=abc', '?pageSize=2.5', '?pageSize=1&pageSize=2']) {
      const res = await get(routes(chartid).list(query));
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('ValidationError');
      expect(res.body.error.message).toContain('pageSize must be an integer between 1 and 100');
    }
    const badPage = await get(routes(chartid).list('?page=0'));
    expect(badPage.status).toBe(400);
    expect(badPage.body.error.message).toContain('page must be an integer >= 1');
    expect((await get(routes(chartid).list('?page=1&pageSize=1'))).status).toBe(200);

    expect((await get(routes(randomUUID()).list())).status).toBe(404);
    expect((await get(routes(randomUUID()).one(row.documentId))).status).toBe(404);
    expect((await get(routes(chartid).one('no-such-revision'))).status).toBe(404);
    expect((await get(routes(chartid).one('bad%20id'))).status).toBe(400);
    const restoreUnknown = await app.http().post(routes(chartid).restore('nosuchrevision')).set(bearer(admin));
    expect(restoreUnknown.status).toBe(404);

    // A revision is only found under its own chartid.
    const otherChart = randomUUID();
    await openSession(otherChart);
    expect((await get(routes(otherChart).one(row.documentId))).status).toBe(404);

    expect((await app.http().get(routes(chartid).list())).status).toBe(401);
  });

  it('restores a revision as a new one (source restore, by the restorer); restoring the newest stores nothing', async () => {
    const chartid = randomUUID();
    const { path } = await openSession(chartid);
    await pushAll(path, chartid, [defOf('r0'), defOf('r1'), defOf('r2')]);
    const [r0] = await revisionsOf(chartid);
    const editor = await userWithRole('strapi-editor');
    const r = routes(chartid);

    const restored = await app.http().post(r.restore(r0.documentId)).set(bearer(editor));
    expect(restored.status).toBe(201);
    expect(restored.body.meta).toEqual({ created: true, stored: true });
    expect(restored.body.data).toMatchObject({
      chartid: chart(chartid),
      def: defOf('r0'),
      size: r0.size,
      valid: r0.valid,
      sha256: r0.sha256,
      source: 'restore',
      user: { id: editor.id, firstname: 'Eddie', email: editor.email },
    });
    expect(restored.body.data.id).not.toBe(r0.documentId);
    const rows = await revisionsOf(chartid);
    expect(rows).toHaveLength(4);
    expect(rows[3]).toMatchObject({ documentId: restored.body.data.id, source: 'restore', userId: editor.id, sessionKey: null });
    const list = await app.http().get(r.list()).set(bearer(editor));
    expect(list.body.data[0].id).toBe(restored.body.data.id);

    // r0 again, or the newest itself: identical to the newest, so nothing new is stored.
    for (const id of [r0.documentId, restored.body.data.id as string]) {
      const again = await app.http().post(r.restore(id)).set(bearer(editor));
      expect(again.status).toBe(200);
      expect(again.body.meta).toEqual({ created: false, stored: true });
      expect(again.body.data).toMatchObject({ id: restored.body.data.id, def: defOf('r0'), source: 'restore' });
    }
    expect(await revisionsOf(chartid)).toHaveLength(4);

    // A restore is a save like any other: pruning applies (r2 stays: it is the open session's newest save).
    process.env[KEPT_ENV] = '2';
    const r1 = rows[1];
    expect((await app.http().post(r.restore(r1.documentId)).set(bearer(editor))).status).toBe(201);
    expect((await revisionsOf(chartid)).map((row) => row.def)).toEqual([defOf('r2'), defOf('r0'), defOf('r1')]);
  });

  it("lets only users who may read the owning content type see revisions, and those who may update it restore", async () => {
    // A diagram of an article that no Author created.
    const chartid = randomUUID();
    const documentId = await createArticle(chartid, '');
    const { path } = await openSession(chartid, admin, documentId);
    await pushAll(path, chartid, [defOf('perm 0'), defOf('perm 1')]);
    const [first] = await revisionsOf(chartid);
    const r = routes(chartid);

    const editor = await userWithRole('strapi-editor');
    const author = await userWithRole('strapi-author');
    const reader = await createAdmin(app, [
      { action: 'plugin::content-manager.explorer.read', subject: ARTICLE, properties: { locales: ['en'] } },
    ]);
    const stranger = await createAdmin(app, [{ action: 'plugin::processon.settings.read' }]);

    const status = async (user: Admin) => ({
      list: (await app.http().get(r.list()).set(bearer(user))).status,
      one: (await app.http().get(r.one(first.documentId)).set(bearer(user))).status,
    });
    expect(await status(editor)).toEqual({ list: 200, one: 200 });
    expect(await status(reader)).toEqual({ list: 200, one: 200 });
    expect(await status(author)).toEqual({ list: 403, one: 403 });
    expect(await status(stranger)).toEqual({ list: 403, one: 403 });
    const forbidden = await app.http().get(r.list()).set(bearer(stranger));
    expect(forbidden.body.error.name).toBe('ForbiddenError');

    expect((await app.http().post(r.restore(first.documentId)).set(bearer(reader))).status).toBe(403);
    expect((await app.http().post(r.restore(first.documentId)).set(bearer(author))).status).toBe(403);
    expect((await app.http().post(r.restore(first.documentId)).set(bearer(stranger))).status).toBe(403);
    expect(await revisionsOf(chartid)).toHaveLength(2);
    expect((await app.http().post(r.restore(first.documentId)).set(bearer(editor))).status).toBe(201);

    // An Author sees and restores the revisions of an article they created, and no other Author does.
    const own = randomUUID();
    const ownDocument = await createArticleAs(author, own);
    const ownSession = await openSession(own, author, ownDocument);
    await pushAll(ownSession.path, own, [defOf('own 0'), defOf('own 1')]);
    const [ownFirst] = await revisionsOf(own);
    const mine = routes(own);
    const list = await app.http().get(mine.list()).set(bearer(author));
    expect(list.status).toBe(200);
    expect(list.body.data[0].user).toMatchObject({ id: author.id, firstname: 'Ada' });
    const restored = await app.http().post(mine.restore(ownFirst.documentId)).set(bearer(author));
    expect(restored.status).toBe(201);
    expect(restored.body.data).toMatchObject({ source: 'restore', def: defOf('own 0'), user: { id: author.id } });
    const otherAuthor = await userWithRole('strapi-author');
    expect((await app.http().get(mine.list()).set(bearer(otherAuthor))).status).toBe(403);
    expect((await app.http().get(mine.list()).set(bearer(editor))).status).toBe(200);

    // A diagram of an entry not saved yet: among Authors, only the one who opened its editor.
    const fresh = randomUUID();
    const freshSession = await openSession(fresh, author);
    await pushAll(freshSession.path, fresh, [defOf('fresh')]);
    expect((await app.http().get(routes(fresh).list()).set(bearer(author))).status).toBe(200);
    expect((await app.http().get(routes(fresh).list()).set(bearer(otherAuthor))).status).toBe(403);
    expect((await app.http().get(routes(fresh).list()).set(bearer(editor))).status).toBe(200);
  });
});
