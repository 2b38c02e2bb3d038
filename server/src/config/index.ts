import { isImageHostPattern } from '../processon';

/**
 * Plugin configuration (`config/plugins.ts` → `processon: { config: {...} }`). Every key is
 * optional: a key set here is *fixed* (read-only in Settings → ProcessOn); a key left out is edited
 * in the admin and stored in the plugin store, with the defaults below. Env variables
 * (PROCESSON_APPKEY, PROCESSON_API_BASE_URL, PROCESSON_PUBLIC_URL, ...) fix a key too.
 */
export interface PluginConfig {
  appkey?: string;
  apiBaseUrl?: string;
  publicUrl?: string;
  hidebtn?: boolean;
  /** Secret of the callback tokens; by default derived from the app's keys. */
  callbackSecret?: string;
  /** Lifetime of an edit session (and its callback token), in seconds. */
  sessionTtl?: number;
  /** Origins allowed to frame the public view page; default: the origins strapi::cors allows. */
  frameAncestors?: string[];
  /** Largest def (and callback body) accepted, in bytes; default 20 MB. */
  maxDefSize?: number;
  /** Revisions kept per chartid (older ones are pruned); default 50. */
  revisionsKept?: number;
  /** max-age in seconds of the public embed answers; default 60. */
  cacheMaxAge?: number;
  /**
   * Hosts whose images the static renderings (SVG) may reference, e.g. ['cdn.processon.com'] or
   * ['*.example.com']; default none: images are drawn as placeholders.
   */
  renderImageHosts?: string[];
}

const CONFIG_KEYS: readonly (keyof PluginConfig)[] = [
  'appkey',
  'apiBaseUrl',
  'publicUrl',
  'hidebtn',
  'callbackSecret',
  'sessionTtl',
  'frameAncestors',
  'maxDefSize',
  'revisionsKept',
  'cacheMaxAge',
  'renderImageHosts',
];

export const DEFAULT_SESSION_TTL = 12 * 60 * 60;
export const DEFAULT_MAX_DEF_SIZE = 20 * 1024 * 1024;
export const DEFAULT_REVISIONS_KEPT = 50;
export const DEFAULT_CACHE_MAX_AGE = 60;

export default {
  default: {},
  validator(config: Record<string, unknown>) {
    for (const key of Object.keys(config)) {
      if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
        throw new Error(`processon: unknown config key "${key}" (known: ${CONFIG_KEYS.join(', ')})`);
      }
    }
    const strings: (keyof PluginConfig)[] = ['appkey', 'apiBaseUrl', 'publicUrl', 'callbackSecret'];
    for (const key of strings) {
      if (config[key] !== undefined && typeof config[key] !== 'string') {
        throw new Error(`processon: config "${key}" must be a string`);
      }
    }
    if (config.hidebtn !== undefined && typeof config.hidebtn !== 'boolean') {
      throw new Error('processon: config "hidebtn" must be a boolean');
    }
    const ttl = config.sessionTtl;
    if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 60)) {
      throw new Error('processon: config "sessionTtl" must be an integer number of seconds >= 60');
    }
    for (const key of ['maxDefSize', 'revisionsKept'] as const) {
      const value = config[key];
      if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 1)) {
        throw new Error(`processon: config "${key}" must be a positive integer`);
      }
    }
    const age = config.cacheMaxAge;
    if (age !== undefined && (typeof age !== 'number' || !Number.isInteger(age) || age < 0)) {
      throw new Error('processon: config "cacheMaxAge" must be an integer number of seconds >= 0');
    }
    const hosts = config.renderImageHosts;
    if (hosts !== undefined && (!Array.isArray(hosts) || !hosts.every(isImageHostPattern))) {
      throw new Error('processon: config "renderImageHosts" must be an array of host names such as "cdn.example.com" or "*.example.com"');
    }
    const fa = config.frameAncestors;
    if (fa !== undefined && (!Array.isArray(fa) || fa.some((v) => typeof v !== 'string'))) {
      throw new Error('processon: config "frameAncestors" must be an array of origins');
    }
  },
};
