import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import {
  buildEditForm,
  callbackUrlFor,
  effectiveHidebtn,
  signToken,
  type Category,
  type CreateSessionBody,
  type DiagramFieldOptions,
  type FormDescriptor,
} from '../processon';
import { SESSION_UID, getService } from '../utils';

export interface EditSessionRow {
  id: number;
  sessionKey: string;
  chartid: string;
  contentType: string;
  targetDocumentId: string | null;
  targetLocale: string | null;
  fieldPath: string;
  category: Category;
  userId: number | null;
  expiresAt: string | Date;
  lastRevision: string | null;
  lastSavedAt: string | Date | null;
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async create(
    body: CreateSessionBody,
    userId: number | null,
    fieldOptions: DiagramFieldOptions
  ): Promise<{ session: EditSessionRow; form: FormDescriptor<'edit'> }> {
    const settings = getService(strapi, 'settings');
    const { values } = await settings.get();
    const ttl = values.sessionTtl;
    const exp = Math.floor(Date.now() / 1000) + ttl;
    const sessionKey = randomBytes(18).toString('base64url');
    const session = (await strapi.db.query(SESSION_UID).create({
      data: {
        sessionKey,
        chartid: body.chartid,
        contentType: body.uid,
        targetDocumentId: body.documentId ?? null,
        targetLocale: body.locale ?? null,
        fieldPath: body.field,
        category: body.category,
        userId,
        expiresAt: new Date(exp * 1000),
      },
    })) as EditSessionRow;
    const token = signToken(settings.callbackSecret(), { sessionId: sessionKey, chartid: body.chartid, exp });
    const callbackUrl = `${callbackUrlFor(values.publicUrl)}?token=${encodeURIComponent(token)}`;
    const form = buildEditForm({
      apiBaseUrl: values.apiBaseUrl,
      appkey: values.appkey,
      chartid: body.chartid,
      category: body.category,
      title: body.title,
      def: body.def,
      callbackUrl,
      hidebtn: effectiveHidebtn(fieldOptions, values.hidebtn),
    });
    return { session, form };
  },

  async findByKey(sessionKey: string): Promise<EditSessionRow | null> {
    return (await strapi.db.query(SESSION_UID).findOne({ where: { sessionKey } })) as EditSessionRow | null;
  },
});
