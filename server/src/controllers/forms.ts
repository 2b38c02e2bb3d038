import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import {
  FIELD_UID,
  buildExportForm,
  buildViewForm,
  type PreviewFormBody,
  type PreviewFormResponse,
} from '../processon';
import { getService } from '../utils';
import { permissionField, walkFieldPath } from '../utils/field-path';
import { assertMayRead, type AdminState } from '../utils/permissions';
import { validatePreviewForm } from '../validation';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /**
   * POST /processon/forms: the viewer or export form of a diagram field the user may read, for the
   * field's View and Download actions. The def is left empty: the admin fills in the def it holds
   * (possibly not saved in the entry yet), so a 20 MB diagram never goes through a JSON body.
   * View and export do not open an editor session.
   */
  async create(ctx: Context) {
    const body = (await validatePreviewForm(ctx.request.body ?? {})) as PreviewFormBody;
    const walked = walkFieldPath((uid) => strapi.getModel(uid as never) as never, body.uid, body.field);
    if (!walked || walked.attribute.customField !== FIELD_UID) {
      throw new errors.ValidationError(`${body.uid} has no ProcessOn diagram field at "${body.field}"`, {
        errors: [{ path: ['field'], message: `No ProcessOn diagram field at "${body.field}"`, name: 'ValidationError' }],
      });
    }
    await assertMayRead(strapi, ctx.state as AdminState, body, permissionField(walked.steps));
    const { values } = await getService(strapi, 'settings').get();
    if (!values.appkey || !values.apiBaseUrl) {
      const missing = (['appkey', 'apiBaseUrl'] as const).filter((key) => !values[key]);
      throw new errors.ApplicationError(`ProcessOn is not configured: missing ${missing.join(', ')}`, { missing });
    }
    const common = { apiBaseUrl: values.apiBaseUrl, appkey: values.appkey, category: body.category, title: body.title, def: '' };
    const form =
      body.kind === 'export'
        ? buildExportForm({ ...common, chartid: body.chartid, type: body.type ?? 'image' })
        : buildViewForm(common);
    const answer: PreviewFormResponse = { data: { form } };
    ctx.body = answer;
  },
});
