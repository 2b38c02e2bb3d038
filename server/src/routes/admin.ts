const hasPermissions = (action: string) => ({ name: 'admin::hasPermissions', config: { actions: [action] } });

/** Admin API routes, under /processon; every one needs an authenticated admin user. */
export default {
  type: 'admin',
  routes: [
    {
      method: 'GET',
      path: '/settings',
      handler: 'settings.get',
      config: { policies: ['admin::isAuthenticatedAdmin', hasPermissions('plugin::processon.settings.read')] },
    },
    {
      method: 'PUT',
      path: '/settings',
      handler: 'settings.update',
      config: { policies: ['admin::isAuthenticatedAdmin', hasPermissions('plugin::processon.settings.update')] },
    },
    {
      method: 'POST',
      path: '/settings/check-callback',
      handler: 'settings.checkCallback',
      config: { policies: ['admin::isAuthenticatedAdmin', hasPermissions('plugin::processon.settings.read')] },
    },
    {
      method: 'GET',
      path: '/usage',
      handler: 'settings.usage',
      config: { policies: ['admin::isAuthenticatedAdmin', hasPermissions('plugin::processon.settings.read')] },
    },
    {
      method: 'POST',
      path: '/forms',
      handler: 'forms.create',
      config: { policies: ['admin::isAuthenticatedAdmin'] },
    },
    {
      method: 'GET',
      path: '/status',
      handler: 'settings.status',
      config: { policies: ['admin::isAuthenticatedAdmin'] },
    },
    {
      method: 'POST',
      path: '/sessions',
      handler: 'sessions.create',
      config: { policies: ['admin::isAuthenticatedAdmin'] },
    },
    {
      method: 'POST',
      path: '/sessions/:sessionId/saves',
      handler: 'sessions.save',
      config: { policies: ['admin::isAuthenticatedAdmin'] },
    },
    {
      method: 'GET',
      path: '/sessions/:sessionId',
      handler: 'sessions.state',
      config: { policies: ['admin::isAuthenticatedAdmin'] },
    },
    {
      method: 'GET',
      path: '/charts/:chartid/revisions',
      handler: 'revisions.list',
      config: { policies: ['admin::isAuthenticatedAdmin'] },
    },
    {
      method: 'GET',
      path: '/charts/:chartid/revisions/:id',
      handler: 'revisions.findOne',
      config: { policies: ['admin::isAuthenticatedAdmin'] },
    },
    {
      method: 'POST',
      path: '/charts/:chartid/revisions/:id/restore',
      handler: 'revisions.restore',
      config: { policies: ['admin::isAuthenticatedAdmin'] },
    },
  ],
};
