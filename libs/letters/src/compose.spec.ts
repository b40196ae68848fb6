import { composeLetterCopies } from './compose';
import type { LetterCopy } from './letter.model';
import { renderLetterHtml } from './render-html';
import { DECISION_IDS, ISSUED_ON, LETTER_ID, letterFamily, yusufConsent } from './testing/letter-family';

/**
 * What each adult's copy holds (issue 14; forvaltningsloven § 13 between the members): the
 * family-level part, the decisions about themself and about the children they hold parental
 * responsibility for, and another adult's decision only with that adult's consent.
 */
const compose = (state = letterFamily(), language?: 'nb' | 'nn' | 'en') =>
  composeLetterCopies(state, { letterId: LETTER_ID, decisionIds: DECISION_IDS, issuedOn: ISSUED_ON, language });
const copyOf = (copies: LetterCopy[], memberId: string) => {
  const copy = copies.find((c) => c.recipientMemberId === memberId);
  if (!copy) throw new Error(`no copy for ${memberId}`);
  return copy;
};
const decisionIds = (copy: LetterCopy) => copy.decisions.map((d) => d.decisionId);

describe('composeLetterCopies: each adult reads exactly their parts', () => {
  const copies = compose();
  const amina = copyOf(copies, 'm-amina');
  const yusuf = copyOf(copies, 'm-yusuf');

  it('one copy per adult, none to a child', () => {
    expect(copies.map((c) => c.recipientMemberId)).toEqual(['m-amina', 'm-yusuf']);
  });

  it("Amina: the joint NAV decision, Sara (both parents) and Leila (her daughter); not Yusuf's health decision", () => {
    expect(decisionIds(amina)).toEqual(['d-nav', 'd-bft', 'd-bft-leila']);
    expect(amina.decisions.map((d) => d.basis)).toEqual(['self', 'child', 'child']);
  });

  it('Yusuf: the joint NAV decision, Sara, and his own health decision; not Leila, for whom he holds no parental responsibility', () => {
    expect(decisionIds(yusuf)).toEqual(['d-nav', 'd-bft', 'd-hvk']);
    expect(yusuf.decisions.map((d) => d.basis)).toEqual(['self', 'child', 'self']);
  });

  it("fvl § 13 a no. 1: Yusuf's health decision reaches Amina only with his consent to one family decision that covers health", () => {
    const noConsent = renderLetterHtml(amina);
    expect(noConsent).not.toContain('vondt i ryggen');
    // A combine-family-decision consent without the category health does not cover a health decision.
    const withoutHealth = copyOf(compose(letterFamily({ extra: [yusufConsent(['decisions', 'payments'])] })), 'm-amina');
    expect(decisionIds(withoutHealth)).toEqual(['d-nav', 'd-bft', 'd-bft-leila']);
    const withHealth = copyOf(compose(letterFamily({ extra: [yusufConsent(['decisions', 'health'])] })), 'm-amina');
    expect(decisionIds(withHealth)).toEqual(['d-nav', 'd-bft', 'd-bft-leila', 'd-hvk']);
    const part = withHealth.decisions[3];
    expect(part).toMatchObject({ basis: 'consent', consentOf: ['Yusuf Hassan'], facts: 'Yusuf har vondt i ryggen og trenger hjelp til trening.' });
    // Amina is no party to it (fvl § 2 (1) e): no deadline of hers runs.
    expect(part.appeal).toMatchObject({ deadline: null, weeks: 4 });
    const html = renderLetterHtml(withHealth);
    expect(html).toContain('vondt i ryggen');
    expect(html).toContain('Du ser dette vedtaket fordi Yusuf Hassan har sagt ja til det.');
  });

  it("the family-level part: one review date, one contact, and the plan's goals the recipient may read", () => {
    expect(amina.familyPart).toEqual({
      reviewDate: '2024-09-02',
      contact: { name: 'Kari Nordmann', unitName: 'NAV-kontoret' },
      planGoals: ['Vi vil ha et trygt sted å bo.', 'Sara vil gjøre lekser sammen med noen.'],
    });
    expect(yusuf.familyPart.planGoals).toEqual([
      'Vi vil ha et trygt sted å bo.',
      'Yusuf vil ha mindre vondt i ryggen.',
      'Sara vil gjøre lekser sammen med noen.',
    ]);
    expect(yusuf.familyPart.contact).toEqual({ name: 'Kari Nordmann', unitName: 'NAV-kontoret' });
  });

  it("fvl §§ 28, 29, 32: each decision carries its own appeal body, weeks, where to send it, and the deadline from the recipient's receipt", () => {
    expect(amina.decisions[0].appeal).toEqual({
      bodyName: 'Statsforvalteren',
      deadline: '2024-04-02', // received Tuesday 12 March 2024 + 3 weeks (Easter Monday was 1 April)
      weeks: 3,
      sendTo: 'NAV-kontoret',
      provision: 'sosialtjenesteloven § 48; forvaltningsloven § 29; forvaltningsloven § 32',
    });
    expect(renderLetterHtml(amina)).toContain('Klagen må være sendt senest 2. april 2024.');
    // Yusuf has not received NAV's decision yet: no date, the deadline counts from receipt.
    expect(yusuf.decisions[0].appeal?.deadline).toBeNull();
    expect(renderLetterHtml(yusuf)).toContain('Fristen tel frå dagen du får dette brevet.');
    expect(yusuf.decisions[2].appeal).toMatchObject({ bodyName: 'Statsforvaltaren', weeks: 4, sendTo: 'Helse- og velferdskontoret' });
  });

  it("fvl § 25 and barnekonvensjonen art. 12: the rules, facts, main considerations and the child's views, amounts and period", () => {
    const leila = amina.decisions[2];
    expect(leila).toMatchObject({
      unitName: 'Barne- og familietjenesten',
      typeLabel: 'Hjelpetiltak i barnevernet',
      outcome: 'granted',
      aboutNames: ['Leila Hassan'],
      periodFrom: '2024-03-01',
      periodUntil: '2024-08-31',
      oneOffAmountOre: 450_000,
      monthlyAmountOre: null,
      rulesApplied: ['barnevernsloven § 3-1'],
      mainConsiderations: 'Trening gir Leila venner og en trygg voksen.',
      childViews: [{ childName: 'Leila Hassan', heard: true, views: 'Jeg vil fortsette på laget.', weight: 'Vi la stor vekt på det hun sa.', whyNot: null }],
    });
    const html = renderLetterHtml(amina);
    expect(html).toContain('Dette sa Leila Hassan: Jeg vil fortsette på laget.');
    expect(html).toContain('<td>4\u00a0500\u00a0kr</td>');
    expect(html).toContain('<td>12\u00a0500\u00a0kr</td>');
  });
});

