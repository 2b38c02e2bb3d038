/**
 * Public (content API) routes. The callback authenticates with its signed token; the embed routes
 * are governed by Users & Permissions (grant them to the Public role to serve frontends).
 */
export default {
  type: 'content-api',
  routes: [
    {
      method: 'POST',
      path: '/callback',
      handler: 'callback.receive',
      config: { auth: false, policies: [] },
    },
    {
      method: 'GET',
      path: '/view/:contentType/:documentId',
      handler: 'embed.view',
      config: { policies: [] },
    },
    {
      method: 'GET',
      path: '/export/:contentType/:documentId',
      handler: 'embed.export',
      config: { policies: [] },
    },
    {
      method: 'GET',
      path: '/oembed',
      handler: 'embed.oembed',
      config: { policies: [] },
    },
    {
      method: 'GET',
      path: '/descriptor/:contentType/:documentId',
      handler: 'embed.descriptor',
      config: { policies: [] },
    },
    // Static renderings of the stored def (no ProcessOn involved): SVG and readable outline.
    {
      method: 'GET',
      path: '/svg/:contentType/:documentId.svg',
      handler: 'embed.svg',
      config: { policies: [] },
    },
    {
      method: 'GET',
      path: '/outline/:contentType/:documentId',
      handler: 'embed.outline',
      config: { policies: [] },
    },
  ],
};
