import { createHash } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import {
  SETTING_DEFAULTS,
  SETTING_ENV_NAMES,
  SETTING_KEYS,
  callbackUrlFor,
  httpOrigin,
  isImageHostPattern,
  settingFromEnv,
  settingValueProblems,
  type EditableSettings,
  type SettingKey,
  type SettingSource,
  type SettingsResponse,
  type SettingsUpdate,
  type StatusResponse,
} from '../processon';
import type { PluginConfig } from '../config';
import { PLUGIN_ID } from '../utils';

export interface EffectiveSettings {
  values: EditableSettings;
  sources: Record<SettingKey, SettingSource>;
}

type Fixed = { [K in SettingKey]?: { value: EditableSettings[K]; source: 'config' | 'env' } };

/**
 * Per-instance cache of the effective settings, for hot paths only: the admin CSP hook and the
 * public embeds (ETag, form, links), each request using one snapshot. Safe with several instances:
 * it holds nothing that is not in the database (or config/env), losing it costs one read, and an
 * instance other than the one where Settings were saved serves the old values for at most this
 * long (an admin page loaded in that window may need a reload to frame a new ProcessOn origin; an
 * embed answers with the old appkey or base URL, and its ETag changes once the cache refreshes).
 * Everything that decides what is stored or whom to trust reads fresh: edit sessions and their
 * forms, status, the Settings page, and the callback (its secret is config or app keys).
 */
const CACHE_MS = 3000;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The effective settings: for each key, config/plugins.ts, else its env variable, else what the
 * admin stored in the plugin store, else the default. Every server use reads them from here.
 */
