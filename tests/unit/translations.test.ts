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

/** Literal keys handed to the plugin's translation helpers anywhere in the admin code. */
const usedKeys = (): Set<string> => {
  const keys = new Set<string>();
  const call = /\b(?:t|getTranslation|messageOf)\(\s*['"]([a-zA-Z0-9_.-]+)['"]/g;
  const mapped = /:\s*['"]((?:category|settings|input|editor|error|field|plugin)\.[a-zA-Z0-9_.-]+)['"]/g;
  for (const file of sourceFiles(adminDir)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(call)) keys.add(m[1]);
    for (const m of text.matchAll(mapped)) keys.add(m[1]);
  }
  return keys;
};

const placeholders = (message: string): string[] =>
  [...message.matchAll(/\{(\w+)/g)].map((m) => m[1]).sort();

describe('admin translations', () => {
  it('en and zh-Hans have exactly the same keys', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it('every key used by the admin code exists in both files', () => {
    const used = usedKeys();
    expect(used.size).toBeGreaterThan(20);
    const missing = [...used].filter((key) => !(key in en) || !(key in zh));
    expect(missing).toEqual([]);
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
