/**
 * Browser tests run with node's own test runner (`tsx --test`), not jest: under jest's module
 * sandbox, playwright-core never completes actions inside cross-origin (out-of-process) iframes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fs from 'fs';
import path from 'path';
import { adminPage, onFailureShot, outputDir, putSettings, shot, startStack, type Stack } from './stack';

let stack: Stack;

before(async () => {
  stack = await startStack();
});
after(async () => {
  if (stack) await stack.stop();
});

interface PublicArticle {
  documentId: string;
  title: string;
  diagram: { chartid: string; title: string; category: string; def: string; size: number; updatedAt: string } | null;
}

const publicArticles = async (): Promise<PublicArticle[]> => {
  const res = await fetch(`${stack.strapiUrl}/api/articles?sort=id:asc`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { data: PublicArticle[] }).data;
};

describe('the main job in Chromium', () => {
  it('edits a stored mind map in the admin: the save shows in the field within 2 s, and saving the entry stores it', async () => {
    const { context, page } = await adminPage(stack);
    const cspViolations: string[] = [];
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) cspViolations.push(message.text());
    });
    await page.goto(`${stack.strapiUrl}/admin/content-manager/collection-types/api::article.article`);
    await page.getByText('Go memory allocator, as a mind map').first().click();
    const field = page.getByTestId('processon-field');
    await field.waitFor();
    assert.equal(await field.getByTestId('processon-title').textContent(), 'Go 内存分配器');
    assert.equal(await field.getByTestId('processon-category').getAttribute('data-category'), 'mind');
    const sizeBefore = Number(await field.getByTestId('processon-size').getAttribute('data-size'));
    assert.ok(sizeBefore > 10, `size ${sizeBefore}`);
    // The field draws the diagram itself, from the def, with the plugin's renderer.
    const preview = field.getByTestId('processon-preview').getByRole('img', { name: 'Preview of the diagram Go 内存分配器' });
    await preview.waitFor();
    assert.ok(await preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 100));
    const previewBefore = await preview.getAttribute('src');
    assert.ok(decodeURIComponent(previewBefore ?? '').includes('常见分配器'));
    await shot(page, '01-admin-field-filled');

    await field.getByRole('button', { name: 'Edit' }).click();
    const editor = page.frameLocator('[data-testid="processon-editor-frame"]');
    await editor.getByTestId('editor').waitFor({ timeout: 20_000 });
    // The editor got the stored def: the fixture's topics are there.
    assert.equal(await editor.getByTestId('topic-title').first().inputValue(), 'Go 内存分配');
    assert.equal(await editor.getByTestId('topic-title').nth(1).inputValue(), '常见分配器');
    await shot(page, '02-admin-editor-open');

    await editor.getByTestId('topic-title').nth(1).fill('常见分配器 (edited in Chromium)');
    await editor.getByTestId('add-topic').first().click();
    const clicked = Date.now();
    await editor.getByTestId('save').click();
    await page.getByTestId('processon-save-status').waitFor({ timeout: 2_000 });
    assert.ok(Date.now() - clicked < 2_000);
    assert.equal(await editor.getByTestId('save-status').getAttribute('data-state'), 'ok');
    await shot(page, '03-admin-editor-saved');
    assert.deepEqual(cspViolations, []);

    await page.getByRole('button', { name: 'Close', exact: true }).click();
    const sizeAfter = Number(await field.getByTestId('processon-size').getAttribute('data-size'));
    assert.notEqual(sizeAfter, sizeBefore);
    // The preview follows the save.
    assert.ok(decodeURIComponent((await preview.getAttribute('src')) ?? '').includes('常见分配器 (edited in Chromium)'));

    // The entry itself still needs saving and publishing, like every other field.
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved document').first().waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Published document').first().waitFor();
    await shot(page, '04-admin-entry-published');
    const article = (await publicArticles()).find((a) => a.title === 'Go memory allocator, as a mind map');
    assert.ok(article?.diagram?.def.includes('常见分配器 (edited in Chromium)'));
    assert.equal(article?.diagram?.size, sizeAfter);
    await context.close();
  });

  it('creates a new article with a new flowchart', async () => {
    const { context, page } = await adminPage(stack);
    await onFailureShot(page, 'new-article', async () => {
      await page.goto(`${stack.strapiUrl}/admin/content-manager/collection-types/api::article.article/create`);
      // The form is ready once the fields are there: a value typed earlier may be reset by its start.
      const field = page.getByTestId('processon-field');
      await field.waitFor();
      const entryTitle = page.getByRole('textbox', { name: 'title', exact: true });
      await entryTitle.fill('A brand new flow');
      await field.getByRole('combobox').click();
      await page.getByRole('option', { name: 'Flowchart' }).click();
      await field.getByLabel('Diagram title').fill('新流程图');
      await shot(page, '05-admin-field-empty');
      await field.getByRole('button', { name: 'Create diagram' }).click();
      const editor = page.frameLocator('[data-testid="processon-editor-frame"]');
      await editor.getByTestId('def-json').waitFor({ timeout: 20_000 });
      const def = JSON.stringify({
        page: { width: 800, height: 600 },
        elements: { s1: { id: 's1', name: 'process', title: 'Process', props: { x: 10, y: 10, w: 100, h: 50 }, textBlock: [{ text: '开始' }] } },
      });
      await editor.getByTestId('def-json').fill(def);
      await editor.getByTestId('save').click();
      await page.getByTestId('processon-save-status').waitFor({ timeout: 2_000 });
      await shot(page, '06-admin-new-diagram-saved');
      await page.getByRole('button', { name: 'Close', exact: true }).click();
      assert.equal(await field.getByTestId('processon-category').getAttribute('data-category'), 'flow');
      assert.equal(await entryTitle.inputValue(), 'A brand new flow');
      await page.getByRole('button', { name: 'Publish' }).click();
      await page.getByText('Published document').first().waitFor();
      const article = (await publicArticles()).find((a) => a.title === 'A brand new flow');
      assert.equal(article?.diagram?.category, 'flow');
      assert.equal(article?.diagram?.title, '新流程图');
      assert.equal(article?.diagram?.def, def);
    });
    await context.close();
  });

  it('embeds the published view on another origin and downloads a real PNG and PDF', async () => {
    // max-age=0: a second visit revalidates every embed (If-None-Match → 304), as after max-age in production.
    await putSettings(stack, { cacheMaxAge: 0 });
    const context = await stack.browser.newContext({ viewport: { width: 1200, height: 1400 }, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(stack.frontend.url);
    const articles = page.locator('article');
    await articles.first().waitFor();
    assert.ok((await articles.count()) >= 2);
    const flow = page.locator('article', { hasText: 'Expense approval flow' });
    const iframeSrc = await flow.locator('iframe').getAttribute('src');
    assert.ok(iframeSrc?.startsWith(`${stack.strapiUrl}/api/processon/view/articles/`), String(iframeSrc));
    const viewer = flow.frameLocator('iframe');
    await viewer.getByTestId('viewer').waitFor({ timeout: 20_000 });
    assert.equal(await viewer.getByTestId('viewer').getAttribute('data-category'), 'flow');
    assert.ok((await viewer.getByTestId('viewer-elements').textContent())?.includes('提交申请'));
    const mind = page.locator('article', { hasText: 'Go memory allocator' });
    await mind.frameLocator('iframe').getByTestId('viewer').waitFor({ timeout: 20_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(outputDir, '07-frontend-embeds.png'), fullPage: true });

    const download = async (selector: string) => {
      const [file] = await Promise.all([page.waitForEvent('download'), flow.locator(selector).click()]);
      const target = path.join(outputDir, file.suggestedFilename());
      await file.saveAs(target);
      return fs.readFileSync(target);
    };
    const png = await download('a.download-image');
    assert.equal(png.subarray(0, 8).toString('hex'), '89504e470d0a1a0a');
    const pdf = await download('a.download-pdf');
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(pdf.subarray(-6).toString('latin1').includes('%%EOF'));

    // A second visit revalidates the embeds (304): the pages the browser kept must still frame,
    // post their form and download.
    // (The browser reports a revalidated answer as the 200 it kept: Strapi's log shows the 304s.)
    const log = path.join(outputDir, 'strapi.log');
    const logBefore = fs.statSync(log).size;
    await page.goto(stack.frontend.url);
    await flow.frameLocator('iframe').getByTestId('viewer').waitFor({ timeout: 20_000 });
    await mind.frameLocator('iframe').getByTestId('viewer').waitFor({ timeout: 20_000 });
    const again = await download('a.download-pdf');
    assert.equal(again.subarray(0, 5).toString('latin1'), '%PDF-');
    const revalidated = fs.readFileSync(log).subarray(logBefore).toString('utf8').split('\n').filter((l) => / 304\s*$/.test(l));
    assert.ok(revalidated.some((l) => l.includes('/api/processon/view/')), `no view page was revalidated:\n${revalidated.join('\n')}`);
    assert.ok(revalidated.some((l) => l.includes('/api/processon/export/')), `no export page was revalidated:\n${revalidated.join('\n')}`);
    await putSettings(stack, { cacheMaxAge: null });
    await context.close();
  });
});

describe('the editor\'s postMessage channel in Chromium', () => {
  it('ignores messages from elsewhere, and keeps a save that only reaches Strapi through postMessage', async () => {
    const { context, page } = await adminPage(stack);
    // Make the callback URL unreachable: ProcessOn's push will fail, only postMessage is left.
    await page.goto(`${stack.strapiUrl}/admin/settings/processon`);
    const publicUrl = page.getByLabel('Public URL of this Strapi');
    await publicUrl.waitFor();
    await publicUrl.fill('http://localhost:9');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('ProcessOn settings saved').first().waitFor();
    try {
      await page.goto(`${stack.strapiUrl}/admin/content-manager/collection-types/api::article.article`);
      await page.getByText('Expense approval flow').first().click();
      const field = page.getByTestId('processon-field');
      await field.getByRole('button', { name: 'Edit' }).click();
      const editor = page.frameLocator('[data-testid="processon-editor-frame"]');
      await editor.getByTestId('def-json').waitFor({ timeout: 20_000 });
      const chartid = (await editor.getByTestId('editor-chartid').textContent())?.trim() ?? '';
      const sizeBefore = await field.getByTestId('processon-size').getAttribute('data-size');

      // A message from the admin's own origin (not ProcessOn's, not the editor frame) is ignored.
      await page.evaluate((id) => window.postMessage({ source: 'processon', event: 'save', chartid: id, def: '{"forged":true}', valid: true }, '*'), chartid);
      await page.waitForTimeout(2_500);
      assert.equal(await page.getByTestId('processon-save-status').count(), 0);
      assert.equal(await field.getByTestId('processon-size').getAttribute('data-size'), sizeBefore);

      const def = JSON.stringify({ page: { width: 800, height: 600 }, elements: { a: { id: 'a', name: 'process', title: 'Only via postMessage', props: { x: 0, y: 0, w: 10, h: 10 } } } });
      await editor.getByTestId('def-json').fill(def);
      await editor.getByTestId('save').click();
      // ProcessOn's push fails (nothing listens on the callback URL)…
      await editor.locator('[data-testid="save-status"][data-state="error"]').waitFor({ timeout: 15_000 });
      // …but the save reached Strapi through the editor's message, forwarded by the field.
      await page.getByTestId('processon-save-status').waitFor({ timeout: 5_000 });
      await shot(page, '10-admin-saved-via-postmessage');
      await page.getByRole('button', { name: 'Close', exact: true }).click();
      const sizeAfter = await field.getByTestId('processon-size').getAttribute('data-size');
      assert.equal(Number(sizeAfter), Math.round((Buffer.byteLength(def) / 1024) * 100) / 100);
    } finally {
      // Restore the public URL (in a fresh tab: the entry page has unsaved changes).
      const restore = await context.newPage();
      await restore.goto(`${stack.strapiUrl}/admin/settings/processon`);
      const url = restore.getByLabel('Public URL of this Strapi');
      await url.waitFor();
      await url.fill(stack.strapiUrl);
      await restore.getByRole('button', { name: 'Save' }).click();
      await restore.getByText('ProcessOn settings saved').first().waitFor();
      await context.close();
    }
  });
});

describe('Content-Type Builder in Chromium', () => {
  it('shows the article\'s diagram field as the plugin\'s custom field, with its icon', async () => {
    const { context, page } = await adminPage(stack);
    await page.goto(`${stack.strapiUrl}/admin/plugins/content-type-builder/content-types/api::article.article`);
    const row = page.locator('li, tr', { hasText: 'diagram' }).filter({ hasText: 'Custom field' });
    await row.getByTestId('processon-field-icon').first().waitFor({ timeout: 20_000 });
    await shot(page, '09-content-type-builder');
    await context.close();
  });
});

describe('RBAC in Chromium', () => {
  it('shows the plugin\'s settings actions in Settings → Roles', async () => {
    const { context, page } = await adminPage(stack);
    await page.goto(`${stack.strapiUrl}/admin/settings/roles`);
    await page.getByText('Editor', { exact: true }).first().click();
    await page.getByRole('tab', { name: 'Plugins' }).click();
    const accordion = page.getByRole('button', { name: /Processon|ProcessOn/ }).first();
    await accordion.waitFor({ timeout: 20_000 });
    await accordion.click();
    // The expanded section lists the plugin's two actions.
    const section = page.getByRole('region').filter({ has: page.getByRole('checkbox', { name: /Select Read settings permission|Read/ }) }).last();
    await section.getByRole('checkbox', { name: /Read/ }).first().waitFor();
    await section.getByRole('checkbox', { name: /Update/ }).first().waitFor();
    await page.mouse.wheel(0, 400);
    await shot(page, '11-roles-plugin-actions');
    await context.close();
  });
});

describe('Settings → ProcessOn in Chromium', () => {
  it('shows the settings, saves a change that survives a reload and reaches the editor form', async () => {
    const { context, page } = await adminPage(stack);
    await page.goto(`${stack.strapiUrl}/admin/settings`);
    // The plugin's section is in the settings menu; its link opens the page.
    await page.getByText('ProcessOn', { exact: true }).first().waitFor();
    await page.locator('a[href$="/settings/processon"]').first().click();
    const appkey = page.getByLabel('Appkey');
    await appkey.waitFor();
    assert.equal(await appkey.getAttribute('type'), 'password');
    assert.equal(await appkey.inputValue(), 'browser-appkey');
    assert.equal(await page.getByLabel('ProcessOn base URL').inputValue(), stack.simulator.url);
    assert.equal(await page.getByLabel('Public URL of this Strapi').inputValue(), stack.strapiUrl);
    assert.equal(await page.getByTestId('processon-callback-url').textContent(), `${stack.strapiUrl}/api/processon/callback`);
    await page.getByRole('button', { name: 'Show the appkey' }).click();
    assert.equal(await appkey.getAttribute('type'), 'text');
    await shot(page, '08-settings');

    // A bad URL is refused next to its field, and nothing is saved.
    await page.getByLabel('ProcessOn base URL').fill('javascript:alert(1)');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('ProcessOn base URL must be an absolute http(s) URL').first().waitFor();
    await page.reload();
    await page.getByLabel('ProcessOn base URL').waitFor();
    assert.equal(await page.getByLabel('ProcessOn base URL').inputValue(), stack.simulator.url);

    // Hide the editor's Save button: saved, still there after a reload, and sent to the editor.
    await page.getByText("Hide the editor's Save button").first().waitFor();
    await page.getByRole('checkbox', { name: "Hide the editor's Save button" }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('ProcessOn settings saved').first().waitFor();
    await page.reload();
    await page.getByRole('checkbox', { name: "Hide the editor's Save button" }).waitFor();
    assert.equal(await page.getByRole('checkbox', { name: "Hide the editor's Save button" }).isChecked(), true);
    await page.goto(`${stack.strapiUrl}/admin/content-manager/collection-types/api::article.article`);
    await page.getByText('Expense approval flow').first().click();
    await page.getByTestId('processon-field').getByRole('button', { name: 'Edit' }).click();
    const editor = page.frameLocator('[data-testid="processon-editor-frame"]');
    await editor.getByTestId('editor').waitFor({ timeout: 20_000 });
    assert.equal(await editor.getByTestId('editor').getAttribute('data-hidebtn'), 'true');
    assert.equal(await editor.getByTestId('save').count(), 0);
    await context.close();
  });
});
