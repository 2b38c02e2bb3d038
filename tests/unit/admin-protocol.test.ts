/** Pure rules shared by the server and the admin (issue 5): settings, field options, error codes. */
import config from '../../server/src/config';
import {
  ERROR_CODE_LIST,
  effectiveDefaultCategory,
  effectiveHidebtn,
  errorCodeFromMessage,
  explainErrorCode,
  explanationLanguage,
  isFrameAncestorSource,
  parseSourceList,
  quotaState,
  readFieldOptions,
  settingFromEnv,
  settingsUpdateProblems,
} from '../../server/src/processon';

describe('settings rules', () => {
  it('finds every problem of a body at once, with a code per field', () => {
    const problems = settingsUpdateProblems({ maxDefSize: 10, sessionTtl: '600', frameAncestors: ['*'], nope: 1, appkey: null });
    expect(problems.map((p) => [p.key, p.code])).toEqual([
      ['maxDefSize', 'range'],
      ['sessionTtl', 'integer'],
      ['nope', 'unknown'],
    ]);
    expect(problems[0].params).toEqual({ min: 1024 * 1024, max: 512 * 1024 * 1024 });
    expect(settingsUpdateProblems([])).toHaveLength(1);
    expect(settingsUpdateProblems({ publicUrl: '', appkey: 'ab_C-9', quotaPeriod: 'total' })).toEqual([]);
  });

  it('refuses URLs that URL parsers read differently (a backslash before the host ends)', () => {
    expect(settingsUpdateProblems({ publicUrl: 'http://127.0.0.1:4599\\@evil.com' }).map((p) => p.key)).toEqual(['publicUrl']);
    expect(settingsUpdateProblems({ apiBaseUrl: 'https://api.processon.com\\' }).map((p) => p.key)).toEqual(['apiBaseUrl']);
    expect(settingsUpdateProblems({ publicUrl: 'https://cms.example.com/strapi' })).toEqual([]);
  });

  it('lets only plain CSP sources into frame-ancestors (no directive injection)', () => {
    for (const ok of ["'self'", '*', 'https:', 'https://www.example.com', 'http://localhost:3000', 'https://*.example.com', 'example.com:*']) {
      expect({ ok, valid: isFrameAncestorSource(ok) }).toEqual({ ok, valid: true });
    }
    for (const bad of ["'none'", "'unsafe-inline'", 'https://a.com; script-src *', 'https://a.com/path', 'https://a.com?x', 'javascript:', 'https://a com', '']) {
      expect({ bad, valid: isFrameAncestorSource(bad) }).toEqual({ bad, valid: false });
    }
    expect(parseSourceList(' https://a.com,\nhttps://b.com  https://c.com ')).toEqual(['https://a.com', 'https://b.com', 'https://c.com']);
  });

  it('reads env values with the same rules, ignoring invalid ones', () => {
    expect(settingFromEnv('maxDefSize', '2097152')).toBe(2097152);
    expect(settingFromEnv('maxDefSize', '2 MB')).toBeUndefined();
    expect(settingFromEnv('hidebtn', '1')).toBe(true);
    expect(settingFromEnv('hidebtn', 'maybe')).toBeUndefined();
    expect(settingFromEnv('publicUrl', 'https://cms.example.com/')).toBe('https://cms.example.com');
    expect(settingFromEnv('frameAncestors', "https://a.com 'self'")).toEqual(['https://a.com', "'self'"]);
    expect(settingFromEnv('defaultCategory', 'pie')).toBeUndefined();
  });

  it('config/plugins.ts values follow the same rules (the plugin refuses to start otherwise)', () => {
    expect(() => config.validator({ revisionsKept: 5, frameAncestors: ['https://a.com'], callbackSecret: 's' })).not.toThrow();
    expect(() => config.validator({ sessionTtl: 5 })).toThrow('processon: config "sessionTtl": Session lifetime must be between 60 and 2592000');
    expect(() => config.validator({ frameAncestors: ['https://a.com; x'] })).toThrow('config "frameAncestors"');
    expect(() => config.validator({ colour: 'red' })).toThrow('unknown config key "colour"');
    expect(() => config.validator({ callbackSecret: 1 })).toThrow('"callbackSecret" must be a string');
  });

  it('warns at 80 % of a quota', () => {
    expect([quotaState(5, 0), quotaState(79, 100), quotaState(80, 100), quotaState(100, 100), quotaState(120, 100)]).toEqual([
      'none',
      'ok',
      'warning',
      'reached',
      'reached',
    ]);
  });
});

