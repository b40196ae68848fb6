import { ORGANISATION_NUMBER, type EnrolledPartner, type Unit } from '@familievedtak/domain';

/**
 * The nine sub-projects (delprosjekt) of "Innbyggernes modell" as the report describes them
 * (seed l.1311-1340, l.1678-2440): their partners, the goals of their allocation letters, how
 * long they ran and which three were stopped for low goal attainment. The pilot ran
 * 2021-2023; the demo moves it to start in the autumn semester of `pilotStart` so that its
 * history lies in the recent past.
 */
export type DemoSubProjectKey = 'brundalen' | 'lademoen' | 'flyktning' | 'stodig' | 'fritid' | 'forerkort' | 'egne-ben' | 'som-de-andre' | 'praktisk';

export type DemoSubProject = {
  key: DemoSubProjectKey;
  name: string;
  responsibleUnit: Unit;
  /**
   * Non-municipal actors carry their organisation number: the only way a partner is known
   * (tokens carry it as `org`), and what an enrolment names; `mayRecordPayments` lets its users pay.
   */
  actors: { name: string; municipal: boolean; unit?: Unit | null; organisationNumber?: string; mayRecordPayments?: boolean }[];
  goals: string[];
  /** Semesters after the pilot's first one that this sub-project started. */
  startOffset: number;
  /** 500,000 NOK a semester: the report's "money available" divided by half a million. */
  semesterCount: number;
  /** Index of the semester whose six-monthly review stopped it, when it was stopped. */
  terminatedAtReviewOf?: number;
  /** What the review of each semester found (the last entry repeats). */
  reviews: string[];
  termination?: string;
};

/**
 * The partners' organisation numbers: synthetic (nine digits with a valid MOD11 check digit, not
 * the organisations' real numbers). One organisation keeps one number across sub-projects.
 */
export const ORGANISATION_NUMBERS = {
  police: '998801370',
  rosendalTheatre: '998801745',
  bymisjon: '998802113',
  stOlavs: '998802482',
  drivingSchool: '998803225',
  redCross: '998803594',
  county: '998803969',
} as const;

const LOW_GOAL_ATTAINMENT =
  'Lav måloppnåelse: samarbeidet på tvers kom ikke i gang, og laget rundt innbyggerne ble ikke slik vi så for oss. ' +
  'Sentrale ansatte forsvant da tjenestene ble omorganisert, og prosjektet manglet forankring i enhetsledelsen.';

