import { createHash } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import {
  DEFAULT_API_BASE_URL,
  SETTING_KEYS,
  httpOrigin,
  isImageHostPattern,
  type EditableSettings,
  type SettingKey,
  type SettingSource,
  type SettingsResponse,
  type StatusResponse,
} from '../processon';
import { DEFAULT_CACHE_MAX_AGE, DEFAULT_MAX_DEF_SIZE, DEFAULT_REVISIONS_KEPT, DEFAULT_SESSION_TTL, type PluginConfig } from '../config';
import { PLUGIN_ID } from '../utils';

export const CALLBACK_PATH = '/api/processon/callback';

export const ENV_NAMES: Record<SettingKey, string> = {
  appkey: 'PROCESSON_APPKEY',
  apiBaseUrl: 'PROCESSON_API_BASE_URL',
  publicUrl: 'PROCESSON_PUBLIC_URL',
  hidebtn: 'PROCESSON_HIDEBTN',
};

const DEFAULTS: EditableSettings = {
  appkey: '',
  apiBaseUrl: DEFAULT_API_BASE_URL,
  publicUrl: '',
  hidebtn: false,
};

export interface EffectiveSettings {
  values: EditableSettings;
  sources: Record<SettingKey, SettingSource>;
}

const fromEnv = (key: SettingKey, raw: string): EditableSettings[SettingKey] =>
  key === 'hidebtn' ? raw === 'true' || raw === '1' : raw;

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

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const store = () => strapi.store({ type: 'plugin', name: PLUGIN_ID, key: 'settings' });
  let cache: { at: number; value: EffectiveSettings } | null = null;

  const pluginConfig = (): PluginConfig =>
    (strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig | undefined) ?? {};

  /** Keys fixed by config/plugins.ts or env: read-only in the admin. */
  const fixedValues = (): Partial<Record<SettingKey, { value: EditableSettings[SettingKey]; source: SettingSource }>> => {
    const config = pluginConfig();
    const fixed: Partial<Record<SettingKey, { value: EditableSettings[SettingKey]; source: SettingSource }>> = {};
    for (const key of SETTING_KEYS) {
      const envValue = process.env[ENV_NAMES[key]];
      if (config[key] !== undefined) fixed[key] = { value: config[key] as EditableSettings[SettingKey], source: 'config' };
      else if (envValue !== undefined && envValue !== '') fixed[key] = { value: fromEnv(key, envValue), source: 'env' };
    }
    return fixed;
  };

  const readStore = async (): Promise<Partial<EditableSettings>> => {
    const stored = (await store().get({})) as Partial<EditableSettings> | null | undefined;
    return stored && typeof stored === 'object' ? stored : {};
  };

  const load = async (): Promise<EffectiveSettings> => {
    const stored = await readStore();
    const fixed = fixedValues();
    const values = { ...DEFAULTS };
    const sources = {} as Record<SettingKey, SettingSource>;
    for (const key of SETTING_KEYS) {
      const f = fixed[key];
      if (f) {
        (values as Record<SettingKey, unknown>)[key] = f.value;
        sources[key] = f.source;
      } else if (stored[key] !== undefined) {
        (values as Record<SettingKey, unknown>)[key] = stored[key];
        sources[key] = 'store';
      } else {
        sources[key] = 'default';
      }
    }
    return { values, sources };
  };

  const callbackUrlFor = (publicUrl: string): string | null =>
    publicUrl ? publicUrl.replace(/\/+$/, '') + CALLBACK_PATH : null;

  return {
    async get(): Promise<EffectiveSettings> {
      return load();
    },

    /** Effective settings from the per-instance cache (for hot paths such as the CSP hook). */
    async cached(): Promise<EffectiveSettings> {
      const now = Date.now();
      if (cache && now - cache.at < CACHE_MS) return cache.value;
      const value = await load();
      cache = { at: now, value };
      return value;
    },

    async response(): Promise<SettingsResponse['data']> {
      const { values, sources } = await load();
      return { values, sources, envNames: ENV_NAMES, callbackUrl: callbackUrlFor(values.publicUrl) };
    },

    /** Keys of `update` that config or env fix, i.e. that may not be changed. */
    fixedKeys(): SettingKey[] {
      return Object.keys(fixedValues()) as SettingKey[];
    },

    /** Stores the given (already validated) keys; fixed keys must have been refused before. */
    async update(update: Partial<EditableSettings>): Promise<void> {
      const stored = await readStore();
      await store().set({ value: { ...stored, ...update } });
      cache = null;
    },

    async status(): Promise<StatusResponse['data']> {
      const { values } = await load();
      const missing = (['appkey', 'apiBaseUrl', 'publicUrl'] as const).filter((key) => !values[key]);
      return {
        configured: missing.length === 0,
        missing,
        apiOrigin: httpOrigin(values.apiBaseUrl),
        hidebtn: values.hidebtn,
      };
    },

    callbackUrlFor,

    /** HMAC secret of the callback tokens: config, env, else derived from the app's own keys. */
    callbackSecret(): string {
      const configured = pluginConfig().callbackSecret ?? process.env.PROCESSON_CALLBACK_SECRET;
      if (configured) return configured;
      const keys = (strapi.config.get('server.app.keys') as string[] | undefined) ?? [];
      if (keys.length === 0) throw new Error('processon: no callbackSecret and no server.app.keys to derive it from');
      return createHash('sha256').update(`processon-callback|${keys.join(',')}`).digest('base64url');
    },

    sessionTtl(): number {
      const env = Number(process.env.PROCESSON_SESSION_TTL);
      return pluginConfig().sessionTtl ?? (Number.isInteger(env) && env >= 60 ? env : DEFAULT_SESSION_TTL);
    },

    /** Largest def accepted (bytes): config, env PROCESSON_MAX_DEF_SIZE, else 20 MB. */
    maxDefSize(): number {
      const env = Number(process.env.PROCESSON_MAX_DEF_SIZE);
      return pluginConfig().maxDefSize ?? (Number.isInteger(env) && env > 0 ? env : DEFAULT_MAX_DEF_SIZE);
    },

    /** Revisions kept per chartid: config, env PROCESSON_REVISIONS_KEPT, else 50. */
    revisionsKept(): number {
      const env = Number(process.env.PROCESSON_REVISIONS_KEPT);
      return pluginConfig().revisionsKept ?? (Number.isInteger(env) && env > 0 ? env : DEFAULT_REVISIONS_KEPT);
    },

    /** max-age (seconds) of the public embed answers: config, env PROCESSON_CACHE_MAX_AGE, else 60. */
    cacheMaxAge(): number {
      const env = Number(process.env.PROCESSON_CACHE_MAX_AGE);
      return pluginConfig().cacheMaxAge ?? (Number.isInteger(env) && env >= 0 ? env : DEFAULT_CACHE_MAX_AGE);
    },

    /**
     * Hosts whose images the static renderings may reference: config, env PROCESSON_RENDER_IMAGE_HOSTS
     * (comma-separated; entries that are not host names are ignored), else none.
     */
    renderImageHosts(): string[] {
      const configured = pluginConfig().renderImageHosts;
      if (configured) return configured;
      return (process.env.PROCESSON_RENDER_IMAGE_HOSTS ?? '')
        .split(',')
        .map((h) => h.trim())
        .filter(isImageHostPattern);
    },

    /**
     * Origins allowed to frame the public pages: config, else what strapi::cors allows (a list, or
     * a comma-separated string, as strapi::cors reads it; `*` stays `*`). A cors origin given as a
     * function cannot be listed: then only the app itself ('self'), until frameAncestors is set.
     */
    frameAncestors(): string[] {
      const configured = pluginConfig().frameAncestors;
      if (configured) return configured;
      const middlewares = (strapi.config.get('middlewares') as unknown[] | undefined) ?? [];
      for (const m of middlewares) {
        if (m && typeof m === 'object' && (m as { name?: unknown }).name === 'strapi::cors') {
          const config = (m as { config?: { origin?: unknown } }).config;
          if (!config || !('origin' in config)) return ['*'];
          const origin = config.origin;
          const list = typeof origin === 'string' ? origin.split(',') : Array.isArray(origin) ? origin : null;
          if (!list) return ["'self'"];
          const origins = list.filter((o): o is string => typeof o === 'string').map((o) => o.trim()).filter(Boolean);
          return origins.length > 0 ? origins : ["'self'"];
        }
      }
      return ['*'];
    },
  };
};
