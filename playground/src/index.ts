import type { Core } from '@strapi/strapi';
import { seedDemo } from './seed';

export default {
  register() {},

  /** With PROCESSON_DEMO_SEED=true (set by `npm run demo`), seeds the demo content once. */
  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    if (process.env.PROCESSON_DEMO_SEED === 'true') {
      await seedDemo(strapi);
    }
  },
};