export const DEMO_SUB_PROJECTS: readonly DemoSubProject[] = [
  {
    key: 'brundalen',
    name: 'Tidlig innsats på Brundalen',
    responsibleUnit: 'OPPVEKST',
    actors: [
      { name: 'Brundalen barnehager', municipal: true, unit: 'OPPVEKST' },
      { name: 'Brundalen skole', municipal: true, unit: 'OPPVEKST' },
      { name: 'BFT Østbyen', municipal: true, unit: 'BFT' },
      { name: 'NAV Falkenborg', municipal: true, unit: 'NAV' },
      { name: 'Helse og velferd Falkenborg', municipal: true, unit: 'HVK' },
      { name: 'Kulturenheten', municipal: true },
      { name: 'Politiet', municipal: false, organisationNumber: ORGANISATION_NUMBERS.police },
    ],
    goals: [
      'Redusere risikofaktorer og styrke beskyttelsesfaktorer gjennom et innbyggerorientert samarbeid med familiene i Brundalen.',
      'Tettere samarbeid og økt nærhet til innbyggerne skal gi riktig støtte, tidligere og med mindre byråkrati.',
      'Barn skal oppleve å bli hørt, sett og ha medvirkning.',
      'Familier får mulighet til å hjelpe hverandre, og barn får flere og mer varierte aktiviteter.',
    ],
    startOffset: 0,
    semesterCount: 6,
    reviews: [
      'Familiene blir fulgt opp fra barnehagen og skolen; hjelpere kobles på raskt. Målene for semesteret er nådd.',
      'Flere familier har fått bolig gjennom HVK, NAV og Boligstiftelsen; foresatte har startet i utdanning eller arbeid. Fortsetter.',
    ],
  },
  {
    key: 'lademoen',
    name: 'Sammen på Lademoen',
    responsibleUnit: 'HVK',
    actors: [
      { name: 'Helse- og velferdskontoret Falkenborg', municipal: true, unit: 'HVK' },
      { name: 'Sentrum barnehage', municipal: true, unit: 'OPPVEKST' },
      { name: 'Lademoen barnehage', municipal: true, unit: 'OPPVEKST' },
      { name: 'BFT Østbyen', municipal: true, unit: 'BFT' },
      { name: 'NAV Falkenborg', municipal: true, unit: 'NAV' },
      { name: 'Biblioteket på Buran', municipal: true },
      { name: 'Rosendal teater', municipal: false, organisationNumber: ORGANISATION_NUMBERS.rosendalTheatre },
      { name: 'Politiet', municipal: false, organisationNumber: ORGANISATION_NUMBERS.police },
    ],
    goals: [
      'Bedre bomiljø og oppvekstvilkår på Lademoen.',
      'Økt deltakelse og inkludering i fritidsaktiviteter for alle barn og unge på Lademoen.',
      'Bedre og tettere samarbeid mellom enhetene, samarbeidspartnerne og familiene for å treffe riktigere på hva familiene trenger.',
    ],
    // Started a year in, when two others had been stopped (seed l.1667-1669).
    startOffset: 2,
    semesterCount: 3,
    reviews: ['Kort vei fra beslutning til innsats; barna deltar mer i fritidsaktiviteter. Fortsetter.'],
  },
  {
    key: 'flyktning',
    name: 'Flyktningefamilien i sentrum',
    responsibleUnit: 'INN',
    actors: [
      { name: 'Enhet for inkludering (INN)', municipal: true, unit: 'INN' },
      { name: 'NAV Lerkendal', municipal: true, unit: 'NAV' },
      { name: 'Kirkens bymisjon', municipal: false, organisationNumber: ORGANISATION_NUMBERS.bymisjon },
    ],
    goals: [
      'Øke livskvaliteten og levekårene for tolv flyktningfamilier i Trondheim.',
      'Utjevne noen av forskjellene de marginaliserte ungdommene i disse familiene opplever.',
      'Innbyggerne skal oppleve mer innflytelse på egen hverdag: familiene disponerer 1 600 kr per barn per måned fritt.',
      'Lerkendal forum skal bli et nyttig forum med lav terskel for fagfolk som vil melde inn saker.',
    ],
    startOffset: 0,
    semesterCount: 4,
    reviews: [
      'Alle tolv familiene får 1 600 kr per barn per måned; barna er mer aktive på fritiden. Målene er nådd.',
      'Familiene tar kontakt tidligere når noe er vanskelig, og sier de har gått fra å overleve til å leve. Fortsetter.',
    ],
  },
  {
    key: 'stodig',
    name: 'Stødig start',
    responsibleUnit: 'BFT',
    actors: [
      { name: 'BFT Østbyen, ressursteamet', municipal: true, unit: 'BFT' },
      { name: 'St. Olavs hospital, Klinikk for rus- og avhengighetsmedisin', municipal: false, organisationNumber: ORGANISATION_NUMBERS.stOlavs },
      { name: 'Helse og velferd Falkenborg', municipal: true, unit: 'HVK' },
    ],
    goals: [
      'Bygge tillit mellom det offentlige og familiene for å gi småbarnsfamilier med ekstra utfordringer en stødig start.',
      'Redusere risikofaktorer og hindre stigmatisering gjennom samarbeid med familiene som deltar.',
      'Skape tillit ved å anerkjenne familiens egen definisjon av hva de trenger hjelp til.',
    ],
    startOffset: 0,
    semesterCount: 4,
    reviews: ['Felles turer og juleverksted har gitt nye relasjoner; familiene deler mer. Fortsetter.'],
  },
  {
    key: 'fritid',
    name: 'Fritid for alle barn og unge',
    responsibleUnit: 'NAV',
    actors: [
      { name: 'NAV Lerkendal', municipal: true, unit: 'NAV' },
      { name: 'Helse- og velferdskontoret Lerkendal', municipal: true, unit: 'HVK' },
      { name: 'BFT Heimdal', municipal: true, unit: 'BFT' },
      { name: 'BFT Lerkendal', municipal: true, unit: 'BFT' },
    ],
    goals: [
      'Foreldrene skal oppleve mindre levekårsstress fordi barna ikke blir skadelidende av at foreldrene har lav inntekt.',
      'Familiene skal oppleve et samordnet hjelpeapparat.',
      'Redusere følelsen av dårlig råd og utenforskap blant barn og unge i familier med sosialhjelp som inntekt.',
    ],
    startOffset: 0,
    semesterCount: 4,
    reviews: [
      'Hjemmebesøk viste at boligene manglet elementære ting; familiene har fått utstyr og innbo. Målene er nådd.',
      'Barna deltar i fritidsaktiviteter; tre familier er med i Trygge Hjem. Fortsetter.',
    ],
  },
  {
    key: 'forerkort',
    name: 'Veien til førerkortet',
    responsibleUnit: 'BFT',
    actors: [
      { name: 'Barne- og familietjenesten', municipal: true, unit: 'BFT' },
      { name: 'Uteseksjonen i Trondheim', municipal: true },
      { name: 'Politiet, forebyggende gruppe Sentrum', municipal: false, organisationNumber: ORGANISATION_NUMBERS.police },
      { name: 'ABES kjøreskole', municipal: false, organisationNumber: ORGANISATION_NUMBERS.drivingSchool },
      { name: 'Røde Kors', municipal: false, organisationNumber: ORGANISATION_NUMBERS.redCross },
    ],
    goals: [
      'Gi ungdommer med økonomiske begrensninger muligheten til å ta førerkort.',
      'Øke ungdommenes muligheter for jobb og selvstendighet etter endt utdanning.',
      'Øke selvtilliten og tilhørigheten i samfunnet på lik linje med majoritetsbefolkningen.',
      'Ta bevisste valg rundt kriminalitet og rus.',
    ],
    startOffset: 0,
    semesterCount: 4,
    reviews: ['Ungdommene har tatt trafikalt grunnkurs og startet kjøreopplæring; kriminaliteten i gruppa går ned. Fortsetter.'],
  },
  {
    key: 'egne-ben',
    name: 'På egne ben, men ikke alene',
    responsibleUnit: 'BFT',
    actors: [
      { name: 'BFT Omsorgsenheten', municipal: true, unit: 'BFT' },
      { name: 'BFT Heimdal', municipal: true, unit: 'BFT' },
      { name: 'NAV Lerkendal', municipal: true, unit: 'NAV' },
      { name: 'Helse- og velferdskontoret Lerkendal', municipal: true, unit: 'HVK' },
    ],
    goals: [
      'Ungdommene får tidlig og sammenhengende hjelp.',
      'Ungdommene blir raskere uavhengige av hjelp fra det offentlige hjelpeapparatet.',
      'Midlene gir ungdom nye muligheter til deltakelse og hindrer sosial isolasjon.',
    ],
    startOffset: 0,
    semesterCount: 4,
    terminatedAtReviewOf: 1,
    reviews: ['Få ungdommer er nådd så langt; samarbeidet mellom tjenestene er i gang. Fortsetter med forbehold.'],
    termination: LOW_GOAL_ATTAINMENT,
  },
  {
    key: 'som-de-andre',
    name: 'Som de andre',
    responsibleUnit: 'BFT',
    actors: [
      { name: 'BFT Omsorgsenheten', municipal: true, unit: 'BFT' },
      { name: 'BFT Lerkendal', municipal: true, unit: 'BFT' },
      { name: 'Kirkens bymisjon', municipal: false, organisationNumber: ORGANISATION_NUMBERS.bymisjon },
    ],
    goals: [
      'Innbyggernes ønsker og drømmer blir styrende for alle parter i prosjektet.',
      'Motvirke opplevd utenforskap som følge av økonomiske forskjeller.',
      'Redusere økonomisk stress slik at innbyggerne også kan nyttiggjøre seg annen hjelp.',
    ],
    startOffset: 0,
    semesterCount: 4,
    terminatedAtReviewOf: 1,
    reviews: ['Noen familier har deltatt i kultur- og fritidstilbud; samarbeidet er sårbart. Fortsetter med forbehold.'],
    termination: LOW_GOAL_ATTAINMENT,
  },
  {
    key: 'praktisk',
    name: 'Praktisk grunnskole',
    responsibleUnit: 'OPPVEKST',
    actors: [
      { name: 'Trondheim voksenopplæring, ungdomsgruppa', municipal: true, unit: 'OPPVEKST' },
      { name: 'Trøndelag fylkeskommune', municipal: false, organisationNumber: ORGANISATION_NUMBERS.county },
      { name: 'NAV Lerkendal', municipal: true, unit: 'NAV' },
      { name: 'Flyktningehelseteamet (INN)', municipal: true, unit: 'INN' },
      { name: 'Barne- og familietjenesten', municipal: true, unit: 'BFT' },
    ],
    goals: [
      'Ungdommene som kommer til Norge får større tilhørighet i skole, arbeid og fritid.',
      'Ungdommene ser seg selv som en ressurs og får helhetlig hjelp med det de har behov for.',
    ],
    startOffset: 0,
    semesterCount: 4,
    terminatedAtReviewOf: 2,
    reviews: ['Ungdommene har fått utstyr til skolen; samarbeidet med fylkeskommunen er tungt. Fortsetter med forbehold.'],
    termination: LOW_GOAL_ATTAINMENT,
  },
];

/**
 * The partners an enrolment in the sub-project names: its non-municipal actors with an
 * organisation number, as the application reads them from the sub-project's stream.
 */
export function partnersOf(subProject: Pick<DemoSubProject, 'actors'>): EnrolledPartner[] {
  return subProject.actors.flatMap((a) =>
    !a.municipal && a.organisationNumber !== undefined && ORGANISATION_NUMBER.test(a.organisationNumber)
      ? [{ organisationNumber: a.organisationNumber, name: a.name, mayRecordPayments: a.mayRecordPayments === true }]
      : [],
  );
}
