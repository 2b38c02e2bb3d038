/**
 * Diagrams without ProcessOn: a def drawn as SVG, and an HTML outline of its text, by pure code
 * (no DOM, no Node-only API: the admin bundle imports it too). Everything in the def is untrusted:
 * text is escaped, nothing executable or external is emitted (images are placeholders unless their
 * host is allowed), work and output are bounded, and a bad def gives `{ok: false, error}`.
 *
 *   const result = renderDiagram(value.def, value.category, { title: value.title });
 *   if (result.ok) { result.svg; result.outline; result.stats }
 */
import { renderCanvas } from './canvas';
import { readDocument } from './input';
import { Budget, TimeExceeded, resolveLimits, type RenderOptions } from './limits';
import { renderMind } from './mind';
import { OutputTooLarge, idPrefix } from './svg';
import type { RenderStats } from './types';

export type { RenderOptions } from './limits';
export type { RenderStats } from './types';
export { DEFAULT_LIMITS } from './limits';
export { evaluateCoordinate, parseExpression, ExpressionError, type Variables } from './expr';
export { decodeEntities, fragmentToLines } from './text';
export { isImageHostPattern } from './svg';

/**
 * Changes whenever the renderer draws differently: part of the caching key (ETag) of every answer
 * that carries a rendering, so caches never keep a drawing of an older renderer.
 */
export const RENDERER_VERSION = '1';

export type RenderResult =
  | { ok: true; svg: string; outline: string; stats: RenderStats }
  | { ok: false; error: string };

/**
 * Renders a def (raw JSON text, base64 of URI-encoded JSON, a `.pos` file, or an already parsed
 * object) as `{svg, outline, stats}`. `category` is the field's diagram type (mind, mind_org, flow,
 * ...): it picks the org-chart layout for `mind_org`; the def's own shape decides mind map or canvas.
 * Never throws.
 */
export const renderDiagram = (def: unknown, category?: string, options?: RenderOptions): RenderResult => {
  const started = Date.now();
  try {
    const limits = resolveLimits(options);
    const doc = readDocument(def, limits.maxInputChars);
    if (typeof doc === 'string') return { ok: false, error: doc };
    const budget = new Budget(limits);
    const title = typeof options?.title === 'string' && options.title.trim() !== '' ? options.title : undefined;
    const prefix = idPrefix(options?.idPrefix, def);
    const rendered =
      doc.kind === 'mind' ? renderMind(doc, category ?? doc.category, budget, title, prefix) : renderCanvas(doc, budget, title, prefix);
    return { ok: true, svg: rendered.svg, outline: rendered.outline, stats: { ...rendered.stats, ms: Date.now() - started } };
  } catch (error) {
    if (error instanceof TimeExceeded) return { ok: false, error: 'the diagram took too long to render' };
    if (error instanceof OutputTooLarge) return { ok: false, error: 'the diagram is too large to render' };
    if (error instanceof RangeError) return { ok: false, error: 'the diagram is too deeply nested to render' };
    return { ok: false, error: 'the diagram could not be rendered' };
  }
};
