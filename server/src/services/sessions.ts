import { randomBytes, randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import {
  buildEditForm,
  callbackUrlFor,
  decodeDef,
  effectiveHidebtn,
  signToken,
  tokenSessionId,
  verifyToken,
  type Category,
  type CreateSessionBody,
  type DiagramFieldOptions,
  type FormDescriptor,
} from '../processon';
import type { CallbackMessage } from '../utils/callback-answers';
import { REVISION_UID, SESSION_UID, getService } from '../utils';
import { defaultLocale } from '../utils/locales';

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

export type CallbackTokenCheck =
  | { ok: true; session: EditSessionRow }
  | { ok: false; status: 401 | 403 | 404; message: CallbackMessage };

/** Whether two locales of a content type are one (no locale: i18n's default; not localized: always). */
const sameLocale = async (strapi: Core.Strapi, uid: string, a: string | null, b: string | null): Promise<boolean> => {
  const schema = strapi.contentTypes[uid as keyof typeof strapi.contentTypes] as { pluginOptions?: { i18n?: { localized?: boolean } } } | undefined;
  if (schema?.pluginOptions?.i18n?.localized !== true || a === b) return true;
  const fallback = await defaultLocale(strapi);
  return (a ?? fallback) === (b ?? fallback);
};

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /**
   * The chartid an edit session may use. The server adopts a requested chartid only when it is the
   * diagram of that entry; otherwise it mints one (a fork, with the same def), whose saves never
   * reach another entry's history:
   * - a chartid with edit sessions belongs to the entry its first session named; until that entry
   *   was saved, to the user who created the diagram in it (and to the entry they then saved);
   * - a chartid without sessions is adopted only for a document that holds it (written through the
   *   API, or seeded; of two documents holding it, the first opened): a new diagram, in a new or a
   *   saved entry, gets the server's chartid.
   * A duplicated entry, a value copied from elsewhere (another locale's, with "fill in from another
   * locale") or a forged request thus gets a fork. The field adopts the chartid the session answers.
   */
  async chartFor(
    body: Pick<CreateSessionBody, 'uid' | 'documentId' | 'locale' | 'field' | 'chartid'>,
    userId: number | null
  ): Promise<string> {
    const revisions = getService(strapi, 'revisions');
    const owner = await revisions.owner(body.chartid);
    const fork = randomUUID();
    if (owner && owner.uid !== body.uid) return fork;
    // Each locale of a document has its own diagram, and history (locale permissions apply to it).
    if (owner && !(await sameLocale(strapi, body.uid, owner.locale, body.locale ?? null))) return fork;
    if (owner?.documentId) return owner.documentId === body.documentId ? body.chartid : fork;
    if (owner && userId !== null && owner.sessionUserIds.includes(userId)) return body.chartid;
    // A new entry: its diagram's chartid is the server's (a public chartid of another entry's diagram,
    // not opened yet, must not be taken over); reopening it goes through the pending-owner rule above.
    if (!body.documentId) return fork;
    const holder = await revisions.chartHolder(body.uid, body.documentId, body.field, body.chartid);
    if (!holder.holds) return fork;
    // Held by the document: unowned, or created in a new entry and saved by its creator.
    return !owner || holder.creatorIds.some((id) => owner.sessionUserIds.includes(id)) ? body.chartid : fork;
  },

  async create(
    requested: CreateSessionBody,
    userId: number | null,
    fieldOptions: DiagramFieldOptions
  ): Promise<{ session: EditSessionRow; form: FormDescriptor<'edit'> }> {
    const self = getService(strapi, 'sessions');
    const body = { ...requested, chartid: await self.chartFor(requested, userId) };
    const settings = getService(strapi, 'settings');
    const { values } = await settings.get();
    const ttl = values.sessionTtl;
    const exp = Math.floor(Date.now() / 1000) + ttl;
    const sessionKey = randomBytes(18).toString('base64url');
    // A diagram with no history yet (seeded, written through the API, or a fork of a copied one)
    // keeps the def its editor was first opened with: the first save never loses it.
    if (body.def.trim() !== '' && (await strapi.db.query(REVISION_UID).count({ where: { chartid: body.chartid } })) === 0) {
      await getService(strapi, 'revisions').storeRevision(
        { chartid: body.chartid, sessionId: null, sessionKey: null, userId },
        { def: body.def, size: null, valid: decodeDef(body.def) !== null },
        'initial'
      );
    }
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

  /**
   * Checks a callback token against the session it names: well formed, that session exists, signed
   * (HMAC over the session and its chartid) with this deployment's secret, not expired. Needs no
   * body, so it runs before a large body is parsed (middlewares/body-limit.ts) and in the route.
   */
  async checkToken(token: string | undefined): Promise<CallbackTokenCheck> {
    if (!token) return { ok: false, status: 401, message: 'noToken' };
    const sessionKey = tokenSessionId(token);
    if (!sessionKey) return { ok: false, status: 403, message: 'badToken' };
    const session = await getService(strapi, 'sessions').findByKey(sessionKey);
    if (!session) return { ok: false, status: 404, message: 'unknownSession' };
    const check = verifyToken(getService(strapi, 'settings').callbackSecret(), token, session.chartid);
    if (check.ok) return { ok: true, session };
    return check.reason === 'expired'
      ? { ok: false, status: 401, message: 'expired' }
      : { ok: false, status: 403, message: 'badToken' };
  },

  async findByKey(sessionKey: string): Promise<EditSessionRow | null> {
    return (await strapi.db.query(SESSION_UID).findOne({ where: { sessionKey } })) as EditSessionRow | null;
  },
});
