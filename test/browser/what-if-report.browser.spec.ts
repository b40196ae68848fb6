import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TRONDHEIM_2023_RULE_SET } from '@familievedtak/domain';
import { PostgresEventStore } from '@familievedtak/event-store';
import { renderWhatIfHtml, runWhatIf } from '@familievedtak/what-if';
import type { Browser } from 'playwright-core';
import { appendPrivacyHistory, FAMILY_DECISION_TEST_SET, IDENTIFYING_STRINGS } from '../../libs/what-if/src/testing/what-if-history';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { launchChromium } from './chromium';

/**
 * The what-if HTML report in a real headless browser driven by playwright-core: a system chromium,
 * else the npm one (@sparticuz/chromium; ./chromium.ts). Never skipped.
 */

describe('what-if HTML report in headless Chromium', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let browser: Browser;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    // First, so a browser that cannot start fails before anything else is set up.
    browser = await launchChromium();
    db = await createTestDatabase(5);
    store = new PostgresEventStore({ pool: db.pool, pollIntervalMs: 10 });
    await store.migrate();
    await appendPrivacyHistory(store);
    const report = await runWhatIf(store, { candidate: FAMILY_DECISION_TEST_SET, baseline: TRONDHEIM_2023_RULE_SET });
    dir = mkdtempSync(join(tmpdir(), 'what-if-report-'));
    file = join(dir, 'report.html');
    writeFileSync(file, renderWhatIfHtml(report));
  });

  afterAll(async () => {
    await browser?.close();
    await store?.close();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renders both charts with visible bars and no script or console error', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(file).toString(), { waitUntil: 'load' });

    for (const id of ['chart-deciders', 'chart-moves']) {
      const svg = page.locator(`svg#${id}`);
      const box = await svg.boundingBox();
      expect(box && box.width > 100 && box.height > 50).toBe(true);
      const marks = await svg.locator('rect.mark').evaluateAll((rects) =>
        rects.map((r) => {
          const b = r.getBoundingClientRect();
          return { width: b.width, height: b.height };
        }),
      );
      const visible = marks.filter((m) => m.width > 0 && m.height > 0);
      expect(visible.length).toBeGreaterThan(0);
    }
    // Deciders chart: baseline bars for 0 to 4 units (15 families at 1, "four-units" at 4).
    expect(await page.locator('svg#chart-deciders rect.mark.baseline[height]').count()).toBe(5);
    expect(await page.locator('svg#chart-moves rect.mark').count()).toBe(3);
    expect(await page.locator('h1').textContent()).toContain(FAMILY_DECISION_TEST_SET.name);
    expect(errors).toEqual([]);
    // Self-contained: the page itself is the only thing loaded.
    expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
    await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
    await page.close();
  });

  it('GDPR art. 5(1)(c) data minimisation: the rendered page shows no family, member, name, need words or withheld district', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(pathToFileURL(file).toString(), { waitUntil: 'load' });
    const text = (await page.locator('body').innerText()) + (await page.content());
    expect([...IDENTIFYING_STRINGS, 'Heimdal', 'Østbyen', 'Lerkendal'].filter((s) => text.includes(s))).toEqual([]);
    // Families by this run's pseudonyms only; Midtbyen (5 families, none protected) is the one district shown.
    // Both tables sit behind <details>: open them as a reader would.
    for (const id of ['details-families', 'details-districts']) await page.locator(`#${id} summary`).click();
    const families = await page.locator('table#families tbody tr td:first-child').allInnerTexts();
    expect(families).toHaveLength(16);
    for (const family of families) expect(family).toMatch(/^p-[0-9a-f]{16}$/);
    expect(await page.locator('table#districts tbody tr td:first-child').allInnerTexts()).toEqual(['Midtbyen']);
    await page.close();
  });
});
