import * as React from 'react';

import { Link } from '@strapi/design-system';
import { useRBAC } from '@strapi/strapi/admin';
import { NavLink } from 'react-router-dom';

import { SETTINGS_READ } from '../permissions';
import { PLUGIN_ID } from '../pluginId';

/** Where Settings → ProcessOn lives in the admin (see index.ts, addSettingsLink). */
export const SETTINGS_PATH = `/settings/${PLUGIN_ID}`;

/** A link to Settings → ProcessOn, shown only to users who may open it (else `fallback`). */
export const SettingsLink = ({
  children,
  fallback = null,
}: {
  children: React.ReactNode;
  fallback?: React.ReactNode;
}) => {
  const { allowedActions, isLoading } = useRBAC(SETTINGS_READ);
  if (isLoading) return null;
  if (!allowedActions.canRead) return <>{fallback}</>;
  return (
    <Link tag={NavLink} to={SETTINGS_PATH} data-testid="processon-settings-link">
      {children}
    </Link>
  );
};
