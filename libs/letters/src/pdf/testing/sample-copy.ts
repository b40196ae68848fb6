import type { LetterCopy, LetterLanguage } from '../../letter.model';

/** A realistic copy (two decisions, one with a child's views): the PDF spec's and the library bench's input. */
export function sampleLetterCopy(language: LetterLanguage = 'nb'): LetterCopy {
  return {
    letterId: '6f1c2f1e-5a7b-4c1d-9e2f-0a1b2c3d4e5f',
    recipientMemberId: 'mor-1',
    recipientName: 'Åse Ødegård',
    language,
    templateVersion: 'v1',
    issuedOn: '2026-12-05',
    familyPart: {
      reviewDate: '2027-06-01',
      contact: { name: 'Kari Kontakt', unitName: 'NAV Trondheim' },
      planGoals: ['Stabil bolig før sommeren', 'Fast barnehageplass for de minste'],
    },
    decisions: [
      {
        decisionId: 'd-1',
        unitName: 'NAV Trondheim',
        typeLabel: 'Økonomisk stønad',
        outcome: 'granted',
        aboutNames: ['Åse Ødegård'],
        periodFrom: '2026-12-01',
        periodUntil: '2027-05-31',
        monthlyAmountOre: 1234550,
        oneOffAmountOre: null,
        rulesApplied: ['Sosialtjenesteloven § 18', 'Statens veiledende satser 2026'],
        facts: 'Du har lav inntekt og tre barn. Husleien er 14 500 kroner i måneden.',
        mainConsiderations: 'Familien trenger stabil økonomi mens du er i arbeidstrening.',
        childViews: [],
        appeal: {
          bodyName: 'Statsforvalteren i Trøndelag',
          deadline: '2026-12-28',
          weeks: 3,
          sendTo: 'NAV Trondheim, Postboks 1, 7000 Trondheim',
          provision: 'forvaltningsloven § 29',
        },
      },
      {
        decisionId: 'd-2',
        unitName: 'Barneverntjenesten',
        typeLabel: 'Støttekontakt',
        outcome: 'partly-granted',
        aboutNames: ['Per Ødegård'],
        periodFrom: '2027-01-01',
        periodUntil: null,
        monthlyAmountOre: null,
        oneOffAmountOre: 250000,
        rulesApplied: ['Barnevernsloven § 3-1'],
        facts: 'Per har ønsket en voksen å gjøre aktiviteter med.',
        mainConsiderations: null,
        childViews: [{ childName: 'Per Ødegård', heard: true, views: 'Jeg vil spille fotball med noen.', weight: 'Stor vekt: Per er ti år.', whyNot: null }],
        appeal: {
          bodyName: 'Statsforvalteren i Trøndelag',
          deadline: null,
          weeks: 3,
          sendTo: 'Barneverntjenesten, Postboks 2, 7000 Trondheim',
          provision: 'forvaltningsloven § 29',
        },
      },
    ],
  };
}
