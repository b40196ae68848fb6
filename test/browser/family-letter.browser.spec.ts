import { readFileSync } from 'node:fs';
import { composeLetterCopies, renderLetterHtml, templateFor } from '@familievedtak/letters';
import type { Browser } from 'playwright-core';
import { DECISION_IDS, ISSUED_ON, LETTER_ID, letterFamily } from '../../libs/letters/src/testing/letter-family';
import { launchChromium, saveScreenshot, watch } from './chromium';

/**
 * The family letter as the family reads it: Amina's bokmål copy for the letter test family
 * (two adults, three children, NAV, BFT and HVK; libs/letters/src/testing/letter-family.ts),
 * rendered by a real headless Chromium. The README's picture of its first page is taken here:
 * written to docs/screenshots only with UPDATE_SCREENSHOTS=1, else to a temporary folder (chromium.ts).
 */
const FILE = 'family-letter-first-page.png';
/** One A4 page at 96 dpi: the picture shows what the first printed page holds. */
const A4 = { width: 794, height: 1123 };

describe('the family letter in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it("renders Amina's copy self-contained, with its outline and amounts table, and the same picture twice", async () => {
    const [amina] = composeLetterCopies(letterFamily(), { letterId: LETTER_ID, decisionIds: DECISION_IDS, issuedOn: ISSUED_ON });
    const t = templateFor('v1', 'nb');
    const shoot = async () => {
      const page = await browser.newPage({ viewport: A4, deviceScaleFactor: 1 });
      const seen = watch(page);
      await page.setContent(renderLetterHtml(amina), { waitUntil: 'load' });
      expect(seen.errors).toEqual([]);
      expect(seen.requests.filter((url) => url !== 'about:blank')).toEqual([]);
      expect(await page.locator('html').getAttribute('lang')).toBe('nb');
      expect(await page.locator('h1').innerText()).toBe(t.text.title);
      // Her own NAV decision, Sara's and Leila's: three decision sections, Yusuf's health decision absent.
      expect(await page.locator('section[data-decision-id]').count()).toBe(3);
      expect(await page.locator('body').innerText()).not.toContain('vondt i ryggen');
      expect(await page.locator('table caption').first().innerText()).toBe(t.text.amountCaption);
      const png = await page.screenshot({ fullPage: false, animations: 'disabled' });
      await page.close();
      return png;
    };
    const first = await shoot();
    const second = await shoot();
    expect(second.equals(first)).toBe(true);
    const path = saveScreenshot(FILE, first);
    expect(readFileSync(path).subarray(1, 4).toString()).toBe('PNG');
  });
});
