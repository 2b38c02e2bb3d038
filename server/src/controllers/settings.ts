import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import type { CallbackCheckResponse, UsageResponse } from '../processon';
import { getService } from '../utils';
import { mayDo, type AdminState } from '../utils/permissions';
import { validateCallbackCheck, validateSettingsUpdate } from '../validation';

const UPDATE_ACTION = 'plugin::processon.settings.update';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async get(ctx: Context) {
    ctx.body = { data: await getService(strapi, 'settings').response() };
  },

  /** PUT /processon/settings: all or nothing; every problem answered at once (400, one entry per field). */
  async update(ctx: Context) {
    const settings = getService(strapi, 'settings');
    const update = validateSettingsUpdate(ctx.request.body ?? {}, settings.fixedKeys());
    await settings.update(update);
    ctx.body = { data: await settings.response() };
  },

  async status(ctx: Context) {
    ctx.body = { data: await getService(strapi, 'settings').status() };
  },

  /** GET /processon/usage: editor sessions opened today, this month, in total, against the quota. */
  async usage(ctx: Context) {
    const body: UsageResponse = { data: await getService(strapi, 'usage').current() };
    ctx.body = body;
  },

  /**
   * POST /processon/settings/check-callback: probes the callback route at the stored public URL, or
   * at the one in the body (the page's draft), which needs the update permission: a reader may
   * check what is configured, only an editor of the settings may point the server elsewhere.
   */
  async checkCallback(ctx: Context) {
    const body = validateCallbackCheck(ctx.request.body ?? {});
    const { values } = await getService(strapi, 'settings').get();
    let publicUrl = values.publicUrl;
    if (body.publicUrl !== undefined && body.publicUrl !== values.publicUrl) {
      if (!mayDo(ctx.state as AdminState, UPDATE_ACTION)) {
        throw new errors.ForbiddenError('Checking another public URL than the stored one needs the settings update permission');
      }
      publicUrl = body.publicUrl;
    }
    const result: CallbackCheckResponse = { data: await getService(strapi, 'callback-check').check(publicUrl) };
    ctx.body = result;
  },
});
