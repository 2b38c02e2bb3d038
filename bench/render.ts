/**
 * `npm run bench:render`: how long the static renderer (def → SVG + outline) takes, against a bare
 * `JSON.parse` of the same def measured in the same run — the least any reader of a def must do.
 *
 * Diagrams: the real 44-topic mind map fixture, a generated 5,000-topic mind map (the fixture's own
 * titles, notes, images, links and icons, cycled: see tests/helpers/diagrams.ts) and a generated
 * 2,000-element flowchart (the flowchart fixture's shapes in a grid, 999 linkers between them).
 * Each iteration times one JSON.parse then one renderDiagram (SVG and outline, as the routes get
 * them) of the def text, alternating so that drift in a shared machine affects both alike; medians
 * after a warm-up. Prints one line per diagram and, last:
 * RATIO render_vs_parse_5000_topics <render median / parse median of the 5,000-topic map>  (target ≤ 10).
 */
import { renderDiagram } from '../server/src/processon';
import { fixtureText, generateFlowchart, generateMindMap } from '../tests/helpers/diagrams';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 30);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);

interface Case {
  name: string;
  category: string;
  def: string;
  iterations: number;
}

const now = () => Number(process.hrtime.bigint()) / 1e6;
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const ms = (value: number) => `${value.toFixed(value < 1 ? 3 : 1)} ms`;

const cases: Case[] = [
  { name: 'fixture_44_topics', category: 'mind', def: fixtureText('mind-go-memory-allocator.def.json'), iterations: ITERATIONS * 10 },
  { name: 'generated_5000_topics', category: 'mind', def: JSON.stringify(generateMindMap(5000)), iterations: ITERATIONS },
  { name: 'generated_2000_elements_flowchart', category: 'flow', def: JSON.stringify(generateFlowchart(2000)), iterations: ITERATIONS },
];

const results: Record<string, number> = {};
console.log(`node ${process.version}; ${ITERATIONS} iterations (the fixture ×10) after ${WARMUP} warm-up; medians (p90)`);
for (const c of cases) {
  const parse: number[] = [];
  const render: number[] = [];
  let sizes = '';
  for (let i = 0; i < WARMUP + c.iterations; i += 1) {
    let t = now();
    JSON.parse(c.def);
    const parsed = now() - t;
    t = now();
    const result = renderDiagram(c.def, c.category);
    const rendered = now() - t;
    if (!result.ok) throw new Error(`${c.name}: ${result.error}`);
    if (i === 0) {
      const s = result.stats;
      sizes = `${s.kind === 'mind' ? `${s.topics} topics` : `${s.shapes} shapes, ${s.linkers} linkers`}; def ${(c.def.length / 1024).toFixed(0)} K chars → SVG ${(result.svg.length / 1024).toFixed(0)} K, outline ${(result.outline.length / 1024).toFixed(0)} K chars`;
    }
    if (i >= WARMUP) {
      parse.push(parsed);
      render.push(rendered);
    }
  }
  const ratio = quantile(render, 0.5) / quantile(parse, 0.5);
  results[c.name] = ratio;
  console.log(
    `${c.name.padEnd(34)} render ${ms(quantile(render, 0.5))} (${ms(quantile(render, 0.9))})  JSON.parse ${ms(quantile(parse, 0.5))} (${ms(quantile(parse, 0.9))})  ratio ${ratio.toFixed(2)}  [${sizes}]`
  );
}
console.log(`RATIO render_vs_parse_5000_topics ${results.generated_5000_topics.toFixed(2)}`);
