/**
 * The admin experience in Chromium (issue 5): the field in its states (new entry, existing entry,
 * history, required, read-only, not configured, errors explained, inside a component), and the
 * Settings page (edited by a super admin, read-only for a limited role, in Chinese). Each user logs
 * in once (stack.ts keeps the browser state); settings changes go through the admin API here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fs from 'fs';
import path from 'path';
import type { Locator, Page } from 'playwright-core';
import { ADMIN, adminPage, onFailureShot, outputDir, shot, startStack, type Stack } from './stack';

let stack: Stack;
let token = '';

before(async () => {
  stack = await startStack();
  const res = await fetch(`${stack.strapiUrl}/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const body = (await res.json()) as { data: { token?: string; accessToken?: string } };
  token = body.data.token ?? body.data.accessToken ?? '';
  assert.ok(token, 'admin API token');
});
after(async () => {
  if (stack) await stack.stop();
});

/** The admin API, as the super admin. */
const api = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
  const res = await fetch(`${stack.strapiUrl}${route}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${route}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
};

interface SettingsData {
  values: Record<string, unknown>;
}
const putSettings = (values: Record<string, unknown>) =>
  api<{ data: SettingsData }>('PUT', '/processon/settings', values);
const getSettings = async () => (await api<{ data: SettingsData }>('GET', '/processon/settings')).data.values;

/** An admin user with a new role holding `permissions`, activated with a password. */
const createUser = async (
  name: string,
  permissions: { action: string; subject?: string | null; properties?: Record<string, unknown> }[]
): Promise<{ email: string; password: string }> => {
  const role = await api<{ data: { id: number } }>('POST', '/admin/roles', {
    name: `${name} ${Date.now()}`,
    description: name,
  });
  await api('PUT', `/admin/roles/${role.data.id}/permissions`, {
    permissions: permissions.map((p) => ({
      action: p.action,
      subject: p.subject ?? null,
      properties: p.properties ?? {},
      conditions: [],
    })),
  });
  const email = `${name.toLowerCase().replace(/\W+/g, '-')}-${Date.now()}@processon.local`;
  const password = 'Browser-password-2026';
  const user = await api<{ data: { registrationToken: string } }>('POST', '/admin/users', {
    firstname: name,
    lastname: 'Tester',
    email,
    roles: [role.data.id],
  });
  await fetch(`${stack.strapiUrl}/admin/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      registrationToken: user.data.registrationToken,
      userInfo: { firstname: name, lastname: 'Tester', password },
    }),
  });
  return { email, password };
};

const ARTICLE_FIELDS = [
  'title',
  'slug',
  'body',
  'diagram',
  'hero.caption',
  'hero.diagram',
  'sections.caption',
  'sections.diagram',
  'blocks',
];

const articleUrl = () => `${stack.strapiUrl}/admin/content-manager/collection-types/api::article.article`;
const runbookUrl = () => `${stack.strapiUrl}/admin/content-manager/collection-types/api::runbook.runbook`;

const openArticle = async (page: Page, title: string) => {
  await page.goto(articleUrl());
  await page.getByText(title).first().click();
  const field = page.locator('[data-testid="processon-field"][data-field="diagram"]');
  await field.waitFor();
  return field;
};

const editor = (page: Page) => page.frameLocator('[data-testid="processon-editor-frame"]');

/** Waits until the field's button `name` has the keyboard focus: a closed panel gives it back. */
const focusReturnsTo = async (field: Locator, name: string) => {
  const button = await field.getByRole('button', { name, exact: true }).elementHandle();
  await field.page().waitForFunction((el) => el === document.activeElement, button, { timeout: 5_000 });
};

/** Leaves the editor frame (focus back in the admin page) and presses Esc, as a keyboard user does. */
const escapeEditor = async (page: Page) => {
  await page.getByTestId('processon-editor').getByRole('heading').first().click();
  await page.keyboard.press('Escape');
  await page.getByTestId('processon-editor').waitFor({ state: 'detached' });
};

/**
 * A screenshot once the page is still (animations over), without the passing notifications (which
 * cover the top of the page) unless they are the point.
 */
