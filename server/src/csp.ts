/**
 * Adds an origin to directives of a Content-Security-Policy header value. A directive that is
 * absent is created from `default-src` (or 'self') so that adding an origin never widens it.
 */
export const addOriginToCsp = (header: string, directives: string[], origin: string): string => {
  const parts = header
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean);
  const byName = new Map<string, string[]>();
  for (const part of parts) {
    const [name, ...values] = part.split(/\s+/);
    byName.set(name.toLowerCase(), values);
  }
  for (const directive of directives) {
    const values = byName.get(directive) ?? [...(byName.get('default-src') ?? ["'self'"])];
    const cleaned = values.filter((v) => v !== "'none'");
    if (!cleaned.includes(origin)) cleaned.push(origin);
    byName.set(directive, cleaned);
  }
  return [...byName.entries()].map(([name, values]) => [name, ...values].join(' ')).join(';');
};
