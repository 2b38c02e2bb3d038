import type { Core } from '@strapi/strapi';
import type settingsService from '../services/settings';
import type sessionsService from '../services/sessions';
import type revisionsService from '../services/revisions';
import type embedsService from '../services/embeds';
import type validationService from '../services/validation';
import type savesService from '../services/saves';
import type usageService from '../services/usage';
import type callbackCheckService from '../services/callback-check';

export const PLUGIN_ID = 'processon';

export const SESSION_UID = 'plugin::processon.edit-session' as const;
export const REVISION_UID = 'plugin::processon.revision' as const;

interface Services {
  settings: ReturnType<typeof settingsService>;
  sessions: ReturnType<typeof sessionsService>;
  revisions: ReturnType<typeof revisionsService>;
  embeds: ReturnType<typeof embedsService>;
  validation: ReturnType<typeof validationService>;
  saves: ReturnType<typeof savesService>;
  usage: ReturnType<typeof usageService>;
  'callback-check': ReturnType<typeof callbackCheckService>;
}

/** Typed access to the plugin's services. */
export const getService = <K extends keyof Services>(strapi: Core.Strapi, name: K): Services[K] =>
  strapi.plugin(PLUGIN_ID).service(name) as Services[K];
