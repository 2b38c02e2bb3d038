import fs from 'fs';
import path from 'path';

const adminDir = path.join(__dirname, '..', '..', 'admin', 'src');
const load = (locale: string): Record<string, string> =>
  JSON.parse(fs.readFileSync(path.join(adminDir, 'translations', `${locale}.json`), 'utf8')) as Record<string, string>;
const en = load('en');
const zh = load('zh-Hans');

const sourceFiles = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) ? [full] : [];
  });

/** The namespaces of the plugin's keys ("input", "settings", ...), plus "error"-like ones code may use. */
const namespaces = new Set([...Object.keys(en), ...Object.keys(zh)].map((key) => key.split('.')[0]));

/**
 * Every string literal of the admin code shaped like one of the plugin's keys (`<namespace>.<...>`
 * for a namespace the files use): the keys handed to `t()`, `messageOf()`, and those kept in maps
 * (categories, problem codes, ...). Keys are always written out literally in the admin code (no
 * template strings), so this finds them all.
 */
const usedKeys = (): Map<string, string> => {
  const keys = new Map<string, string>();
  const literal = /(['"])([a-zA-Z][a-zA-Z0-9_-]*(?:\.[a-zA-Z0-9_-]+)+)\1/g;
  for (const file of sourceFiles(adminDir)) {
    if (file.includes(`${path.sep}translations${path.sep}`)) continue;
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(literal)) {
      const key = m[2];
      if (namespaces.has(key.split('.')[0]) && !keys.has(key)) keys.set(key, path.relative(adminDir, file));
    }
  }
  return keys;
};

/** No key is built at run time from pieces (which the check above could not see). */
const dynamicKeyUses = (): string[] => {
  const found: string[] = [];
  const dynamic = /\b(?:t|getTranslation|messageOf|formatMessage)\(\s*`/g;
  for (const file of sourceFiles(adminDir)) {
    const text = fs.readFileSync(file, 'utf8');
    if (dynamic.test(text)) found.push(path.relative(adminDir, file));
  }
  return found;
};

const placeholders = (message: string): string[] =>
  [...message.matchAll(/\{(\w+)/g)].map((m) => m[1]).sort();

describe('admin translations', () => {
  it('en and zh-Hans have exactly the same keys', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it('every key used by the admin code exists in both files', () => {
    const used = usedKeys();
    expect(used.size).toBeGreaterThan(150);
    const missing = [...used].filter(([key]) => !(key in en) || !(key in zh)).map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
    expect(dynamicKeyUses()).toEqual([]);
  });

  it('every key of the files is used by the admin code (no dead messages)', () => {
    const used = usedKeys();
    expect(Object.keys(en).filter((key) => !used.has(key))).toEqual([]);
  });

  it('no message is empty and placeholders match between languages', () => {
    for (const key of Object.keys(en)) {
      expect(en[key].trim()).not.toBe('');
      expect(zh[key].trim()).not.toBe('');
      expect({ key, placeholders: placeholders(zh[key]) }).toEqual({ key, placeholders: placeholders(en[key]) });
    }
  });

  it('the Chinese file is actually translated', () => {
    const chinese = Object.values(zh).filter((message) => /[\u4e00-\u9fff]/.test(message));
    expect(chinese.length / Object.keys(zh).length).toBeGreaterThan(0.8);
  });
});
