import { randomUUID } from 'crypto';
import { createApiToken, fixture, startStrapi, type TestApp } from '../helpers/strapi';

let app: TestApp;
let apiToken: string;

beforeAll(async () => {
  app = await startStrapi();
  apiToken = await createApiToken(app);
});
afterAll(async () => app.close());

const diagram = (overrides: Record<string, unknown> = {}) => ({
  chartid: randomUUID(),
  category: 'mind',
  title: 'Go 内存分配器',
  def: fixture('mind-go-memory-allocator.def.json'),
  size: 19.85,
  valid: true,
  updatedAt: new Date().toISOString(),
  ...overrides,
});

const countArticles = () => app.strapi.db.query('api::article.article').count({});

describe('custom field plugin::processon.diagram', () => {
  it('is registered on the server as a JSON custom field', () => {
    const field = app.strapi.get('custom-fields').get('plugin::processon.diagram') as { type: string };
    expect(field.type).toBe('json');
    const attribute = app.strapi.getModel('api::article.article').attributes.diagram as Record<string, unknown>;
    expect(attribute.customField).toBe('plugin::processon.diagram');
    expect(attribute.type).toBe('json');
  });

  it('round-trips a real mind map through REST unchanged', async () => {
    const value = diagram();
    const created = await app
      .http()
      .post('/api/articles')
      .set('Authorization', `Bearer ${apiToken}`)
      .send({ data: { title: 'Round trip', diagram: value } });
    expect(created.status).toBe(201);
    const documentId = created.body.data.documentId as string;
    const read = await app
      .http()
      .get(`/api/articles/${documentId}?status=draft`)
      .set('Authorization', `Bearer ${apiToken}`);
    expect(read.status).toBe(200);
    expect(read.body.data.diagram).toEqual(value);
    expect(read.body.data.diagram.def).toBe(fixture('mind-go-memory-allocator.def.json'));
  });

  it('round-trips a flowchart and an empty (null) field', async () => {
    const value = diagram({ category: 'flow', def: fixture('flow-approval.def.json'), title: '审批' });
    const created = await app
      .http()
      .post('/api/articles')
      .set('Authorization', `Bearer ${apiToken}`)
      .send({ data: { title: 'Flow', diagram: value } });
    expect(created.status).toBe(201);
    expect(created.body.data.diagram).toEqual(value);
    const empty = await app
      .http()
      .post('/api/articles')
      .set('Authorization', `Bearer ${apiToken}`)
      .send({ data: { title: 'No diagram', diagram: null } });
    expect(empty.status).toBe(201);
    expect(empty.body.data.diagram).toBeNull();
  });

  it.each([
    ['a string', 'not a diagram', 'must be an object or null'],
    ['an unknown category', { category: 'pie' }, 'category must be one of'],
    ['a chartid that is not a UUID', { chartid: '42' }, 'chartid must be a UUID'],
    ['a def that is not a string', { def: { elements: {} } }, 'def must be a string'],
    ['a string size', { size: '12.5' }, 'size must be a number'],
    ['an unknown key', { script: 'x' }, 'unknown key "script"'],
  ])('refuses %s over REST with a 400 naming the field, and stores nothing', async (_label, patch, message) => {
    const before = await countArticles();
    const value = typeof patch === 'string' ? patch : diagram(patch);
    const res = await app
      .http()
      .post('/api/articles')
      .set('Authorization', `Bearer ${apiToken}`)
      .send({ data: { title: 'Bad', diagram: value } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('diagram');
    expect(res.body.error.message).toContain(message);
    expect(res.body.error.details.errors[0].path).toEqual(['diagram']);
    expect(await countArticles()).toBe(before);
  });

  it('refuses a bad value on update too, keeping the stored one', async () => {
    const value = diagram();
    const created = await app
      .http()
      .post('/api/articles')
      .set('Authorization', `Bearer ${apiToken}`)
      .send({ data: { title: 'Keep me', diagram: value } });
    const documentId = created.body.data.documentId as string;
    const res = await app
      .http()
      .put(`/api/articles/${documentId}`)
      .set('Authorization', `Bearer ${apiToken}`)
      .send({ data: { diagram: { ...value, valid: 'yes' } } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('valid must be a boolean');
    const stored = await app.strapi.documents('api::article.article').findOne({ documentId });
    expect(stored?.diagram).toEqual(value);
  });

  it('refuses a bad value written through the Document Service', async () => {
    const before = await countArticles();
    await expect(
      app.strapi.documents('api::article.article').create({
        data: { title: 'Via code', diagram: { chartid: randomUUID() } as never },
      })
    ).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining('diagram') });
    expect(await countArticles()).toBe(before);
  });
});
