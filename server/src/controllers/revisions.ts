import type { Core } from '@strapi/strapi';
import { errors, validateYupSchema, yup } from '@strapi/utils';
import type { Context } from 'koa';
import {
  REVISIONS_PAGE_SIZE_DEFAULT,
  REVISIONS_PAGE_SIZE_MAX,
  isChartId,
  type RevisionListResponse,
  type RevisionResponse,
  type RevisionRestoreResponse,
} from '../processon';
import { getService } from '../utils';
import { defaultLocale } from '../utils/locales';
import { validateRestoreTarget } from '../validation';

interface AdminState {
  user?: { id: number };
  userAbility?: unknown;
}

type Action = 'read' | 'update';

/** The Content Manager's own permission checker (conditions such as "is creator", locales). */
interface PermissionChecker {
  cannot: Record<Action, (entity?: Record<string, unknown> | null) => boolean>;
  requiresEntity: Record<Action, () => boolean>;
  sanitizedQuery: Record<Action, (query: Record<string, unknown>) => Promise<{ filters?: Record<string, unknown> | null }>>;
}
interface PermissionCheckerFactory {
  create(args: { userAbility: unknown; model: string }): PermissionChecker;
}

const chartidSchema = yup
  .string()
  .required('chartid is required')
  .test('uuid', 'chartid must be a UUID', (value) => isChartId(value));

const listSchema = yup.object({
  chartid: chartidSchema,
  page: yup
    .number()
    .typeError('page must be an integer >= 1')
    .integer('page must be an integer >= 1')
    .min(1, 'page must be an integer >= 1')
    .default(1),
  pageSize: yup
    .number()
    .typeError(`pageSize must be an integer between 1 and ${REVISIONS_PAGE_SIZE_MAX}`)
    .integer(`pageSize must be an integer between 1 and ${REVISIONS_PAGE_SIZE_MAX}`)
    .min(1, `pageSize must be an integer between 1 and ${REVISIONS_PAGE_SIZE_MAX}`)
    .max(REVISIONS_PAGE_SIZE_MAX, `pageSize must be an integer between 1 and ${REVISIONS_PAGE_SIZE_MAX}`)
    .default(REVISIONS_PAGE_SIZE_DEFAULT),
});

const revisionSchema = yup.object({
  chartid: chartidSchema,
  id: yup
    .string()
    .required('id is required')
    .matches(/^[A-Za-z0-9_-]{1,64}$/, 'id must be a revision id'),
});

const validateList = validateYupSchema(listSchema, { strict: false, abortEarly: false }) as (
  input: unknown
) => Promise<{ chartid: string; page: number; pageSize: number }>;
const validateRevision = validateYupSchema(revisionSchema, { strict: false, abortEarly: false }) as (
  input: unknown
) => Promise<{ chartid: string; id: string }>;

/** A query value as one string (a repeated key is refused by the schema, not silently picked). */
const queryValue = (value: unknown): unknown => (Array.isArray(value) ? value.join(',') : value);

export default ({ strapi }: { strapi: Core.Strapi }) => {
  /**
   * Only users whom the Content Manager lets `action` the content type owning the chartid (found
   * through its edit sessions) get through: 404 for a chartid no session ever named, 403 otherwise.
   * Conditional permissions (e.g. the Author role's "is creator") are checked against the owning
   * document with the Content Manager's own permission filters; while the diagram belongs to no
   * saved document yet, only the users who opened its editor pass them.
   */
  const authorize = async (ctx: Context, chartid: string, actions: Action[]): Promise<void> => {
    const owner = await getService(strapi, 'revisions').owner(chartid);
    if (!owner || !strapi.contentTypes[owner.uid as keyof typeof strapi.contentTypes]) {
      throw new errors.NotFoundError(`No diagram with chartid ${chartid}`);
    }
    const state = ctx.state as AdminState;
    if (!state.userAbility) throw new errors.ForbiddenError('No permissions');
    const factory = strapi.plugin('content-manager').service('permission-checker') as unknown as PermissionCheckerFactory;
    const checker = factory.create({ userAbility: state.userAbility, model: owner.uid });
    for (const action of actions) {
      const refused = () => new errors.ForbiddenError(`You may not ${action} the ${owner.uid} entry of this diagram`);
      if (checker.cannot[action]()) throw refused();
      if (!checker.requiresEntity[action]()) continue;
      // The draft always exists (Draft & Publish); without a known locale, any locale of the document.
      const versions = (filters: object) =>
        strapi.documents(owner.uid as never).count({
          filters: { $and: [{ documentId: owner.documentId }, filters] },
          locale: owner.locale ?? '*',
          status: 'draft',
        } as never);
      if (!owner.documentId || !(await versions({}))) {
        // No saved entry (or locale of it) yet: a rule that only restricts locales can be checked on
        // the locale alone; any other condition (e.g. "is creator") leaves the diagram to the users
        // who opened it.
        const locale = owner.locale ?? (await defaultLocale(strapi));
        if (checker.cannot[action](locale ? { locale } : null) && !owner.sessionUserIds.includes(state.user?.id ?? -1)) {
          throw refused();
        }
        continue;
      }
      const { filters } = await checker.sanitizedQuery[action]({});
      if (!(await versions(filters ?? {}))) throw refused();
    }
  };

  return {
    /** GET /processon/charts/:chartid/revisions?page=&pageSize= */
    async list(ctx: Context) {
      const { chartid, page, pageSize } = await validateList({
        chartid: ctx.params.chartid,
        page: queryValue(ctx.query.page),
        pageSize: queryValue(ctx.query.pageSize),
      });
      await authorize(ctx, chartid, ['read']);
      const { results, pagination } = await getService(strapi, 'revisions').list(chartid, page, pageSize);
      const body: RevisionListResponse = { data: results, meta: { pagination } };
      ctx.body = body;
    },

    /** GET /processon/charts/:chartid/revisions/:id */
    async findOne(ctx: Context) {
      const { chartid, id } = await validateRevision({ chartid: ctx.params.chartid, id: ctx.params.id });
      await authorize(ctx, chartid, ['read']);
      const revision = await getService(strapi, 'revisions').findForChart(chartid, id);
      if (!revision) throw new errors.NotFoundError('No such revision of this diagram');
      const body: RevisionResponse = { data: revision };
      ctx.body = body;
    },

    /** POST /processon/charts/:chartid/revisions/:id/restore */
    async restore(ctx: Context) {
      const { chartid, id } = await validateRevision({ chartid: ctx.params.chartid, id: ctx.params.id });
      const target = await validateRestoreTarget(ctx.request.body);
      const userId = (ctx.state as AdminState).user?.id ?? null;
      const revisions = getService(strapi, 'revisions');
      if (target && (await getService(strapi, 'sessions').chartFor({ ...target, chartid }, userId)) !== chartid) {
        // The field's entry (or locale) edits a fork of this chart: its history is not theirs to write.
        await authorize(ctx, chartid, ['read']);
        const revision = await revisions.findForChart(chartid, id);
        if (!revision) throw new errors.NotFoundError('No such revision of this diagram');
        const answer: RevisionRestoreResponse = { data: revision, meta: { created: false, stored: false } };
        ctx.body = answer;
        return;
      }
      await authorize(ctx, chartid, ['read', 'update']);
      const restored = await revisions.restore(chartid, id, userId);
      if (!restored) throw new errors.NotFoundError('No such revision of this diagram');
      const body: RevisionRestoreResponse = { data: restored.revision, meta: { created: restored.created, stored: true } };
      ctx.status = restored.created ? 201 : 200;
      ctx.body = body;
    },
  };
};
