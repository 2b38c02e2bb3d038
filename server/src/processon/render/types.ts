export interface RenderStats {
  /** What was drawn: a mind map (topics) or a canvas diagram (shapes and linkers). */
  kind: 'mind' | 'canvas';
  /** Mind maps: `left-right` (children and leftChildren), `top-down` (org chart). Canvas: `canvas`. */
  layout: 'left-right' | 'top-down' | 'canvas';
  /** Topics read (mind maps), including those under collapsed branches. */
  topics: number;
  /** Topics not drawn because a branch above them is collapsed. */
  hiddenTopics: number;
  shapes: number;
  linkers: number;
  /** Images drawn; `imagePlaceholders` of them as placeholders (host not allowed). */
  images: number;
  imagePlaceholders: number;
  /** Size of the SVG in px. */
  width: number;
  height: number;
  /** Something was left out: more topics/elements than maxNodes, or deeper than maxDepth. */
  truncated: boolean;
  /** Time taken, in ms. */
  ms: number;
}

export interface Rendered {
  svg: string;
  outline: string;
  stats: Omit<RenderStats, 'ms'>;
}
