/** The diagram categories ProcessOn's partner API accepts (doc: "category" parameter). */
export const CATEGORIES = ['flow', 'mind', 'network', 'venn', 'mind_org', 'uml'] as const;

export type Category = (typeof CATEGORIES)[number];

export const DEFAULT_CATEGORY: Category = 'mind';

export const isCategory = (value: unknown): value is Category =>
  typeof value === 'string' && (CATEGORIES as readonly string[]).includes(value);
