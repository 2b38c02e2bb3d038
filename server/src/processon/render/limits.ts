/**
 * The bounds of one rendering: how much input is read, how many topics/elements are drawn, how deep
 * a tree goes, how large the output may grow and how long it may take. Past a drawing bound the
 * rest is left out (stats.truncated); past the time or output bound the rendering fails with a
 * clear error. Nothing here uses Node-only or DOM APIs.
 */

export interface RenderOptions {
  /**
   * Hosts whose images may be referenced by URL in the SVG (`cdn.example.com`, or `*.example.com`
   * for its subdomains). Default none: every image is a placeholder. The renderer itself never
   * fetches anything.
   */
  allowedImageHosts?: readonly string[];
  /**
   * Prefix of the ids in the SVG (its own id, symbols, gradients; letters, digits, - and _), for
   * pages that inline several renderings. Default: a short hash of the def.
   */
  idPrefix?: string;
  /** Title for the SVG's <title> and the outline (default: the .pos title, else none). */
  title?: string;
  /** Largest def read, in characters (default 20 MiB). */
  maxInputChars?: number;
  /** Most topics (mind maps) or elements (canvas) drawn (default 20,000). */
  maxNodes?: number;
  /** Deepest topic level drawn (default 60). */
  maxDepth?: number;
  /** Largest SVG and largest outline, in characters each (default 16 MiB). */
  maxOutputChars?: number;
  /** Time budget in ms (default 3,000). */
  timeBudgetMs?: number;
}

export interface Limits {
  allowedImageHosts: readonly string[];
  maxInputChars: number;
  maxNodes: number;
  maxDepth: number;
  maxOutputChars: number;
  timeBudgetMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  allowedImageHosts: [],
  maxInputChars: 20 * 1024 * 1024,
  maxNodes: 20_000,
  maxDepth: 60,
  maxOutputChars: 16 * 1024 * 1024,
  timeBudgetMs: 3_000,
};

const positive = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;

export const resolveLimits = (options: RenderOptions | undefined): Limits => ({
  allowedImageHosts: Array.isArray(options?.allowedImageHosts)
    ? options.allowedImageHosts.filter((h): h is string => typeof h === 'string' && h.trim() !== '')
    : [],
  maxInputChars: positive(options?.maxInputChars, DEFAULT_LIMITS.maxInputChars),
  maxNodes: Math.floor(positive(options?.maxNodes, DEFAULT_LIMITS.maxNodes)),
  maxDepth: Math.floor(positive(options?.maxDepth, DEFAULT_LIMITS.maxDepth)),
  maxOutputChars: positive(options?.maxOutputChars, DEFAULT_LIMITS.maxOutputChars),
  timeBudgetMs: positive(options?.timeBudgetMs, DEFAULT_LIMITS.timeBudgetMs),
});

export class TimeExceeded extends Error {}

/** Counts work and checks the clock every few hundred steps. */
export class Budget {
  private steps = 0;
  private readonly deadline: number;
  truncated = false;
  nodes = 0;

  constructor(readonly limits: Limits) {
    this.deadline = Date.now() + limits.timeBudgetMs;
  }

  /** One unit of work; throws TimeExceeded past the deadline. */
  tick(weight = 1): void {
    this.steps += weight;
    if (this.steps >= 256) {
      this.steps = 0;
      if (Date.now() > this.deadline) throw new TimeExceeded();
    }
  }

  /** Takes one node of the drawing budget; false (and truncated) when it is spent. */
  takeNode(): boolean {
    if (this.nodes >= this.limits.maxNodes) {
      this.truncated = true;
      return false;
    }
    this.nodes += 1;
    this.tick();
    return true;
  }
}