describe('field options', () => {
  it('allows every category unless the field lists some, and always at least one', () => {
    expect(readFieldOptions(undefined).allowedCategories).toHaveLength(6);
    expect(readFieldOptions({ allowedCategories: [] }).allowedCategories).toHaveLength(6);
    expect(readFieldOptions({ allowedCategories: ['uml', 'pie', 'flow', 'uml'] }).allowedCategories).toEqual(['flow', 'uml']);
  });

  it('picks the default category: the field\'s, else Settings\', else the first allowed', () => {
    const only = readFieldOptions({ allowedCategories: ['flow', 'uml'], defaultCategory: 'uml' });
    expect(effectiveDefaultCategory(only, 'mind')).toBe('uml');
    expect(effectiveDefaultCategory(readFieldOptions({ allowedCategories: ['flow', 'uml'], defaultCategory: 'mind' }), 'uml')).toBe('uml');
    expect(effectiveDefaultCategory(readFieldOptions({ allowedCategories: ['venn', 'uml'] }), 'mind')).toBe('venn');
    expect(effectiveDefaultCategory(readFieldOptions({}), 'network')).toBe('network');
  });

  it('decides the editor\'s Save button: the field\'s choice, else the setting', () => {
    expect(effectiveHidebtn(readFieldOptions({ hidebtn: 'hide' }), false)).toBe(true);
    expect(effectiveHidebtn(readFieldOptions({ hidebtn: 'show' }), true)).toBe(false);
    expect(effectiveHidebtn(readFieldOptions({ hidebtn: 'whatever' }), true)).toBe(true);
  });
});

describe('ProcessOn error codes', () => {
  it('explains each of 4000–4006 with a cause and a fix in English and Chinese', () => {
    expect(ERROR_CODE_LIST).toEqual([4000, 4001, 4002, 4003, 4004, 4005, 4006]);
    for (const code of ERROR_CODE_LIST) {
      for (const lang of ['en', 'zh'] as const) {
        const e = explainErrorCode(code, lang);
        expect(e.cause.length).toBeGreaterThan(20);
        expect(e.fix.length).toBeGreaterThan(10);
        if (lang === 'zh') expect(e.cause).toMatch(/[\u4e00-\u9fff]/);
      }
    }
    expect(explainErrorCode(4003, 'en').cause).toBe('The public callback URL is not on the domain registered with your appkey.');
    expect([explanationLanguage('zh-Hans'), explanationLanguage('zh'), explanationLanguage('en'), explanationLanguage('fr')]).toEqual([
      'zh',
      'zh',
      'en',
      'en',
    ]);
  });

  it('reads an error code from what an editor frame posts, and nothing else', () => {
    expect(errorCodeFromMessage({ source: 'processon', event: 'error', code: 4003 })).toBe(4003);
    expect(errorCodeFromMessage({ code: '4004', message: '接口会话数不足' })).toBe(4004);
    expect(errorCodeFromMessage({ error: { code: 4000 } })).toBe(4000);
    expect(errorCodeFromMessage({ event: 'save', code: 4003 })).toBeNull();
    expect(errorCodeFromMessage({ def: '{}', code: 4002 })).toBeNull();
    expect(errorCodeFromMessage({ code: 4999 })).toBeNull();
    expect(errorCodeFromMessage('4003')).toBeNull();
  });
});