const snap = async (page: Page, name: string, keepNotifications = false) => {
  if (!keepNotifications) {
    // Closed through the DOM: an open modal makes the rest of the page inert to pointer clicks.
    await page.evaluate(() =>
      document.querySelectorAll<HTMLButtonElement>('[data-sonner-toast] button').forEach((b) => b.click())
    );
    await page
      .waitForFunction(() => document.querySelectorAll('[data-sonner-toast]').length === 0, null, { timeout: 8000 })
      .catch(() => undefined);
  }
  await page.waitForTimeout(400);
  await shot(page, name);
};

const flowDef = (title: string) =>
  JSON.stringify({
    page: { width: 800, height: 600 },
    elements: {
      a: { id: 'a', name: 'process', title, props: { x: 10, y: 10, w: 120, h: 60 }, textBlock: [{ text: title }] },
    },
  });

describe('the diagram field in Chromium', () => {
  it("creates a diagram in a new entry: only the field's allowed types, full-screen editor, save status, Esc, reminder", async () => {
    const { context, page } = await adminPage(stack);
    await onFailureShot(page, 'field-new-entry', async () => {
      await page.goto(`${runbookUrl()}/create`);
      await page.getByRole('textbox', { name: 'title', exact: true }).fill('Restart the payment cluster');
      const field = page.locator('[data-testid="processon-field"][data-field="procedure"]');
      await field.waitFor();
      // The Runbook's procedure field allows flowcharts and UML only, UML by default.
      await field.getByRole('combobox').click();
      const options = await page.getByRole('option').allTextContents();
      assert.deepEqual(options, ['Flowchart', 'UML']);
      await page.getByRole('option', { name: 'Flowchart' }).click();
      await field.getByLabel('Diagram title').fill('重启支付集群');
      await snap(page, '20-field-empty-allowed-types');
      await field.getByRole('button', { name: 'Create diagram' }).click();

      await editor(page).getByTestId('def-json').waitFor({ timeout: 20_000 });
      const box = await page.getByTestId('processon-editor').boundingBox();
      assert.deepEqual([box?.x, box?.y, box?.width, box?.height], [0, 0, 1400, 900]);
      assert.equal(await editor(page).getByTestId('editor').getAttribute('data-category'), 'flow');
      // The field's own choice ("show") wins over the setting.
      assert.equal(await editor(page).getByTestId('editor').getAttribute('data-hidebtn'), 'false');
      await editor(page).getByTestId('def-json').fill(flowDef('Drain the node'));
      await editor(page).getByTestId('save').click();
      const status = page.getByTestId('processon-save-status');
      await status.waitFor({ timeout: 5_000 });
      assert.match((await status.textContent()) ?? '', /^Saved to Strapi at \d{2}:\d{2}:\d{2}$/);
      assert.match(
        (await page.getByTestId('processon-save-reminder').textContent()) ?? '',
        /entry itself is not saved yet/
      );
      await snap(page, '21-editor-full-screen-saved');

      await escapeEditor(page);
      await page.getByText('Diagram updated in the form').first().waitFor();
      await field.getByTestId('processon-unsaved').waitFor();
      assert.equal(await field.getByTestId('processon-category').getAttribute('data-category'), 'flow');
      await snap(page, '22-field-filled-not-saved-in-entry', true);
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Saved document').first().waitFor();
      await field.getByTestId('processon-unsaved').waitFor({ state: 'detached' });
      const stored = await api<{
        results: { title: string; procedure: { title: string; category: string; def: string } }[];
      }>('GET', '/content-manager/collection-types/api::runbook.runbook?pageSize=50');
      const runbook = stored.results.find((r) => r.title === 'Restart the payment cluster');
      assert.deepEqual(
        [runbook?.procedure.title, runbook?.procedure.category, runbook?.procedure.def],
        ['重启支付集群', 'flow', flowDef('Drain the node')]
      );
    });
    await context.close();
  });

  it("required field: Strapi's own message, and nothing is saved", async () => {
    const { context, page } = await adminPage(stack);
    await onFailureShot(page, 'field-required', async () => {
      await page.goto(`${runbookUrl()}/create`);
      const field = page.locator('[data-testid="processon-field"][data-field="procedure"]');
      await field.waitFor();
      await page.getByRole('textbox', { name: 'title', exact: true }).fill('A runbook without its procedure');
      // A diagram created but never saved in the editor does not count: closing takes it back.
      await field.getByRole('button', { name: 'Create diagram' }).click();
      await editor(page).getByTestId('def-json').waitFor({ timeout: 20_000 });
      await page.getByRole('button', { name: 'Close', exact: true }).click();
      await field.getByRole('button', { name: 'Create diagram' }).waitFor();
      await focusReturnsTo(field, 'Create diagram');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await field.getByText('This value is required.').waitFor();
      await snap(page, '23-field-required');
      const stored = await api<{ results: { title: string }[] }>(
        'GET',
        '/content-manager/collection-types/api::runbook.runbook?pageSize=50'
      );
      assert.equal(
        stored.results.some((r) => r.title === 'A runbook without its procedure'),
        false
      );
    });
    await context.close();
  });

  it('edits an existing diagram twice, then restores the first save from the history panel', async () => {
    const { context, page } = await adminPage(stack);
    await onFailureShot(page, 'field-history', async () => {
      const field = await openArticle(page, 'Expense approval flow');
      for (const title of ['First revision', 'Second revision, bigger than the first one']) {
        await field.getByRole('button', { name: 'Edit' }).click();
        await editor(page).getByTestId('def-json').waitFor({ timeout: 20_000 });
        await editor(page).getByTestId('def-json').fill(flowDef(title));
        await editor(page).getByTestId('save').click();
        await page.getByTestId('processon-save-status').waitFor({ timeout: 5_000 });
        await page.getByTestId('processon-editor').getByRole('button', { name: 'Close', exact: true }).click();
        await page.getByTestId('processon-editor').waitFor({ state: 'detached' });
        await focusReturnsTo(field, 'Edit');
      }
      const sizeOf = async () => Number(await field.getByTestId('processon-size').getAttribute('data-size'));
      const second = await sizeOf();

      await field.getByRole('button', { name: 'History' }).click();
      const panel = page.getByTestId('processon-history');
      const rows = panel.getByTestId('processon-revision');
      await rows.nth(2).waitFor();
      // The two saves, and the seeded diagram the editor was first opened with.
      assert.equal(await rows.count(), 3);
      assert.equal(await rows.nth(2).getAttribute('data-source'), 'initial');
      assert.ok((await rows.nth(2).textContent())?.includes('Before the first edit'));
      const firstRow = rows.nth(0);
      assert.ok((await firstRow.textContent())?.includes('Demo Admin'));
      assert.ok((await firstRow.textContent())?.includes('ProcessOn callback'));
      assert.ok((await firstRow.textContent())?.includes('Latest'));
      await snap(page, '24-history-panel');
      await rows
        .nth(1)
        .getByRole('button', { name: /Restore/ })
        .click();
      await page
        .getByText(/is back in the field/)
        .first()
        .waitFor();
      await rows.nth(3).waitFor();
      assert.equal(await rows.nth(0).getAttribute('data-source'), 'restore');
      await panel.getByRole('button', { name: 'Close', exact: true }).click();
      await panel.waitFor({ state: 'detached' });
      await focusReturnsTo(field, 'History');
      const restored = await sizeOf();
      assert.ok(restored < second, `restored ${restored} < ${second}`);
      await field.getByTestId('processon-unsaved').waitFor();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Saved document').first().waitFor();
      const { results } = await api<{ results: { title: string; diagram: { def: string } }[] }>(
        'GET',
        '/content-manager/collection-types/api::article.article?pageSize=50'
      );
      assert.equal(results.find((a) => a.title === 'Expense approval flow')?.diagram.def, flowDef('First revision'));
    });
    await context.close();
  });

  it('views the diagram and downloads its image and PDF without opening an editor session', async () => {
    const { context, page } = await adminPage(stack);
    await onFailureShot(page, 'field-view-download', async () => {
      const before = (await api<{ data: { total: number } }>('GET', '/processon/usage')).data.total;
      const field = await openArticle(page, 'Go memory allocator, as a mind map');
      await field.getByRole('button', { name: 'View' }).click();
      const viewer = page.frameLocator('[data-testid="processon-viewer-frame"]');
      await viewer.getByTestId('viewer').waitFor({ timeout: 20_000 });
      assert.equal(await viewer.getByTestId('viewer').getAttribute('data-category'), 'mind');
      assert.ok((await viewer.getByTestId('viewer-title').textContent())?.includes('Go 内存分配器'));
      await snap(page, '25-viewer');
      await page.keyboard.press('Escape');
      await focusReturnsTo(field, 'View');
      const download = async (name: string) => {
        await field.getByRole('button', { name: 'Download' }).click();
        const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name }).click()]);
        const target = path.join(outputDir, `admin-${file.suggestedFilename()}`);
        await file.saveAs(target);
        return fs.readFileSync(target);
      };
      const png = await download('Image (PNG)');
      assert.equal(png.subarray(0, 8).toString('hex'), '89504e470d0a1a0a');
      await focusReturnsTo(field, 'Download');
      const pdf = await download('PDF document');
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      assert.equal((await api<{ data: { total: number } }>('GET', '/processon/usage')).data.total, before);

      // Clear, from the keyboard, then thought better of: the dialog gives the focus back.
      await field.getByRole('button', { name: 'Clear' }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('alertdialog').waitFor();
      await page.keyboard.press('Escape');
      await page.getByRole('alertdialog').waitFor({ state: 'detached' });
      await focusReturnsTo(field, 'Clear');
      assert.equal(await field.getAttribute('data-state'), 'filled');

      // The published version is a read-only view: still viewable, not editable.
      await page.getByRole('tab', { name: 'Published' }).click();
      await field.getByText('Read-only: this version of the entry cannot be changed here.').waitFor();
      assert.equal(await field.getAttribute('data-disabled'), 'true');
      assert.equal(await field.getByRole('button', { name: 'Edit' }).isDisabled(), true);
      assert.equal(await field.getByRole('button', { name: 'View' }).isDisabled(), false);
      await snap(page, '29-field-published-read-only');
    });
    await context.close();
  });

  it("a duplicated entry's diagram gets a history of its own on its first edit", async () => {
    interface Doc { documentId: string; title: string; diagram: { chartid: string } | null }
    const list = await api<{ results: Doc[] }>('GET', '/content-manager/collection-types/api::article.article?pageSize=50');
    const origin = list.results.find((d) => d.title === 'Expense approval flow');
    assert.ok(origin?.diagram);
    const originChart = origin.diagram.chartid;
    const revisionsOf = async (chartid: string) =>
      (await api<{ meta: { pagination: { total: number } } }>('GET', `/processon/charts/${chartid}/revisions`)).meta.pagination.total;
    const before = await revisionsOf(originChart).catch(() => 0);
    const { context, page } = await adminPage(stack);
    await onFailureShot(page, 'field-duplicate', async () => {
      // Content Manager → Duplicate lands here: a new entry filled with the original's values.
      await page.goto(`${articleUrl()}/clone/${origin.documentId}?plugins[i18n][locale]=en`);
      const field = page.locator('[data-testid="processon-field"][data-field="diagram"]');
      await field.getByRole('button', { name: 'Edit' }).waitFor();
      await page.getByRole('textbox', { name: 'title', exact: true }).fill('Expense approval flow (copy)');
      await page.getByRole('textbox', { name: 'slug', exact: true }).fill('approval-flow-copy');
      await field.getByRole('button', { name: 'Edit' }).click();
      await editor(page).getByTestId('def-json').fill(flowDef('Only in the copy'));
      await editor(page).getByTestId('save').click();
      await page.getByTestId('processon-save-status').waitFor({ timeout: 5_000 });
      await escapeEditor(page);
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      // Saved: the entry exists now (the clone page moves to the new entry's page).
      await page.waitForURL((url) => !url.pathname.includes('/clone/'), { timeout: 15_000 });
    });
    await context.close();
    const after = await api<{ results: Doc[] }>('GET', '/content-manager/collection-types/api::article.article?pageSize=50');
    const copy = after.results.find((d) => d.title === 'Expense approval flow (copy)');
    assert.ok(copy?.diagram);
    assert.notEqual(copy.diagram.chartid, originChart);
    // Its own history: the copied diagram it started from, then its save; the original's is untouched.
    const own = await api<{ data: { source: string }[] }>('GET', `/processon/charts/${copy.diagram.chartid}/revisions`);
    assert.deepEqual(own.data.map((r) => r.source), ['callback', 'initial']);
    assert.equal(await revisionsOf(originChart).catch(() => 0), before);
  });

  it('works inside a repeatable component (its own default type)', async () => {
    const { context, page } = await adminPage(stack);
    await onFailureShot(page, 'field-component', async () => {
      // With the locale in the URL already (else the Content Manager adds it, and a form typed in
      // before that navigation asks whether to leave the page).
      await page.goto(`${articleUrl()}/create?plugins[i18n][locale]=en`);
      await page.getByRole('textbox', { name: 'title', exact: true }).fill('Sections with diagrams');
      await page
        .getByRole('button', { name: /No entry yet/ })
        .nth(1)
        .click();
      const field = page.locator('[data-testid="processon-field"][data-field="sections.0.diagram"]');
      await field.waitFor();
      // The diagram-block component's field defaults to flowcharts.
      assert.ok((await field.getByRole('combobox').textContent())?.includes('Flowchart'));
      // The new component entry expands (an animation): click once it has settled in view.
      const createButton = field.getByRole('button', { name: 'Create diagram' });
      await createButton.scrollIntoViewIfNeeded();
      await page.waitForTimeout(300);
      await createButton.click();
      await page.getByTestId('processon-editor-frame').waitFor({ timeout: 20_000 });
      await editor(page).getByTestId('def-json').fill(flowDef('In a section'));
      await editor(page).getByTestId('save').click();
      await page.getByTestId('processon-save-status').waitFor({ timeout: 5_000 });
      await escapeEditor(page);
      assert.equal(await field.getByTestId('processon-category').getAttribute('data-category'), 'flow');
      await snap(page, '26-field-in-component');
    });
    await context.close();
  });

  it('explains ProcessOn error 4003 that the editor frame reports', async () => {
    const { context, page } = await adminPage(stack);
    const original = (await getSettings()).publicUrl;
    try {
      // A public URL outside the appkey's registered domain (localhost): ProcessOn answers 4003.
      await putSettings({ publicUrl: 'http://cms.example.net' });
      await onFailureShot(page, 'field-error-4003', async () => {
        const field = await openArticle(page, 'Go memory allocator, as a mind map');
        await field.getByRole('button', { name: 'Edit' }).click();
        const explanation = page.getByTestId('processon-editor').getByTestId('processon-error-explanation');
        await explanation.waitFor({ timeout: 20_000 });
        assert.equal(await explanation.getAttribute('data-code'), '4003');
        assert.ok(
          (await explanation.textContent())?.includes(
            'The public callback URL is not on the domain registered with your appkey.'
          )
        );
        await explanation.getByRole('link', { name: 'Open Settings → ProcessOn' }).waitFor();
        await page
          .getByTestId('processon-editor')
          .getByRole('button', { name: 'The editor shows an error code?' })
          .click();
        await page.getByTestId('processon-error-help').getByText('4004 · Not enough API sessions left').waitFor();
        await snap(page, '27-editor-error-4003-explained');
      });
    } finally {
      await putSettings({ publicUrl: original });
      await context.close();
    }
  });

  it('says in plain words when ProcessOn is not configured, with a link to Settings', async () => {
    const { context, page } = await adminPage(stack);
    const original = (await getSettings()).appkey;
    try {
      await putSettings({ appkey: '' });
      await onFailureShot(page, 'field-not-configured', async () => {
        const field = await openArticle(page, 'Go memory allocator, as a mind map');
        const note = field.getByTestId('processon-field-not-configured');
        await note.waitFor();
        assert.ok((await note.textContent())?.includes('Still missing: Appkey.'));
        assert.equal(await field.getByRole('button', { name: 'Edit' }).isDisabled(), true);
        await snap(page, '28-field-not-configured');
        await note.getByRole('link', { name: 'Open Settings → ProcessOn' }).click();
        await page.waitForURL(/\/admin\/settings\/processon$/);
      });
    } finally {
      await putSettings({ appkey: original });
      await context.close();
    }
  });
});