describe("protected addresses (kode 6/7): no address or district of a protected member in anyone else's copy", () => {
  it("Leila has fortrolig adresse: neither parent's copy names the district, and a caseworker's text naming it is blanked", () => {
    const copies = compose(letterFamily({ protect: { leila: 'fortrolig' } }));
    for (const copy of copies) {
      expect(copy.district).toBeNull();
      expect(renderLetterHtml(copy)).not.toMatch(/heimdal/i);
    }
    expect(copyOf(copies, 'm-amina').decisions[2].facts).toBe('Leila trener fotball på [skjermet]. Familien har ikke råd til utstyr og treningsavgift.');
  });

  it("Amina has strengt fortrolig adresse: her own copy keeps the district, Yusuf's does not", () => {
    const copies = compose(letterFamily({ protect: { amina: 'strengt-fortrolig' } }));
    expect(copyOf(copies, 'm-amina').district).toBe('Heimdal');
    expect(copyOf(copies, 'm-yusuf').district).toBeNull();
    expect(renderLetterHtml(copyOf(copies, 'm-yusuf'))).not.toMatch(/heimdal/i);
  });

  it('with no protected member the district is in each copy', () => {
    expect(compose().map((c) => c.district)).toEqual(['Heimdal', 'Heimdal']);
  });
});

describe("languages: the recipient's choice among nb and nn, else bokmål; English on request", () => {
  it('Amina prefers Somali, which the templates do not have: bokmål; Yusuf chose nynorsk', () => {
    expect(compose().map((c) => [c.recipientMemberId, c.language])).toEqual([
      ['m-amina', 'nb'],
      ['m-yusuf', 'nn'],
    ]);
  });

  it.each([
    ['nb', 'Vedtak for familien din', '15. mars 2024', 'Økonomisk stønad (sosialstønad)', '12\u00a0500\u00a0kr'],
    ['nn', 'Vedtak for familien din', '15. mars 2024', 'Økonomisk stønad (sosialstønad)', '12\u00a0500\u00a0kr'],
    ['en', 'Decisions for your family', '15 March 2024', 'Economic social assistance', 'NOK 12,500'],
  ] as const)('%s renders: lang attribute, template version, dates written out, amounts in a table', (language, title, date, label, money) => {
    const copy = copyOf(compose(letterFamily(), language), 'm-amina');
    expect(copy.language).toBe(language);
    const html = renderLetterHtml(copy);
    expect(html).toContain(`<html lang="${language}">`);
    expect(html).toContain('<meta name="template-version" content="v1">');
    expect(html).toContain(`<meta name="language" content="${language}">`);
    expect(html).toContain(`<h1>${title}</h1>`);
    expect(html).toContain(`<time datetime="2024-03-15">${date}</time>`);
    expect(html).toContain(label);
    expect(html).toContain(`<td>${money}</td>`);
  });
});

describe('renderLetterHtml: a deterministic, self-contained, accessible document', () => {
  it('the same input gives the same string; a fresh composition gives the same copies', () => {
    const [first] = compose();
    const [again] = compose();
    expect(again).toEqual(first);
    expect(renderLetterHtml(again)).toBe(renderLetterHtml(first));
  });

  it('no scripts and nothing fetched; one h1, a section per decision, header cells with scope', () => {
    const html = renderLetterHtml(copyOf(compose(), 'm-amina'));
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|\bhref=|https?:\/\/|url\(/i);
    expect(html).toContain('<style>');
    expect(html.match(/<h1>/g)).toHaveLength(1);
    expect(html.match(/<section aria-labelledby="decision-\d"/g)).toHaveLength(3);
    expect(html).toContain('<th scope="col">');
    expect(html).toContain('<caption>Penger du får</caption>');
  });

  it("escapes a caseworker's text", () => {
    const copy = copyOf(compose(), 'm-amina');
    const html = renderLetterHtml({ ...copy, decisions: [{ ...copy.decisions[0], facts: '<b>A & B</b>' }] });
    expect(html).toContain('&lt;b&gt;A &amp; B&lt;/b&gt;');
  });
});
