/**
 * The static renderings in Chromium: both seeded fixtures' SVGs opened from the plugin's .svg route
 * (no CSP violation, every text drawn, topics and shapes that do not overlap, arrow heads on their
 * targets), screenshots saved under test-output/browser/; the SVG as a cross-origin <img> on the demo
 * frontend; the view page without JavaScript (the <noscript> image and the outline).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import path from 'path';
import type { Page } from 'playwright-core';
import { outputDir, publicArticles, shot, useStack, type PublicArticle } from './stack';

const running = useStack();

const article = async (category: string): Promise<PublicArticle> => {
  const found = (await publicArticles(running())).find((a) => a.diagram?.category === category);
  assert.ok(found, `a published ${category} article`);
  return found;
};

const svgUrl = (a: PublicArticle) => `${running().strapiUrl}/api/processon/svg/articles/${a.documentId}.svg?field=diagram`;

type Box = { x: number; y: number; w: number; h: number; text: string };

const overlap = (a: Box, b: Box) => a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;

/** Opens an SVG at its own size; collects CSP violations and console errors. */
const openSvg = async (url: string): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> => {
  const context = await running().browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.text().includes('Content Security Policy')) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  const res = await page.goto(url);
  assert.equal(res?.status(), 200);
  assert.equal(res?.headers()['content-type'], 'image/svg+xml; charset=utf-8');
  const size = await page.evaluate(() => {
    const svg = document.documentElement as unknown as SVGSVGElement;
    return { tag: svg.tagName, w: Math.ceil(svg.width.baseVal.value), h: Math.ceil(svg.height.baseVal.value) };
  });
  assert.equal(size.tag, 'svg');
  await page.setViewportSize({ width: Math.min(size.w, 4000), height: Math.min(size.h, 8000) });
  return { page, problems, close: () => context.close() };
};

