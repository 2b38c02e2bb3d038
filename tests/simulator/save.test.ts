import request from 'supertest';
import { defSizeKB } from '../../server/src/processon/def';
import { ENDPOINTS } from '../../server/src/processon/forms';
import type { SimulatorApp } from '../../simulator/src/server';
import { FLOW_DEF, MIND_DEF, editForm, editorConfigOf, makeApp, startReceiver, type Receiver } from './helpers';

let receiver: Receiver;

beforeEach(async () => {
  receiver = await startReceiver();
});

afterEach(async () => {
  await receiver.close();
});

/** Opens an editor whose callbackurl is the receiver; returns the page's save URL. */
const openEditor = async (app: SimulatorApp, overrides: Record<string, string | undefined> = {}): Promise<string> => {
  const res = await request(app.callback())
    .post(ENDPOINTS.edit)
    .type('form')
    .send(editForm({ callbackurl: receiver.url, ...overrides }));
  expect(res.status).toBe(200);
  return editorConfigOf(res.text).saveUrl;
};

interface SaveAnswer {
  ok: boolean;
  status: number;
  body: string;
  size: string;
  valid: boolean;
  error?: string;
}

const save = async (app: SimulatorApp, saveUrl: string, body: object) => {
  const res = await request(app.callback()).post(saveUrl).send(body);
  return { status: res.status, answer: res.body as SaveAnswer };
};

