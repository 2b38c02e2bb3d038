import { createHash } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { defSizeKB, type CallbackPush, type RevisionDTO } from '../processon';
import { REVISION_UID, SESSION_UID } from '../utils';
import type { EditSessionRow } from './sessions';

interface RevisionRow {
  id: number;
  documentId: string;
  chartid: string;
  def: string | null;
  size: number | string | null;
  valid: boolean | number | null;
  sha256: string;
  source: RevisionDTO['source'];
  sessionKey: string | null;
  userId: number | null;
  createdAt: string | Date;
}

const toDTO = (row: RevisionRow): RevisionDTO => ({
  id: row.documentId,
  chartid: row.chartid,
  def: row.def ?? '',
  size: Number(row.size ?? 0),
  valid: Boolean(row.valid),
  sha256: row.sha256,
  source: row.source,
  createdAt: new Date(row.createdAt).toISOString(),
});

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /**
   * Stores one save as a revision, in a transaction. A save identical to the chartid's newest
   * revision is not stored twice: the newest one is answered instead.
   */
  async store(
    session: EditSessionRow,
    push: CallbackPush,
    source: RevisionDTO['source']
  ): Promise<{ revision: RevisionDTO; duplicate: boolean }> {
    const hash = sha256(push.def);
    return strapi.db.transaction(async () => {
      const latest = (await strapi.db.query(REVISION_UID).findOne({
        where: { chartid: session.chartid },
        orderBy: [{ id: 'desc' }],
      })) as RevisionRow | null;
      const markSaved = (revisionId: string) =>
        strapi.db.query(SESSION_UID).update({
          where: { id: session.id },
          data: { lastRevision: revisionId, lastSavedAt: new Date() },
        });
      if (latest && latest.sha256 === hash && Boolean(latest.valid) === push.valid) {
        await markSaved(latest.documentId);
        return { revision: toDTO(latest), duplicate: true };
      }
      const row = (await strapi.db.query(REVISION_UID).create({
        data: {
          chartid: session.chartid,
          def: push.def,
          size: push.size ?? defSizeKB(push.def),
          valid: push.valid,
          sha256: hash,
          source,
          sessionKey: session.sessionKey,
          userId: session.userId,
        },
      })) as RevisionRow;
      await markSaved(row.documentId);
      return { revision: toDTO(row), duplicate: false };
    });
  },

  /** The newest revision of a chartid (any session). */
  async latestForChart(chartid: string): Promise<RevisionDTO | null> {
    const row = (await strapi.db.query(REVISION_UID).findOne({
      where: { chartid },
      orderBy: [{ id: 'desc' }],
    })) as RevisionRow | null;
    return row ? toDTO(row) : null;
  },

  async findOne(id: string): Promise<RevisionDTO | null> {
    const row = (await strapi.db.query(REVISION_UID).findOne({ where: { documentId: id } })) as RevisionRow | null;
    return row ? toDTO(row) : null;
  },
});
