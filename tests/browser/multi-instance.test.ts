/**
 * Two Strapi instances on one PostgreSQL database, through the real admin in Chromium: the editor
 * is opened in instance A's admin, the simulator pushes the save to the callback URL, whose public
 * URL leads to instance B, and A's field shows the new version. The editor's postMessage channel is
 * cut for this page, so the save can only reach A's field through B and the shared database.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminPage, onFailureShot, shot, startStack, type Stack } from './stack';
import type { PushRecord } from '../../simulator/src/state';

let stack: Stack;

before(async () => {
  stack = await startStack({ instances: 2 });
});
after(async () => {
  if (stack) await stack.stop();
});

describe('two Strapi instances in Chromium', () => {
  it("opens the editor through A, the callback lands on B, and A's field shows the new version", async () => {
    const { context, page } = await adminPage(stack);
    const strapiB = stack.strapiBUrl ?? '';
    assert.notEqual(strapiB, '');
    await onFailureShot(page, 'multi-instance', async () => {
      // No forwarding of the editor's postMessage by this page: only ProcessOn's callback is left.
      let forwarded = 0;
      await page.route('**/processon/sessions/*/saves', (route) => {
        forwarded += 1;
        return route.abort();
      });
      await page.goto(`${stack.strapiUrl}/admin/content-manager/collection-types/api::article.article`);
      await page.getByText('Go memory allocator, as a mind map').first().click();
      const field = page.getByTestId('processon-field');
      await field.waitFor();
      const sizeBefore = Number(await field.getByTestId('processon-size').getAttribute('data-size'));

      await field.getByRole('button', { name: 'Edit' }).click();
      const editor = page.frameLocator('[data-testid="processon-editor-frame"]');
      await editor.getByTestId('editor').waitFor({ timeout: 20_000 });
      const chartid = (await editor.getByTestId('editor-chartid').textContent())?.trim() ?? '';
      await editor.getByTestId('topic-title').nth(1).fill('常见分配器 (saved through instance B)');
      await editor.getByTestId('add-topic').first().click();
      await editor.getByTestId('save').click();
      await editor.locator('[data-testid="save-status"][data-state="ok"]').waitFor({ timeout: 15_000 });

      // The simulator pushed to B, and B answered success.
      const pushes = (await (await fetch(`${stack.simulator.url}/sim/pushes?chartid=${encodeURIComponent(chartid)}`)).json()) as PushRecord[];
      assert.equal(pushes.length, 1);
      assert.equal(new URL(pushes[0].callbackurl).origin, strapiB);
      assert.deepEqual([pushes[0].status, pushes[0].body], [200, 'success']);

      // A's field learns of it by polling A, which reads what B stored.
      await page.getByTestId('processon-save-status').waitFor({ timeout: 10_000 });
      await shot(page, '12-multi-instance-saved-through-b');
      // The editor did post its message, and the field's forward of it was cut (the field warns
      // that it failed).
      for (let waited = 0; forwarded === 0 && waited < 5_000; waited += 100) await page.waitForTimeout(100);
      assert.equal(forwarded, 1);
      await page.getByRole('contentinfo').getByRole('button', { name: 'Close', exact: true }).click();
      const sizeAfter = Number(await field.getByTestId('processon-size').getAttribute('data-size'));
      assert.notEqual(sizeAfter, sizeBefore);
      assert.equal(sizeAfter, Number(pushes[0].size));
    });
    await context.close();
  });
});
