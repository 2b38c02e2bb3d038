import type { Permission } from '@strapi/strapi/admin';

type PermissionCheck = Pick<Permission, 'action' | 'subject'>;

/** RBAC actions registered by the server. */
export const SETTINGS_READ: PermissionCheck[] = [{ action: 'plugin::processon.settings.read', subject: null }];
export const SETTINGS_UPDATE: PermissionCheck[] = [
  { action: 'plugin::processon.settings.update', subject: null },
];

/** What the Settings page checks with useRBAC: gives `allowedActions.canRead` and `.canUpdate`. */
export const SETTINGS_RBAC: PermissionCheck[] = [...SETTINGS_READ, ...SETTINGS_UPDATE];
