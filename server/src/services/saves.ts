import type { Core } from '@strapi/strapi';
import type { CallbackPush, RevisionDTO } from '../processon';
import { getService } from '../utils';
import type { EditSessionRow } from './sessions';

/** Why a save was refused; each maps to one status and one short message. */
export type SaveRefusal = 'unknownSession' | 'otherChart' | 'expired' | 'failed';

export type SaveResult =
  | { ok: true; revision: RevisionDTO; duplicate: boolean }
  | { ok: false; reason: SaveRefusal };

/**
 * The one path every save takes, whichever channel brought it (ProcessOn's callback, or the
 * editor's postMessage forwarded by the admin): same checks, same revision store, so the two
 * channels can never disagree.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async accept(
    session: EditSessionRow | null,
    push: CallbackPush,
    source: RevisionDTO['source']
  ): Promise<SaveResult> {
    if (!session) return { ok: false, reason: 'unknownSession' };
    if (session.chartid !== push.chartid) return { ok: false, reason: 'otherChart' };
    if (new Date(session.expiresAt).getTime() <= Date.now()) return { ok: false, reason: 'expired' };
    try {
      const { revision, duplicate } = await getService(strapi, 'revisions').store(session, push, source);
      return { ok: true, revision, duplicate };
    } catch (error) {
      strapi.log.error(`processon: storing a save for chart ${push.chartid} failed: ${String(error)}`);
      return { ok: false, reason: 'failed' };
    }
  },
});