describe('Settings → ProcessOn in Chromium', () => {
  it('a super admin edits the settings: messages next to the fields, nothing saved while invalid, check, usage', async () => {
    const { context, page } = await adminPage(stack);
    await onFailureShot(page, 'settings-super-admin', async () => {
      await page.goto(`${stack.strapiUrl}/admin/settings/processon`);
      const kept = page.getByLabel('Revisions kept');
      await kept.waitFor();
      await kept.fill('0');
      await page.getByText('Revisions kept: between 1 and 10000').first().waitFor();
      await page.getByLabel('Session lifetime (minutes)').fill('60');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Nothing was saved: correct the fields marked in red.').first().waitFor();
      await page.getByText('Revisions kept: between 1 and 10000').first().scrollIntoViewIfNeeded();
      await snap(page, '30-settings-invalid', true);
      assert.equal((await getSettings()).sessionTtl, 43200);

      await kept.fill('20');
      await page.getByLabel('Cache max-age of the embeds (seconds)').fill('30');
      await page.getByRole('checkbox', { name: 'Follow the origins allowed by strapi::cors (default)' }).click();
      await page
        .getByLabel('Sites allowed to frame the view page')
        .fill('https://www.example.com\nhttps://blog.example.com');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('ProcessOn settings saved').first().waitFor();
      const saved = await getSettings();
      assert.deepEqual(
        [saved.revisionsKept, saved.sessionTtl, saved.cacheMaxAge, saved.frameAncestors],
        [20, 3600, 30, ['https://www.example.com', 'https://blog.example.com']]
      );
      await page.reload();
      await kept.waitFor();
      assert.equal(await kept.inputValue(), '20');

      // The callback URL, copyable, and proven reachable from the server.
      assert.equal(
        await page.getByTestId('processon-callback-url').textContent(),
        `${stack.strapiUrl}/api/processon/callback`
      );
      await page.getByRole('button', { name: 'Check', exact: true }).click();
      const result = page.getByTestId('processon-check-result');
      await result.waitFor({ timeout: 10_000 });
      assert.equal(await result.getAttribute('data-outcome'), 'ok');
      await page.getByRole('button', { name: 'Show the appkey' }).click();
      assert.equal(await page.getByLabel('Appkey').inputValue(), 'browser-appkey');
      await snap(page, '31-settings-saved-and-checked');

      // Usage, and the quota's warning at 80 %.
      const usage = (await api<{ data: { month: number } }>('GET', '/processon/usage')).data;
      assert.ok(usage.month >= 4, `sessions this month: ${usage.month}`);
      assert.equal(await page.getByTestId('processon-usage-month').textContent(), String(usage.month));
      await page.getByLabel('Session quota').fill(String(usage.month + 1));
      await page.getByTestId('processon-quota').getByText('The session quota is almost used up').waitFor();
      // The meter tells assistive technology how much is used, and fills that share of its track.
      const meter = page.getByRole('progressbar', { name: 'Share of the session quota used' });
      const percent = Math.round((usage.month / (usage.month + 1)) * 100);
      assert.equal(await meter.getAttribute('aria-valuenow'), String(percent));
      const [track, filled] = await meter.evaluate((el) => [el.getBoundingClientRect().width, (el.firstElementChild as HTMLElement).getBoundingClientRect().width]);
      assert.ok(Math.abs(filled / track - percent / 100) < 0.02, `filled ${filled} of ${track}`);
      await page.getByTestId('processon-quota').evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await snap(page, '32-settings-usage-quota-warning');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('ProcessOn settings saved').first().waitFor();
    });
    await putSettings({ revisionsKept: null, sessionTtl: null, cacheMaxAge: null, frameAncestors: null });
    await context.close();
  });

  it('the quota reached: Settings explains 4004, and the field does not open the editor', async () => {
    const { context, page } = await adminPage(stack);
    try {
      const used = (await api<{ data: { month: number } }>('GET', '/processon/usage')).data.month;
      await putSettings({ sessionQuota: used, quotaPeriod: 'month' });
      await onFailureShot(page, 'quota-reached', async () => {
        await page.goto(`${stack.strapiUrl}/admin/settings/processon`);
        const quota = page.getByTestId('processon-quota');
        await quota.waitFor();
        assert.equal(await quota.getAttribute('data-state'), 'reached');
        assert.equal(await quota.getByTestId('processon-error-explanation').getAttribute('data-code'), '4004');
        const field = await openArticle(page, 'Go memory allocator, as a mind map');
        await field.getByRole('button', { name: 'Edit' }).click();
        const explanation = page.getByTestId('processon-editor').getByTestId('processon-error-explanation');
        await explanation.waitFor();
        assert.equal(await explanation.getAttribute('data-code'), '4004');
        assert.equal(await page.locator('[data-testid="processon-editor-frame"]').count(), 0);
        await snap(page, '33-editor-refused-quota-4004');
      });
      assert.equal((await api<{ data: { month: number } }>('GET', '/processon/usage')).data.month, used);
    } finally {
      await putSettings({ sessionQuota: 0 });
      await context.close();
    }
  });

  it('a role that may read but not update sees the page and the field read-only; a role with neither has no link', async () => {
    const reader = await createUser('Reader', [
      { action: 'plugin::processon.settings.read' },
      {
        action: 'plugin::content-manager.explorer.read',
        subject: 'api::article.article',
        properties: { fields: ARTICLE_FIELDS, locales: ['en'] },
      },
    ]);
    const outsider = await createUser('Outsider', [
      {
        action: 'plugin::content-manager.explorer.read',
        subject: 'api::article.article',
        properties: { fields: ARTICLE_FIELDS, locales: ['en'] },
      },
    ]);
    const { context, page } = await adminPage(stack, { user: reader });
    await onFailureShot(page, 'settings-read-only', async () => {
      await page.goto(`${stack.strapiUrl}/admin/settings`);
      await page.locator('a[href$="/settings/processon"]').first().click();
      await page.getByTestId('processon-settings-read-only').waitFor();
      assert.equal(await page.getByLabel('Appkey').isDisabled(), true);
      assert.equal(await page.getByLabel('Revisions kept').isDisabled(), true);
      assert.equal(await page.getByRole('button', { name: 'Save', exact: true }).count(), 0);
      // A reader may still check the stored public URL.
      await page.getByRole('button', { name: 'Check', exact: true }).click();
      await page.getByTestId('processon-check-result').waitFor({ timeout: 10_000 });
      await snap(page, '34-settings-read-only');

      const field = await openArticle(page, 'Expense approval flow');
      assert.equal(await field.getAttribute('data-disabled'), 'true');
      assert.equal(await field.getByRole('button', { name: 'Edit' }).isDisabled(), true);
      assert.equal(await field.getByRole('button', { name: 'Clear' }).isDisabled(), true);
      await field.getByTestId('processon-field-disabled').waitFor();
      await field.getByRole('button', { name: 'History' }).click();
      await page.getByTestId('processon-revision').first().waitFor();
      assert.equal(
        await page
          .getByTestId('processon-history')
          .getByRole('button', { name: /Restore/ })
          .count(),
        0
      );
      await snap(page, '35-field-read-only-history');
    });
    await context.close();

    const other = await adminPage(stack, { user: outsider });
    await onFailureShot(other.page, 'settings-no-permission', async () => {
      await other.page.goto(`${stack.strapiUrl}/admin/settings`);
      await other.page.getByRole('link', { name: 'Overview' }).first().waitFor();
      assert.equal(await other.page.locator('a[href$="/settings/processon"]').count(), 0);
    });
    await other.context.close();
  });

  it('the field and the Settings page in Chinese (zh-Hans)', async () => {
    const { context, page } = await adminPage(stack, { locale: 'zh-Hans' });
    await onFailureShot(page, 'zh-Hans', async () => {
      const field = await openArticle(page, 'Expense approval flow');
      for (const name of ['编辑', '查看', '下载', '历史版本', '清空']) {
        await field.getByRole('button', { name, exact: true }).waitFor();
      }
      assert.equal(await field.getByTestId('processon-category').textContent(), '流程图');
      await snap(page, '40-zh-field');
      await field.getByRole('button', { name: '历史版本', exact: true }).click();
      await page.getByTestId('processon-history').getByText('保存时间').waitFor();
      await page.getByTestId('processon-history').getByText('ProcessOn 回调').first().waitFor();
      await snap(page, '41-zh-history');
      await page.keyboard.press('Escape');
      await page.goto(`${stack.strapiUrl}/admin/settings/processon`);
      await page.getByLabel('本 Strapi 的公开 URL').waitFor();
      await page.getByRole('button', { name: '保存', exact: true }).waitFor();
      await page.getByLabel('保留的版本数').fill('0');
      await page.getByText('保留的版本数：应在 1 到 10000 之间').first().waitFor();
      await page.getByText('保留的版本数：应在 1 到 10000 之间').first().scrollIntoViewIfNeeded();
      await snap(page, '42-zh-settings');
    });
    await context.close();
  });
});
