/**
 * `@strapi/strapi/admin` resolves through the package's `exports` map (moduleResolution "Bundler"),
 * so its real types are used: `export * from '@strapi/admin/strapi-admin'` plus the content-manager
 * hooks (`unstable_useContentManagerContext`, ...). An ambient `declare module '@strapi/strapi/admin'`
 * here would replace those types and hide the content-manager exports, so there is none.
 */
export {};
