import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import type { EditableSettings } from '../processon';
import { getService } from '../utils';
import { validateSettingsUpdate } from '../validation';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async get(ctx: Context) {
    ctx.body = { data: await getService(strapi, 'settings').response() };
  },

  async update(ctx: Context) {
    const settings = getService(strapi, 'settings');
    const body = (await validateSettingsUpdate(ctx.request.body ?? {})) as Partial<EditableSettings>;
    const fixed = settings.fixedKeys().filter((key) => key in body);
    if (fixed.length > 0) {
      throw new errors.ValidationError(`Fixed by config or env, not editable: ${fixed.join(', ')}`, {
        errors: fixed.map((key) => ({
          path: [key],
          message: `${key} is set by config/plugins.ts or an environment variable`,
          name: 'ValidationError',
        })),
      });
    }
    const update: Partial<EditableSettings> = {};
    if (body.appkey !== undefined) update.appkey = body.appkey.trim();
    if (body.apiBaseUrl !== undefined) update.apiBaseUrl = body.apiBaseUrl.trim().replace(/\/+$/, '');
    if (body.publicUrl !== undefined) update.publicUrl = body.publicUrl.trim().replace(/\/+$/, '');
    if (body.hidebtn !== undefined) update.hidebtn = body.hidebtn;
    await settings.update(update);
    ctx.body = { data: await settings.response() };
  },

  async status(ctx: Context) {
    ctx.body = { data: await getService(strapi, 'settings').status() };
  },
});
