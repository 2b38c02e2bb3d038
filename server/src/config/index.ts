/**
 * Plugin configuration (`config/plugins.ts` → `processon: { config: {...} }`). Every key is
 * optional: a key set here is *fixed* (read-only in Settings → ProcessOn); a key left out is edited
 * in the admin and stored in the plugin store (defaults: SETTING_DEFAULTS in the protocol module).
 * Env variables (PROCESSON_APPKEY, PROCESSON_MAX_DEF_SIZE, ...: SETTING_ENV_NAMES) fix a key too.
 */
import { SETTING_KEYS, isImageHostPattern, settingsUpdateProblems, type EditableSettings } from '../processon';

export interface PluginConfig extends Partial<EditableSettings> {
  /** Secret of the callback tokens; by default derived from the app's keys. Config or env only. */
  callbackSecret?: string;
  /**
   * Hosts whose images the static renderings (SVG) may reference, e.g. ['cdn.processon.com'] or
   * ['*.example.com']; default none: images are drawn as placeholders. Config or env only.
   */
  renderImageHosts?: string[];
}

const CONFIG_KEYS: readonly string[] = [...SETTING_KEYS, 'callbackSecret', 'renderImageHosts'];

export default {
  default: {},
  validator(config: Record<string, unknown>) {
    for (const key of Object.keys(config)) {
      if (!CONFIG_KEYS.includes(key)) {
        throw new Error(`processon: unknown config key "${key}" (known: ${CONFIG_KEYS.join(', ')})`);
      }
    }
    if (config.callbackSecret !== undefined && typeof config.callbackSecret !== 'string') {
      throw new Error('processon: config "callbackSecret" must be a string');
    }
    const hosts = config.renderImageHosts;
    if (hosts !== undefined && (!Array.isArray(hosts) || !hosts.every(isImageHostPattern))) {
      throw new Error('processon: config "renderImageHosts" must be an array of host names such as "cdn.example.com" or "*.example.com"');
    }
    // The same rules as the Settings page: a value config fixes must be one the admin could store.
    const settings = Object.fromEntries(
      Object.entries(config).filter(([key, value]) => key !== 'callbackSecret' && value !== undefined)
    );
    const [problem] = settingsUpdateProblems(settings);
    if (problem) throw new Error(`processon: config "${problem.key}": ${problem.message}`);
  },
};
