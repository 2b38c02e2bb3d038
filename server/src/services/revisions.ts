import { createHash } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import {
  defSizeKB,
  type CallbackPush,
  type Pagination,
  type RevisionAuthor,
  type RevisionDTO,
  type RevisionDetail,
  type RevisionSummary,
} from '../processon';
import { REVISION_UID, SESSION_UID, getService } from '../utils';
import type { EditSessionRow } from './sessions';

interface RevisionRow {
  id: number;
  documentId: string;
  chartid: string;
  def?: string | null;
  size: number | string | null;
  valid: boolean | number | null;
  sha256: string;
  source: RevisionDTO['source'];
  sessionKey: string | null;
  userId: number | null;
  createdAt: string | number | Date;
}

/** What lockChart needs of the transaction Strapi hands out (a knex transaction). */
interface RawRunner {
  raw(sql: string, bindings: readonly (string | number)[]): PromiseLike<unknown>;
}

/** First key of the plugin's PostgreSQL advisory locks ("PrOn"); the second is the chartid's hash. */
const CHART_LOCK_CLASS = 0x50724f6e;

/** Every column but def: lists and bookkeeping never read the (possibly 20 MB) def. */
const META_FIELDS = ['id', 'documentId', 'chartid', 'size', 'valid', 'sha256', 'source', 'sessionKey', 'userId', 'createdAt'];

const toDTO = (row: RevisionRow, def: string): RevisionDTO => ({
  id: row.documentId,
  chartid: row.chartid,
  def,
  size: Number(row.size ?? 0),
  valid: Boolean(row.valid),
  sha256: row.sha256,
  source: row.source,
  createdAt: new Date(row.createdAt).toISOString(),
});

const toSummary = (row: RevisionRow, user: RevisionAuthor | null): RevisionSummary => {
  const { def: _def, ...summary } = toDTO(row, '');
  return { ...summary, user };
};

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Who a revision is stored for: the chart, and the session and admin user it came through. */
export interface RevisionTarget {
  chartid: string;
  /** The edit session whose lastRevision/lastSavedAt record this save; null for a restore. */
  sessionId: number | null;
  sessionKey: string | null;
  userId: number | null;
}

/** The content type (and document, when known) that owns a chartid, found through its edit sessions. */
export interface ChartOwner {
  uid: string;
  documentId: string | null;
  locale: string | null;
  /** Admin users who opened an edit session of this chartid on that content type. */
  sessionUserIds: number[];
}

type SessionRef = Pick<
  EditSessionRow,
  'id' | 'contentType' | 'targetDocumentId' | 'targetLocale' | 'fieldPath' | 'userId' | 'expiresAt' | 'lastRevision'
>;

interface Attribute {
  type?: string;
  component?: string;
  components?: string[];
}
interface ModelLike {
  attributes: Record<string, Attribute>;
}

/** A query-engine populate, as far as reaching a nested diagram field needs one. */
type Populate = { [attribute: string]: PopulateValue };
type PopulateValue = true | { populate?: Populate; on?: Record<string, { populate?: Populate }> };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Path segments that name attributes ("blocks.0.diagram" → ["blocks", "diagram"]): indexes are skipped. */
const attributeSegments = (fieldPath: string): string[] => fieldPath.split('.').filter((s) => s !== '' && !/^\d+$/.test(s));

/**
 * Every value found at a field path in a (populated) row, through components, repeatable
 * components and dynamic zones. Indexes are ignored on purpose: an entry whose blocks were
 * reordered still holds its diagram, only elsewhere.
 */
