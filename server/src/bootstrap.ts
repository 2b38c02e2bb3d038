import type { Core } from '@strapi/strapi';
import { getService } from './utils';

/** RBAC actions of Settings → ProcessOn (visible in Settings → Roles → Plugins). */
export const ACTIONS = [
  { section: 'plugins', displayName: 'Read', uid: 'settings.read', subCategory: 'settings', pluginName: 'processon' },
  { section: 'plugins', displayName: 'Update', uid: 'settings.update', subCategory: 'settings', pluginName: 'processon' },
];

interface ActionProvider {
  registerMany(actions: typeof ACTIONS): Promise<void>;
}

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  const permission = strapi.service('admin::permission') as unknown as { actionProvider: ActionProvider };
  await permission.actionProvider.registerMany(ACTIONS);
  const invalid = getService(strapi, 'settings').invalidEnv();
  if (invalid.length > 0) {
    strapi.log.warn(`processon: ignoring ${invalid.join(', ')}: not a valid value (see Settings → ProcessOn for the rules)`);
  }
};