/** PROCESSON_RENDER_IMAGE_HOSTS (comma-separated): the host patterns it names, and the entries that are none. */
const envImageHosts = (): { hosts: string[]; refused: string[] } => {
  const entries = (process.env.PROCESSON_RENDER_IMAGE_HOSTS ?? '').split(',').map((h) => h.trim()).filter((h) => h !== '');
  return { hosts: entries.filter(isImageHostPattern), refused: entries.filter((h) => !isImageHostPattern(h)) };
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const store = () => strapi.store({ type: 'plugin', name: PLUGIN_ID, key: 'settings' });
  let cache: { at: number; value: EffectiveSettings } | null = null;

  const pluginConfig = (): PluginConfig =>
    (strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig | undefined) ?? {};

  /**
   * Origins strapi::cors allows, the default frame-ancestors of the public pages: a list, or a
   * comma-separated string, as strapi::cors reads it (`*` stays `*`). A cors origin given as a
   * function cannot be listed: then only the app itself ('self'), until frameAncestors is set.
   */
  const corsOrigins = (): string[] => {
    const middlewares = (strapi.config.get('middlewares') as unknown[] | undefined) ?? [];
    for (const m of middlewares) {
      if (isRecord(m) && m.name === 'strapi::cors') {
        if (!isRecord(m.config) || !('origin' in m.config)) return ['*'];
        const origin = m.config.origin;
        const list = typeof origin === 'string' ? origin.split(',') : Array.isArray(origin) ? origin : null;
        if (!list) return ["'self'"];
        const origins = list.filter((o): o is string => typeof o === 'string').map((o) => o.trim()).filter(Boolean);
        return origins.length > 0 ? origins : ["'self'"];
      }
    }
    return ['*'];
  };

  const defaults = (): EditableSettings => ({ ...SETTING_DEFAULTS, frameAncestors: corsOrigins() });

  /** Keys fixed by config/plugins.ts or env: read-only in the admin. */
  const fixedValues = (): Fixed => {
    const config = pluginConfig();
    const fixed: Record<string, { value: unknown; source: 'config' | 'env' }> = {};
    for (const key of SETTING_KEYS) {
      const configured = config[key];
      if (configured !== undefined && configured !== null) {
        fixed[key] = { value: configured, source: 'config' };
        continue;
      }
      const raw = process.env[SETTING_ENV_NAMES[key]];
      if (raw === undefined || raw === '') continue;
      const value = settingFromEnv(key, raw);
      if (value !== undefined) fixed[key] = { value, source: 'env' };
    }
    return fixed as Fixed;
  };

  /** What the admin stored; a stored value that no longer passes the rules is ignored. */
  const readStore = async (): Promise<Partial<EditableSettings>> => {
    const stored: unknown = await store().get({});
    if (!isRecord(stored)) return {};
    const valid: Record<string, unknown> = {};
    for (const key of SETTING_KEYS) {
      if (stored[key] !== undefined && stored[key] !== null && settingValueProblems(key, stored[key]).length === 0) {
        valid[key] = stored[key];
      }
    }
    return valid as Partial<EditableSettings>;
  };

  const load = async (): Promise<EffectiveSettings> => {
    const stored = await readStore();
    const fixed = fixedValues();
    const values: Record<string, unknown> = { ...defaults() };
    const sources = {} as Record<SettingKey, SettingSource>;
    for (const key of SETTING_KEYS) {
      const f = fixed[key];
      if (f) {
        values[key] = f.value;
        sources[key] = f.source;
      } else if (stored[key] !== undefined) {
        values[key] = stored[key];
        sources[key] = 'store';
      } else {
        sources[key] = 'default';
      }
    }
    const value = { values: values as unknown as EditableSettings, sources };
    cache = { at: Date.now(), value };
    return value;
  };

  const cached = async (): Promise<EffectiveSettings> =>
    cache && Date.now() - cache.at < CACHE_MS ? cache.value : load();

  return {
    /** The effective settings, read now. */
    async get(): Promise<EffectiveSettings> {
      return load();
    },

    /** The effective settings from the per-instance cache (at most a few seconds old): for hot paths. */
    cached,

    async response(): Promise<SettingsResponse['data']> {
      const { values, sources } = await load();
      return {
        values,
        sources,
        defaults: defaults(),
        envNames: SETTING_ENV_NAMES,
        callbackUrl: callbackUrlFor(values.publicUrl),
      };
    },

    /** Keys that config or env fix, i.e. that may not be changed in the admin. */
    fixedKeys(): SettingKey[] {
      return Object.keys(fixedValues()) as SettingKey[];
    },

    /** Env variables set to a value the rules refuse (ignored: the key stays editable). */
    invalidEnv(): string[] {
      const invalid = SETTING_KEYS.filter((key) => {
        const raw = process.env[SETTING_ENV_NAMES[key]];
        return raw !== undefined && raw !== '' && pluginConfig()[key] === undefined && settingFromEnv(key, raw) === undefined;
      }).map((key) => SETTING_ENV_NAMES[key]);
      // Image hosts: the entries that are not host names (the others are used).
      const { refused } = envImageHosts();
      if (pluginConfig().renderImageHosts === undefined && refused.length > 0) {
        invalid.push(`PROCESSON_RENDER_IMAGE_HOSTS entries ${refused.map((h) => JSON.stringify(h)).join(', ')}`);
      }
      return invalid;
    },

    /** Stores a validated, normalized update at once: `null` removes a key (back to its default). */
    async update(update: SettingsUpdate): Promise<void> {
      const current: unknown = await store().get({});
      const next: Record<string, unknown> = isRecord(current) ? { ...current } : {};
      for (const [key, value] of Object.entries(update)) {
        if (value === null) delete next[key];
        else if (value !== undefined) next[key] = value;
      }
      await store().set({ value: next });
      cache = null;
    },

    async status(): Promise<StatusResponse['data']> {
      const { values } = await load();
      const missing = (['appkey', 'apiBaseUrl', 'publicUrl'] as const).filter((key) => !values[key]);
      return {
        configured: missing.length === 0,
        missing,
        viewable: Boolean(values.appkey && values.apiBaseUrl),
        apiOrigin: httpOrigin(values.apiBaseUrl),
        hidebtn: values.hidebtn,
        defaultCategory: values.defaultCategory,
      };
    },

    /** HMAC secret of the callback tokens: config, env, else derived from the app's own keys. */
    callbackSecret(): string {
      const configured = pluginConfig().callbackSecret ?? process.env.PROCESSON_CALLBACK_SECRET;
      if (configured) return configured;
      const keys = (strapi.config.get('server.app.keys') as string[] | undefined) ?? [];
      if (keys.length === 0) throw new Error('processon: no callbackSecret and no server.app.keys to derive it from');
      return createHash('sha256').update(`processon-callback|${keys.join(',')}`).digest('base64url');
    },

    /**
     * Hosts whose images the static renderings may reference: config, env PROCESSON_RENDER_IMAGE_HOSTS
     * (comma-separated; entries that are not host names are ignored), else none.
     */
    renderImageHosts(): string[] {
      return pluginConfig().renderImageHosts ?? envImageHosts().hosts;
    },
  };
};
