import { permissionField, populateFor, valueAt, walkFieldPath, type GetModel } from '../../server/src/utils/field-path';

const DIAGRAM = { type: 'json', customField: 'plugin::processon.diagram' };
const models: Record<string, { attributes: Record<string, Record<string, unknown>> }> = {
  'api::a.a': {
    attributes: {
      diagram: DIAGRAM,
      hero: { type: 'component', component: 'c.block' },
      sections: { type: 'component', component: 'c.block', repeatable: true },
      blocks: { type: 'dynamiczone', components: ['c.text', 'c.block'] },
      secret: { type: 'component', component: 'c.block', private: true },
    },
  },
  'c.block': { attributes: { caption: { type: 'string' }, diagram: DIAGRAM, inner: { type: 'component', component: 'c.block' } } },
  'c.text': { attributes: { text: { type: 'text' } } },
};
const getModel: GetModel = (uid) => models[uid];

describe('field paths', () => {
  it('walks top level, components, repeatables and dynamic zones', () => {
    expect(walkFieldPath(getModel, 'api::a.a', 'diagram')?.steps).toEqual([{ key: 'diagram' }]);
    expect(walkFieldPath(getModel, 'api::a.a', 'hero.diagram')?.steps).toEqual([{ key: 'hero' }, { key: 'diagram' }]);
    expect(walkFieldPath(getModel, 'api::a.a', 'sections.2.diagram')?.steps).toEqual([{ key: 'sections', index: 2 }, { key: 'diagram' }]);
    expect(walkFieldPath(getModel, 'api::a.a', 'blocks.1.diagram')?.steps).toEqual([{ key: 'blocks', index: 1, zone: true }, { key: 'diagram' }]);
    expect(walkFieldPath(getModel, 'api::a.a', 'hero.inner.diagram')?.attribute).toBe(DIAGRAM);
    expect(walkFieldPath(getModel, 'api::a.a', 'secret.diagram')?.isPrivate).toBe(true);
  });

  it('refuses paths that are not in the schema', () => {
    for (const path of ['nope', 'sections.diagram', 'blocks.diagram', 'hero.0.diagram', 'blocks.0.nope', '__proto__', 'hero.__proto__', 'diagram.x']) {
      expect({ path, walked: walkFieldPath(getModel, 'api::a.a', path) }).toEqual({ path, walked: null });
    }
    expect(walkFieldPath(getModel, 'api::none.none', 'diagram')).toBeNull();
  });

  it('builds the populate, reads the value and names the permission field', () => {
    const steps = walkFieldPath(getModel, 'api::a.a', 'hero.inner.diagram')?.steps ?? [];
    expect(populateFor(steps)).toEqual({ hero: { populate: { inner: true } } });
    expect(populateFor([{ key: 'diagram' }])).toBeUndefined();
    expect(valueAt({ hero: { inner: { diagram: 'x' } } }, steps)).toBe('x');
    const zone = walkFieldPath(getModel, 'api::a.a', 'blocks.1.diagram')?.steps ?? [];
    expect(valueAt({ blocks: [{ text: 'a' }, { diagram: 'y' }] }, zone)).toBe('y');
    expect(valueAt({ blocks: 'not an array' }, zone)).toBeUndefined();
    expect(permissionField(steps)).toBe('hero.inner.diagram');
    expect(permissionField(zone)).toBe('blocks');
    expect(permissionField(walkFieldPath(getModel, 'api::a.a', 'sections.0.diagram')?.steps ?? [])).toBe('sections.diagram');
  });
});