describe('static renderings in Chromium', () => {
  it('draws the mind map fixture: every topic readable, no two topics overlapping, each title inside its box', async () => {
    const mind = await article('mind');
    const { page, problems, close } = await openSvg(svgUrl(mind));
    const topics = await page.evaluate(() =>
      Array.from(document.querySelectorAll('text')).filter((t) => /^pt[012]$/.test(t.getAttribute('class') ?? '')).map((t) => {
        const b = (t as SVGTextElement).getBBox();
        const box = t.parentElement?.querySelector('rect:not(.pph)') as SVGRectElement | null;
        const r = box?.getBBox();
        return { x: b.x, y: b.y, w: b.width, h: b.height, text: t.textContent ?? '', box: r ? { x: r.x, y: r.y, w: r.width, h: r.height } : null };
      })
    );
    assert.equal(topics.length, 44);
    for (const t of topics) assert.ok(t.w > 4 && t.h > 8, `"${t.text}" is drawn (${t.w}×${t.h})`);
    // Titles of boxed topics (the root and the main branches) fit in their box.
    for (const t of topics.filter((x) => x.box)) {
      const b = t.box as Box;
      assert.ok(t.x >= b.x && t.x + t.w <= b.x + b.w + 0.5 && t.y >= b.y - 0.5 && t.y + t.h <= b.y + b.h + 0.5, `"${t.text}" inside its box`);
    }
    const clashes: string[] = [];
    for (let i = 0; i < topics.length; i += 1) {
      for (let j = i + 1; j < topics.length; j += 1) if (overlap(topics[i], topics[j])) clashes.push(`${topics[i].text} / ${topics[j].text}`);
    }
    assert.deepEqual(clashes, []);
    assert.ok(topics.some((t) => t.text === '线性内存（< 1.11）'));
    assert.deepEqual(problems, []);
    await page.screenshot({ path: path.join(outputDir, 'render-mind-svg.png') });
    await close();
  });

  it('draws the flowchart fixture: shapes with their texts inside, an arrow head at the target of every linker', async () => {
    const flow = await article('flow');
    const { page, problems, close } = await openSvg(svgUrl(flow));
    const drawn = await page.evaluate(() => {
      // In the SVG's user space: a shape's group is translated to its place. (No named functions in
      // here: tsx would wrap them in a helper the page does not have.)
      const shapes = Array.from(document.querySelectorAll('g[transform^="translate("]')).map((g) => {
        const m = (g as SVGGElement).transform.baseVal.consolidate()?.matrix;
        const [dx, dy] = [m?.e ?? 0, m?.f ?? 0];
        const o = (g.querySelector('path') as SVGPathElement).getBBox();
        const text = g.querySelector('text') as SVGTextElement | null;
        const t = text?.getBBox();
        return {
          shape: { x: o.x + dx, y: o.y + dy, w: o.width, h: o.height },
          text: t ? { x: t.x + dx, y: t.y + dy, w: t.width, h: t.height, text: text?.textContent ?? '' } : null,
        };
      });
      const linkers = Array.from(document.querySelectorAll('g.plk')).map((g) => {
        const [line, head] = Array.from(g.querySelectorAll('path')) as SVGPathElement[];
        const tip = head.getPointAtLength(0);
        const end = line.getPointAtLength(line.getTotalLength());
        return { tip: { x: tip.x, y: tip.y }, lineEnd: { x: end.x, y: end.y }, label: g.querySelector('text')?.textContent ?? '' };
      });
      return { shapes, linkers };
    });
    assert.equal(drawn.shapes.length, 6);
    for (const s of drawn.shapes) {
      assert.ok(s.text, 'every shape has its text');
      const t = s.text;
      assert.ok(t.x >= s.shape.x - 0.5 && t.x + t.w <= s.shape.x + s.shape.w + 0.5 && t.y >= s.shape.y - 0.5 && t.y + t.h <= s.shape.y + s.shape.h + 0.5, `"${t.text}" inside its shape`);
    }
    for (let i = 0; i < drawn.shapes.length; i += 1) {
      for (let j = i + 1; j < drawn.shapes.length; j += 1) assert.ok(!overlap({ ...drawn.shapes[i].shape, text: '' }, { ...drawn.shapes[j].shape, text: '' }), 'shapes apart');
    }
    assert.equal(drawn.linkers.length, 6);
    // Each arrow tip touches a shape's outline (within 2 px), and the line stops just behind it.
    for (const l of drawn.linkers) {
      const touches = drawn.shapes.some(({ shape: b }) => {
        const inX = l.tip.x >= b.x - 2 && l.tip.x <= b.x + b.w + 2;
        const inY = l.tip.y >= b.y - 2 && l.tip.y <= b.y + b.h + 2;
        const onEdge = Math.min(Math.abs(l.tip.x - b.x), Math.abs(l.tip.x - b.x - b.w), Math.abs(l.tip.y - b.y), Math.abs(l.tip.y - b.y - b.h)) <= 2;
        return inX && inY && onEdge;
      });
      assert.ok(touches, `arrow tip ${JSON.stringify(l.tip)} on a shape`);
      assert.ok(Math.hypot(l.tip.x - l.lineEnd.x, l.tip.y - l.lineEnd.y) < 15);
    }
    assert.deepEqual(drawn.linkers.map((l) => l.label).filter(Boolean).sort(), ['否', '是'].sort());
    assert.deepEqual(problems, []);
    await page.screenshot({ path: path.join(outputDir, 'render-flow-svg.png') });
    await close();
  });

  it('loads as a cross-origin <img> on the demo frontend', async () => {
    const context = await running().browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    await page.goto(running().frontend.url);
    const details = page.locator('details.static-svg');
    assert.equal(await details.count(), 2);
    for (let i = 0; i < 2; i += 1) {
      await details.nth(i).locator('summary').click();
      const img = details.nth(i).locator('img');
      await img.scrollIntoViewIfNeeded();
      await page.waitForFunction((el) => (el as HTMLImageElement).complete, await img.elementHandle(), { timeout: 10_000 });
      const natural = await img.evaluate((el) => ({ w: (el as HTMLImageElement).naturalWidth, h: (el as HTMLImageElement).naturalHeight }));
      assert.ok(natural.w > 100 && natural.h > 100, `image ${i} loaded (${natural.w}×${natural.h})`);
    }
    await details.nth(1).scrollIntoViewIfNeeded();
    await shot(page, 'render-frontend-img');
    await context.close();
  });

  it('shows the view page without JavaScript: the SVG in <noscript> and the outline', async () => {
    const mind = await article('mind');
    const context = await running().browser.newContext({ viewport: { width: 1100, height: 900 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${running().strapiUrl}/api/processon/view/articles/${mind.documentId}?field=diagram`);
    const img = page.locator('img.processon-diagram');
    await page.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0, await img.elementHandle(), { timeout: 10_000 });
    assert.ok((await page.locator('.processon-topic').count()) === 44);
    assert.equal(await page.getByRole('button', { name: 'Open the diagram' }).count(), 1);
    await shot(page, 'render-view-noscript');
    await context.close();
  });
});