export const valuesAtPath = (row: unknown, fieldPath: string): unknown[] => {
  let current: unknown[] = [row];
  for (const segment of attributeSegments(fieldPath)) {
    const next: unknown[] = [];
    for (const item of current) {
      if (!isRecord(item)) continue;
      const value = item[segment];
      if (Array.isArray(value)) next.push(...(value as unknown[]));
      else if (value !== undefined && value !== null) next.push(value);
    }
    current = next;
  }
  return current;
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const modelOf = (uid: string): ModelLike | null =>
    (strapi.getModel(uid as never) as unknown as ModelLike | undefined) ?? null;

  /** The populate that loads what lies under `attribute` down to the end of `rest`; null if the path is gone. */
  const populateUnder = (attribute: Attribute | undefined, rest: string[]): PopulateValue | null => {
    if (!attribute || rest.length === 0) return null;
    const [head, ...tail] = rest;
    const inner = (model: ModelLike | null): { populate?: Populate } | null => {
      if (!model || !model.attributes[head]) return null;
      if (tail.length === 0) return {};
      const nested = populateUnder(model.attributes[head], tail);
      return nested === null ? null : { populate: { [head]: nested } };
    };
    if (attribute.type === 'component' && attribute.component) {
      const value = inner(modelOf(attribute.component));
      return value === null ? null : value.populate ? value : true;
    }
    if (attribute.type === 'dynamiczone') {
      const on: Record<string, { populate?: Populate }> = {};
      for (const component of attribute.components ?? []) {
        const value = inner(modelOf(component));
        if (value !== null) on[component] = value;
      }
      return Object.keys(on).length > 0 ? { on } : null;
    }
    return null;
  };

  /** select + populate that read the field at `fieldPath` of a content type; null when the field is gone. */
  const readPlan = (uid: string, fieldPath: string): { select: string[]; populate?: Populate } | null => {
    const model = modelOf(uid);
    const [head, ...rest] = attributeSegments(fieldPath);
    if (!model || head === undefined || !model.attributes[head] || !strapi.db.metadata.has(uid)) return null;
    if (rest.length === 0) return { select: ['id', head] };
    const populate = populateUnder(model.attributes[head], rest);
    return populate === null ? null : { select: ['id'], populate: { [head]: populate } };
  };

  const revisions = () => strapi.db.query(REVISION_UID);

  /**
   * What pruning must keep besides the newest revisions:
   * - the revision(s) a field currently points at, i.e. whose sha256 is the sha256 of the def stored
   *   in a field holding this chartid, in any version of any document the chartid's edit sessions
   *   name (draft and published, every locale);
   * - the newest save of every edit session still open (its field may not have fetched it yet).
   */
  const protectedRevisions = async (chartid: string): Promise<{ hashes: string[]; documentIds: string[] }> => {
    const sessions = (await strapi.db.query(SESSION_UID).findMany({
      where: { chartid },
      select: ['id', 'contentType', 'targetDocumentId', 'targetLocale', 'fieldPath', 'expiresAt', 'lastRevision'],
    })) as SessionRef[];
    const now = Date.now();
    const documentIds = new Set<string>();
    const targets = new Map<string, { uid: string; documentId: string; fieldPath: string }>();
    for (const session of sessions) {
      if (session.lastRevision && new Date(session.expiresAt).getTime() > now) documentIds.add(session.lastRevision);
      if (!session.targetDocumentId) continue;
      const key = `${session.contentType}\u0000${session.targetDocumentId}\u0000${session.fieldPath}`;
      targets.set(key, { uid: session.contentType, documentId: session.targetDocumentId, fieldPath: session.fieldPath });
    }
    const hashes = new Set<string>();
    for (const { uid, documentId, fieldPath } of targets.values()) {
      const plan = readPlan(uid, fieldPath);
      if (!plan) continue;
      // One query: every row of the document (draft, published, every locale).
      const rows = (await strapi.db.query(uid as never).findMany({ where: { documentId }, ...plan })) as unknown[];
      for (const row of rows) {
        for (const value of valuesAtPath(row, fieldPath)) {
          if (isRecord(value) && value.chartid === chartid && typeof value.def === 'string') hashes.add(sha256(value.def));
        }
      }
    }
    return { hashes: [...hashes], documentIds: [...documentIds] };
  };

  /**
   * Deletes all but the newest `revisionsKept` revisions of a chartid, except the protected ones.
   * Runs inside the store's transaction: one query finds the boundary, one deletes.
   */
  const prune = async (chartid: string): Promise<number> => {
    const kept = (await getService(strapi, 'settings').get()).values.revisionsKept;
    const [boundary] = (await revisions().findMany({
      where: { chartid },
      select: ['id'],
      orderBy: [{ id: 'desc' }],
      offset: kept,
      limit: 1,
    })) as Pick<RevisionRow, 'id'>[];
    if (!boundary) return 0;
    const keep = await protectedRevisions(chartid);
    const { count } = (await revisions().deleteMany({
      where: {
        chartid,
        id: { $lte: boundary.id },
        ...(keep.hashes.length > 0 ? { sha256: { $notIn: keep.hashes } } : {}),
        ...(keep.documentIds.length > 0 ? { documentId: { $notIn: keep.documentIds } } : {}),
      },
    })) as { count: number };
    return count;
  };

  /**
   * Serializes the saves of one chartid across every Strapi instance sharing the database, for the
   * rest of the current transaction: "identical to the newest" and pruning are then exact, whatever
   * the concurrency. SQLite needs nothing (its single connection runs one transaction at a time).
   * PostgreSQL takes a transaction-level advisory lock on the chartid (released by commit, rollback,
   * or the server when the connection of a crashed instance drops); it does not depend on any row
   * existing. Other clients lock the chartid's session rows (FOR UPDATE, in id order, so that two
   * saves never deadlock): every save comes through a session of its chartid.
   */
  const lockChart = async (trx: RawRunner, chartid: string): Promise<void> => {
    const client = strapi.db.dialect.client;
    if (client === 'sqlite') return;
    if (client === 'postgres') {
      await trx.raw('SELECT pg_advisory_xact_lock(?, hashtext(?))', [CHART_LOCK_CLASS, chartid]);
      return;
    }
    await strapi.db.queryBuilder(SESSION_UID).select(['id']).where({ chartid }).orderBy({ id: 'asc' }).forUpdate().execute();
  };

  /**
   * Stores one save as a revision, atomically: the revision, the session's lastRevision/lastSavedAt
   * and the pruning commit together or not at all. A save identical (def and valid) to the chartid's
   * newest revision is not stored twice: the newest one is answered instead.
   */
  const storeRevision = async (
    target: RevisionTarget,
    push: Pick<CallbackPush, 'def' | 'size' | 'valid'>,
    source: RevisionDTO['source']
  ): Promise<{ revision: RevisionDTO; duplicate: boolean }> => {
    const hash = sha256(push.def);
    return strapi.db.transaction(async ({ trx }) => {
      await lockChart(trx, target.chartid);
      const latest = (await revisions().findOne({
        where: { chartid: target.chartid },
        select: META_FIELDS,
        orderBy: [{ id: 'desc' }],
      })) as RevisionRow | null;
      const markSaved = async (revisionId: string) => {
        if (target.sessionId === null) return;
        await strapi.db.query(SESSION_UID).update({
          where: { id: target.sessionId },
          data: { lastRevision: revisionId, lastSavedAt: new Date() },
        });
      };
      if (latest && latest.sha256 === hash && Boolean(latest.valid) === push.valid) {
        await markSaved(latest.documentId);
        return { revision: toDTO(latest, push.def), duplicate: true };
      }
      const row = (await revisions().create({
        data: {
          chartid: target.chartid,
          def: push.def,
          size: push.size ?? defSizeKB(push.def),
          valid: push.valid,
          sha256: hash,
          source,
          sessionKey: target.sessionKey,
          userId: target.userId,
        },
        select: META_FIELDS,
      })) as RevisionRow;
      await prune(target.chartid);
      await markSaved(row.documentId);
      return { revision: toDTO(row, push.def), duplicate: false };
    });
  };

  /** Admin users by id, in one query. */
  const authors = async (userIds: (number | null)[]): Promise<Map<number, RevisionAuthor>> => {
    const ids = [...new Set(userIds.filter((id): id is number => typeof id === 'number'))];
    const map = new Map<number, RevisionAuthor>();
    if (ids.length === 0) return map;
    const users = (await strapi.db.query('admin::user').findMany({
      where: { id: { $in: ids } },
      select: ['id', 'firstname', 'lastname', 'email'],
    })) as { id: number; firstname?: string | null; lastname?: string | null; email?: string | null }[];
    for (const user of users) {
      map.set(user.id, { id: user.id, firstname: user.firstname ?? null, lastname: user.lastname ?? null, email: user.email ?? null });
    }
    return map;
  };

  const authorOf = (map: Map<number, RevisionAuthor>, userId: number | null): RevisionAuthor | null =>
    userId === null || userId === undefined
      ? null
      : map.get(userId) ?? { id: userId, firstname: null, lastname: null, email: null };

  const detail = async (row: RevisionRow, def: string): Promise<RevisionDetail> => {
    const users = await authors([row.userId]);
    return { ...toDTO(row, def), user: authorOf(users, row.userId) };
  };

  return {
    /** Stores a save that came through an edit session (callback or postMessage). */
    async store(
      session: EditSessionRow,
      push: CallbackPush,
      source: RevisionDTO['source']
    ): Promise<{ revision: RevisionDTO; duplicate: boolean }> {
      return storeRevision(
        { chartid: session.chartid, sessionId: session.id, sessionKey: session.sessionKey, userId: session.userId },
        push,
        source
      );
    },

    storeRevision,

    /** Prunes a chartid now (the store does it on every save). */
    prune,

    /** The newest revision of a chartid (any session). */
    async latestForChart(chartid: string): Promise<RevisionDTO | null> {
      const row = (await revisions().findOne({ where: { chartid }, orderBy: [{ id: 'desc' }] })) as RevisionRow | null;
      return row ? toDTO(row, row.def ?? '') : null;
    },

    async findOne(id: string): Promise<RevisionDTO | null> {
      const row = (await revisions().findOne({ where: { documentId: id } })) as RevisionRow | null;
      return row ? toDTO(row, row.def ?? '') : null;
    },

    /**
     * The content type owning a chartid: the one named by its oldest edit session (a later session
     * naming another type cannot take a diagram over), with the first document of that type any of
     * its sessions named. Null when no session ever named the chartid.
     */
    async owner(chartid: string): Promise<ChartOwner | null> {
      const sessions = (await strapi.db.query(SESSION_UID).findMany({
        where: { chartid },
        select: ['id', 'contentType', 'targetDocumentId', 'targetLocale', 'userId'],
        orderBy: [{ id: 'asc' }],
      })) as SessionRef[];
      if (sessions.length === 0) return null;
      const uid = sessions[0].contentType;
      const sameType = sessions.filter((s) => s.contentType === uid);
      const withDocument = sameType.find((s) => !!s.targetDocumentId);
      return {
        uid,
        documentId: withDocument?.targetDocumentId ?? null,
        // The locale of the document's session; before the entry is saved, of the first session.
        locale: withDocument ? withDocument.targetLocale : (sameType[0].targetLocale ?? null),
        sessionUserIds: [...new Set(sameType.map((s) => s.userId).filter((id): id is number => typeof id === 'number'))],
      };
    },

    /**
     * Whether some version (draft or published, any locale) of a document holds `chartid` at
     * `fieldPath`, and the admin users who created those versions.
     */
    async chartHolder(
      uid: string,
      documentId: string,
      fieldPath: string,
      chartid: string
    ): Promise<{ holds: boolean; creatorIds: number[] }> {
      const plan = readPlan(uid, fieldPath);
      if (!plan) return { holds: false, creatorIds: [] };
      const rows = (await strapi.db.query(uid as never).findMany({
        where: { documentId },
        ...plan,
        populate: { ...(plan.populate ?? {}), createdBy: { select: ['id'] } },
      })) as Record<string, unknown>[];
      const holding = rows.filter((row) => valuesAtPath(row, fieldPath).some((v) => isRecord(v) && v.chartid === chartid));
      const creatorIds = holding
        .map((row) => (isRecord(row.createdBy) ? row.createdBy.id : null))
        .filter((id): id is number => typeof id === 'number');
      return { holds: holding.length > 0, creatorIds };
    },

    /** A page of a chartid's revisions, newest first, without def. */
    async list(
      chartid: string,
      page: number,
      pageSize: number
    ): Promise<{ results: RevisionSummary[]; pagination: Pagination }> {
      const [total, rows] = await Promise.all([
        revisions().count({ where: { chartid } }) as Promise<number>,
        revisions().findMany({
          where: { chartid },
          select: META_FIELDS,
          orderBy: [{ id: 'desc' }],
          offset: (page - 1) * pageSize,
          limit: pageSize,
        }) as Promise<RevisionRow[]>,
      ]);
      const users = await authors(rows.map((row) => row.userId));
      return {
        results: rows.map((row) => toSummary(row, authorOf(users, row.userId))),
        pagination: { page, pageSize, pageCount: Math.ceil(Number(total) / pageSize), total: Number(total) },
      };
    },

    /** One revision of a chartid, with def; null if it is not there (or belongs to another chartid). */
    async findForChart(chartid: string, id: string): Promise<RevisionDetail | null> {
      const row = (await revisions().findOne({ where: { chartid, documentId: id } })) as RevisionRow | null;
      return row ? detail(row, row.def ?? '') : null;
    },

    /**
     * Restores a revision: stores its def (same size and valid) as a new revision whose source is
     * `restore`, made by `userId`. Restoring what is already the newest revision stores nothing
     * (identical consecutive saves are stored once) and answers the newest revision, created: false.
     */
    async restore(
      chartid: string,
      id: string,
      userId: number | null
    ): Promise<{ revision: RevisionDetail; created: boolean } | null> {
      const source = (await revisions().findOne({ where: { chartid, documentId: id } })) as RevisionRow | null;
      if (!source) return null;
      const def = source.def ?? '';
      const { revision, duplicate } = await storeRevision(
        { chartid, sessionId: null, sessionKey: null, userId },
        { def, size: Number(source.size ?? 0), valid: Boolean(source.valid) },
        'restore'
      );
      const row = (await revisions().findOne({ where: { documentId: revision.id }, select: META_FIELDS })) as RevisionRow | null;
      return { revision: row ? await detail(row, def) : { ...revision, user: null }, created: !duplicate };
    },
  };
};
