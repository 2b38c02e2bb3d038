import type { Core } from '@strapi/strapi';
import { quotaState, type UsageResponse } from '../processon';
import { SESSION_UID, getService } from '../utils';

/**
 * Editor sessions opened, counted from the edit-session table (each row is one opening of the
 * editor, which ProcessOn bills as one session). "Today" and "this month" are in the server's time
 * zone, so every Strapi instance counts alike.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const countSince = async (since: Date | null): Promise<number> =>
    Number(
      await strapi.db.query(SESSION_UID).count(since ? { where: { createdAt: { $gte: since } } } : {})
    );

  return {
    async current(now: Date = new Date()): Promise<UsageResponse['data']> {
      const { values } = await getService(strapi, 'settings').get();
      const startOfDay = new Date(now.getFullYear(), now.getMonth(), now.getDate());
      const startOfMonth = new Date(now.getFullYear(), now.getMonth(), 1);
      const [today, month, total] = await Promise.all([countSince(startOfDay), countSince(startOfMonth), countSince(null)]);
      const used = values.quotaPeriod === 'month' ? month : total;
      return {
        today,
        month,
        total,
        quota: values.sessionQuota,
        period: values.quotaPeriod,
        used,
        state: quotaState(used, values.sessionQuota),
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      };
    },
  };
};
