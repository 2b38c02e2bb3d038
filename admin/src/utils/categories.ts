import type { Category } from '../../../server/src/processon/categories';
import type { TranslationKey } from './getTranslation';

/** The translation key of each category's display name. */
export const CATEGORY_KEYS: Record<Category, TranslationKey> = {
  flow: 'category.flow',
  mind: 'category.mind',
  network: 'category.network',
  venn: 'category.venn',
  mind_org: 'category.mind_org',
  uml: 'category.uml',
};
