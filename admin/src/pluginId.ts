import { FIELD_PLUGIN_ID } from '../../server/src/processon/value';

/** The plugin's id: the prefix of its translation keys, its admin routes and its RBAC actions. */
export const PLUGIN_ID = FIELD_PLUGIN_ID;