describe('save: push to callbackurl', () => {
  it('pushes {chartid, def, size, valid} as JSON and relays the answer', async () => {
    const app = makeApp();
    const saveUrl = await openEditor(app);
    receiver.answer = { status: 200, body: 'success' };
    const { status, answer } = await save(app, saveUrl, { def: MIND_DEF, valid: true });
    expect(status).toBe(200);
    expect(answer).toEqual({ ok: true, status: 200, body: 'success', size: String(defSizeKB(MIND_DEF)), valid: true });

    expect(receiver.received).toHaveLength(1);
    const push = receiver.received[0];
    expect(push.method).toBe('POST');
    expect(push.url).toBe('/api/processon/callback?token=t1');
    expect(push.contentType).toMatch(/^application\/json/);
    const body = JSON.parse(push.body) as Record<string, unknown>;
    expect(body).toEqual({ chartid: editForm().chartid, def: MIND_DEF, size: String(defSizeKB(MIND_DEF)), valid: true });
    expect(typeof body.size).toBe('string');
    expect(body.size).toMatch(/^\d+(\.\d+)?$/);
  });

  it('pushes a urlencoded form when callbackFormat is "form"', async () => {
    const app = makeApp({ callbackFormat: 'form' });
    const saveUrl = await openEditor(app, { category: 'flow', def: FLOW_DEF });
    const { answer } = await save(app, saveUrl, { def: FLOW_DEF, valid: true });
    expect(answer.ok).toBe(true);
    const push = receiver.received[0];
    expect(push.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    const form = new URLSearchParams(push.body);
    expect(Object.fromEntries(form)).toEqual({
      chartid: editForm().chartid,
      def: FLOW_DEF,
      size: String(defSizeKB(FLOW_DEF)),
      valid: 'true',
    });
  });

  it('relays an error answer of the callback (4xx) as a failed save', async () => {
    const app = makeApp();
    const saveUrl = await openEditor(app);
    receiver.answer = { status: 401, body: 'invalid token' };
    const { status, answer } = await save(app, saveUrl, { def: MIND_DEF, valid: true });
    expect(status).toBe(200);
    expect(answer).toMatchObject({ ok: false, status: 401, body: 'invalid token' });
    expect(answer.error).toBeUndefined();
  });

  it('relays a 200 "error" answer as it is', async () => {
    const app = makeApp();
    const saveUrl = await openEditor(app);
    receiver.answer = { status: 500, body: 'error: disk full' };
    const { answer } = await save(app, saveUrl, { def: MIND_DEF, valid: true });
    expect(answer).toMatchObject({ ok: false, status: 500, body: 'error: disk full' });
  });

  it('reports a callback that cannot be reached', async () => {
    const app = makeApp();
    const saveUrl = await openEditor(app);
    await receiver.close();
    const { status, answer } = await save(app, saveUrl, { def: MIND_DEF, valid: true });
    expect(status).toBe(200);
    expect(answer.ok).toBe(false);
    expect(answer.status).toBe(0);
    expect(answer.error).toEqual(expect.any(String));
    receiver = await startReceiver();
  });

  it('gives up on a callback that does not answer in time', async () => {
    const app = makeApp({ pushTimeoutMs: 300 });
    const saveUrl = await openEditor(app);
    receiver.answer = { status: 200, body: '', hang: true };
    const started = Date.now();
    const { answer } = await save(app, saveUrl, { def: MIND_DEF, valid: true });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(answer).toMatchObject({ ok: false, status: 0, error: 'the callback did not answer in time' });
  });

  it('computes valid when the page does not send it', async () => {
    const app = makeApp();
    const mindUrl = await openEditor(app, { def: '' });
    const emptyMind = JSON.stringify({ id: 'root', root: true, title: 'x', children: [], leftChildren: [] });
    expect((await save(app, mindUrl, { def: emptyMind })).answer.valid).toBe(false);
    expect((await save(app, mindUrl, { def: MIND_DEF })).answer.valid).toBe(true);
    const flowUrl = await openEditor(app, { category: 'flow', def: '' });
    expect((await save(app, flowUrl, { def: '{"page":{},"elements":{}}' })).answer.valid).toBe(false);
    expect((await save(app, flowUrl, { def: FLOW_DEF })).answer.valid).toBe(true);
    const pushed = receiver.received.map((r) => (JSON.parse(r.body) as { valid: boolean }).valid);
    expect(pushed).toEqual([false, true, false, true]);
  });

  it('passes on valid=false from the page', async () => {
    const app = makeApp();
    const saveUrl = await openEditor(app);
    const { answer } = await save(app, saveUrl, { def: MIND_DEF, valid: false });
    expect(answer.valid).toBe(false);
    expect(JSON.parse(receiver.received[0].body)).toMatchObject({ valid: false });
  });

  it('logs every push in /sim/pushes', async () => {
    const app = makeApp();
    const saveUrl = await openEditor(app);
    await save(app, saveUrl, { def: MIND_DEF, valid: true });
    receiver.answer = { status: 403, body: 'forbidden' };
    await save(app, saveUrl, { def: MIND_DEF, valid: true });
    const log = await request(app.callback()).get('/sim/pushes');
    expect(log.status).toBe(200);
    expect(log.body).toHaveLength(2);
    expect(log.body[0]).toMatchObject({ chartid: editForm().chartid, callbackurl: receiver.url, status: 200, body: 'success' });
    expect(log.body[1]).toMatchObject({ status: 403, body: 'forbidden' });
    expect(Date.parse(log.body[1].at)).not.toBeNaN();
    const filtered = await request(app.callback()).get('/sim/pushes').query({ chartid: 'other' });
    expect(filtered.body).toEqual([]);
    const reset = await request(app.callback()).post('/sim/reset');
    expect(reset.status).toBe(204);
    expect((await request(app.callback()).get('/sim/pushes')).body).toEqual([]);
  });

  it('does not consume sessions', async () => {
    const app = makeApp();
    const saveUrl = await openEditor(app);
    await save(app, saveUrl, { def: MIND_DEF, valid: true });
    await save(app, saveUrl, { def: MIND_DEF, valid: true });
    expect((await request(app.callback()).get(`/sim/usage/${editForm().appkey}`)).body).toMatchObject({ used: 1 });
  });
});

describe('save: refusals', () => {
  it('an unknown editor session is a 404 and pushes nothing', async () => {
    const app = makeApp();
    await openEditor(app);
    const { status } = await save(app, '/sim/sessions/guessed-session-id/save', { def: MIND_DEF, valid: true });
    expect(status).toBe(404);
    expect(receiver.received).toHaveLength(0);
  });

  it.each([{}, { def: '' }, { def: 42 }, { valid: true }])('a body without a def string (%j) is a 400', async (body) => {
    const app = makeApp();
    const saveUrl = await openEditor(app);
    const { status } = await save(app, saveUrl, body);
    expect(status).toBe(400);
    expect(receiver.received).toHaveLength(0);
  });

  it('takes JSON only', async () => {
    const app = makeApp();
    const saveUrl = await openEditor(app);
    const res = await request(app.callback()).post(saveUrl).type('form').send({ def: MIND_DEF });
    expect(res.status).toBe(400);
    expect(receiver.received).toHaveLength(0);
  });
});
