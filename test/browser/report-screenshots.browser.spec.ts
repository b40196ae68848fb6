import { readFileSync } from 'node:fs';
import { subjectAccessHtml } from '@familievedtak/audit';
import { TRONDHEIM_2023_RULE_SET } from '@familievedtak/domain';
import { PostgresEventStore } from '@familievedtak/event-store';
import { renderWhatIfHtml, runWhatIf } from '@familievedtak/what-if';
import type { Browser, Page } from 'playwright-core';
import { appendPrivacyHistory, FAMILY_DECISION_TEST_SET, IDENTIFYING_STRINGS } from '../../libs/what-if/src/testing/what-if-history';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { launchChromium, screenshot, watch } from './chromium';
import { SUBJECT_ACCESS_FIXTURE } from './fixtures/subject-access-export';

/**
 * The documents for people, rendered by a real headless Chromium, and their pictures for
 * docs/screenshots (linked from the README): written there only with UPDATE_SCREENSHOTS=1, else
 * to a temporary folder (chromium.ts), so a test run leaves the repository as it was.
 * Deterministic inputs: a fixed subject access export, and the what-if report of a fixed
 * history (its pseudonymous family rows, which change every run, stay folded away in <details>
 * and so out of the picture).
 */
describe('report screenshots in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  /** A page with the HTML, checked to raise no error and load nothing but itself. */
  async function open(html: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1 });
    const seen = watch(page);
    await page.setContent(html, { waitUntil: 'load' });
    expect(seen.errors).toEqual([]);
    expect(seen.requests.filter((url) => !url.startsWith('data:') && url !== 'about:blank')).toEqual([]);
    return page;
  }

  it('subject access export: the person reads it in bokmål, by names, in Oslo time', async () => {
    const page = await open(subjectAccessHtml(SUBJECT_ACCESS_FIXTURE));
    const text = await page.locator('body').innerText();
    expect(await page.locator('h1').innerText()).toBe('Dette har vi registrert om deg, Amina Ødegård');
    // 00:05 UTC on 5 December is 01:05 in Oslo; 23:05 UTC on 4 December is already 5 December there.
    expect(text).toContain('Utskriften er laget 5. desember 2026 kl. 01.05.');
    expect(text).toContain('5. desember 2026 kl. 00.05');
    expect(text).toContain('samtykke til deling av opplysninger, gitt av Amina Ødegård');
    expect(text).toContain('somali');
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
    const path = await screenshot(page, 'subject-access.png');
    expect(readFileSync(path).subarray(1, 4).toString()).toBe('PNG');
    await page.close();
  });

  describe('what-if report', () => {
    let db: TestDatabase;
    let store: PostgresEventStore;
    let html: string;
    beforeAll(async () => {
      db = await createTestDatabase(5);
      store = new PostgresEventStore({ pool: db.pool, pollIntervalMs: 10 });
      await store.migrate();
      await appendPrivacyHistory(store);
      const report = await runWhatIf(store, { candidate: FAMILY_DECISION_TEST_SET, baseline: TRONDHEIM_2023_RULE_SET });
      html = renderWhatIfHtml(report, { ruleSets: { baseline: TRONDHEIM_2023_RULE_SET, candidate: FAMILY_DECISION_TEST_SET } });
    });
    afterAll(async () => {
      await store?.close();
      await db?.drop();
    });

    it('shows the summary first, each verdict in its colour, the family rows folded away; no family, member or name', async () => {
      const page = await open(html);
      const top = async (selector: string) => (await page.locator(selector).boundingBox())?.y ?? Number.NaN;
      expect(await top('#summary')).toBeLessThan(await top('#headline'));
      expect(await top('#headline')).toBeLessThan(await top('#details-families'));
      // Better is green and worse red, by the figure's own direction (whichever this history gives).
      const colours = await page
        .locator('td.verdict')
        .evaluateAll((cells) => cells.map((c) => [c.getAttribute('data-verdict'), c.ownerDocument.defaultView!.getComputedStyle(c).color]));
      expect(colours.length).toBe(9);
      for (const [verdict, colour] of colours) {
        if (verdict === 'better') expect(colour).toBe('rgb(31, 122, 90)');
        if (verdict === 'worse') expect(colour).toBe('rgb(179, 38, 30)');
      }
      // The per-family table is behind its <details>: not shown until opened.
      expect(await page.locator('table#families').isVisible()).toBe(false);
      await page.locator('#details-families summary').click();
      expect(await page.locator('table#families').isVisible()).toBe(true);
      await page.locator('#details-families summary').click();
      const text = (await page.locator('body').innerText()) + (await page.content());
      expect([...IDENTIFYING_STRINGS, 'Heimdal', 'Østbyen', 'Lerkendal'].filter((s) => text.includes(s))).toEqual([]);
      const path = await screenshot(page, 'what-if-report.png');
      expect(readFileSync(path).subarray(1, 4).toString()).toBe('PNG');
      await page.close();
    });
  });
});
