import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import {
  FIELD_UID,
  parseCallbackPush,
  readFieldOptions,
  type CreateSessionBody,
  type SessionRefusalDetails,
  type SessionStateResponse,
} from '../processon';
import type { EditSessionRow } from '../services/sessions';
import { refuseOversizedDef } from '../middlewares/body-limit';
import { getService } from '../utils';
import { permissionField, walkFieldPath } from '../utils/field-path';
import { assertMayEdit, type AdminState } from '../utils/permissions';
import { validateCreateSession } from '../validation';

/** The session of the signed-in user, or 404 (another user's session is not theirs to see). */
const ownSession = async (strapi: Core.Strapi, ctx: Context): Promise<EditSessionRow> => {
  const sessionKey = String(ctx.params.sessionId ?? '');
  const session = await getService(strapi, 'sessions').findByKey(sessionKey);
  if (!session || session.userId !== ((ctx.state as AdminState).user?.id ?? null)) {
    throw new errors.NotFoundError('No such edit session');
  }
  return session;
};

/** What the field polls: the newest save through a session (its def only when new to the caller). */
const stateOf = async (strapi: Core.Strapi, session: EditSessionRow, since?: string): Promise<SessionStateResponse['data']> => ({
  sessionId: session.sessionKey,
  chartid: session.chartid,
  expiresAt: new Date(session.expiresAt).toISOString(),
  revision:
    session.lastRevision && session.lastRevision !== since
      ? await getService(strapi, 'revisions').findOne(session.lastRevision)
      : null,
  revisionId: session.lastRevision,
  savedAt: session.lastSavedAt ? new Date(session.lastSavedAt).toISOString() : null,
});

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async create(ctx: Context) {
    const body = (await validateCreateSession(ctx.request.body ?? {})) as CreateSessionBody;
    const state = ctx.state as AdminState;
    const walked = walkFieldPath((uid) => strapi.getModel(uid as never) as never, body.uid, body.field);
    if (!walked || walked.attribute.customField !== FIELD_UID) {
      throw new errors.ValidationError(`${body.uid} has no ProcessOn diagram field at "${body.field}"`, {
        errors: [{ path: ['field'], message: `No ProcessOn diagram field at "${body.field}"`, name: 'ValidationError' }],
      });
    }
    const options = readFieldOptions(walked.attribute.options);
    if (!options.allowedCategories.includes(body.category)) {
      const allowed = options.allowedCategories.join(', ');
      throw new errors.ValidationError(`category "${body.category}" is not allowed for this field (allowed: ${allowed})`, {
        errors: [{ path: ['category'], message: `category must be one of ${allowed} for this field`, name: 'ValidationError' }],
      });
    }
    await assertMayEdit(strapi, state, body, permissionField(walked.steps));
    const settings = getService(strapi, 'settings');
    const status = await settings.status();
    if (!status.configured) {
      throw new errors.ApplicationError(`ProcessOn is not configured: missing ${status.missing.join(', ')}`, {
        missing: status.missing,
      });
    }
    // The plugin's own session budget: past it ProcessOn would bill (or answer 4004), so stop here.
    const usage = await getService(strapi, 'usage').current();
    if (usage.state === 'reached') {
      const details: SessionRefusalDetails = { processonCode: 4004, reason: 'quota' };
      throw new errors.RateLimitError(
        `The editor session quota is reached (${usage.used} of ${usage.quota} ${usage.period === 'month' ? 'this month' : 'in total'})`,
        details
      );
    }
    const { session, form } = await getService(strapi, 'sessions').create(body, state.user?.id ?? null, options);
    ctx.status = 201;
    ctx.body = {
      data: { sessionId: session.sessionKey, expiresAt: new Date(session.expiresAt).toISOString(), form },
    };
  },

  /**
   * POST /processon/sessions/:sessionId/saves: a save the editor posted to the admin page
   * (postMessage), forwarded by the field. Stored exactly like a callback.
   */
  async save(ctx: Context) {
    const session = await ownSession(strapi, ctx);
    const parsed = parseCallbackPush(ctx.request.body);
    if (!parsed.ok) throw new errors.ValidationError(parsed.error);
    await refuseOversizedDef(strapi, ctx, 'admin', parsed.value.def);
    const result = await getService(strapi, 'saves').accept(session, parsed.value, 'postMessage');
    if (!result.ok) {
      if (result.reason === 'otherChart') throw new errors.ValidationError('chartid does not match this edit session');
      if (result.reason === 'expired') throw new errors.ApplicationError('This edit session has expired: reopen the editor');
      throw new Error('The save could not be stored');
    }
    const fresh = await getService(strapi, 'sessions').findByKey(session.sessionKey);
    ctx.body = { data: await stateOf(strapi, fresh ?? session) };
  },

  async state(ctx: Context) {
    const since = typeof ctx.query.since === 'string' ? ctx.query.since : undefined;
    ctx.body = { data: await stateOf(strapi, await ownSession(strapi, ctx), since) };
  },
});
