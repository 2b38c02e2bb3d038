import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { FIELD_UID, type CreateSessionBody } from '../processon';
import { getService } from '../utils';
import { validateCreateSession } from '../validation';

interface UserAbility {
  can(action: string, subject?: string): boolean;
}

interface AdminState {
  user?: { id: number };
  userAbility?: UserAbility;
}

/** Walks a field path ("diagram", "blocks.0.diagram") through a model to the attribute at its end. */
const attributeAt = (strapi: Core.Strapi, uid: string, path: string): { customField?: string } | null => {
  let model = strapi.getModel(uid as never) as { attributes: Record<string, Record<string, unknown>> } | undefined;
  const segments = path.split('.');
  for (let i = 0; i < segments.length; i += 1) {
    if (!model) return null;
    const attribute = model.attributes[segments[i]];
    if (!attribute) return null;
    if (i === segments.length - 1) return attribute as { customField?: string };
    if (attribute.type === 'component') {
      if (attribute.repeatable && /^\d+$/.test(segments[i + 1] ?? '')) i += 1;
      model = strapi.getModel(attribute.component as never) as typeof model;
    } else if (attribute.type === 'dynamiczone') {
      // blocks.<index>.<field>: the component is only known from the data; accept any allowed one
      // that has the field.
      i += 1;
      const rest = segments[i + 1];
      const components = (attribute.components as string[] | undefined) ?? [];
      model = components
        .map((c) => strapi.getModel(c as never) as typeof model)
        .find((m) => !!m && rest !== undefined && rest in m.attributes);
    } else {
      return null;
    }
  }
  return null;
};

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async create(ctx: Context) {
    const body = (await validateCreateSession(ctx.request.body ?? {})) as CreateSessionBody;
    const state = ctx.state as AdminState;
    const attribute = attributeAt(strapi, body.uid, body.field);
    if (!attribute || attribute.customField !== FIELD_UID) {
      throw new errors.ValidationError(`${body.uid} has no ProcessOn diagram field at "${body.field}"`, {
        errors: [{ path: ['field'], message: `No ProcessOn diagram field at "${body.field}"`, name: 'ValidationError' }],
      });
    }
    const action = body.documentId ? 'update' : 'create';
    const ability = state.userAbility;
    if (!ability || !ability.can(`plugin::content-manager.explorer.${action}`, body.uid)) {
      throw new errors.ForbiddenError(`You may not ${action} ${body.uid} entries`);
    }
    const settings = getService(strapi, 'settings');
    const status = await settings.status();
    if (!status.configured) {
      throw new errors.ApplicationError(`ProcessOn is not configured: missing ${status.missing.join(', ')}`, {
        missing: status.missing,
      });
    }
    const { session, form } = await getService(strapi, 'sessions').create(body, state.user?.id ?? null);
    ctx.status = 201;
    ctx.body = {
      data: { sessionId: session.sessionKey, expiresAt: new Date(session.expiresAt).toISOString(), form },
    };
  },

  async state(ctx: Context) {
    const sessionKey = String(ctx.params.sessionId ?? '');
    const session = await getService(strapi, 'sessions').findByKey(sessionKey);
    const state = ctx.state as AdminState;
    if (!session || session.userId !== (state.user?.id ?? null)) {
      throw new errors.NotFoundError('No such edit session');
    }
    const revision = session.lastRevision
      ? await getService(strapi, 'revisions').findOne(session.lastRevision)
      : null;
    ctx.body = {
      data: {
        sessionId: session.sessionKey,
        chartid: session.chartid,
        expiresAt: new Date(session.expiresAt).toISOString(),
        revision,
        savedAt: session.lastSavedAt ? new Date(session.lastSavedAt).toISOString() : null,
      },
    };
  },
});
