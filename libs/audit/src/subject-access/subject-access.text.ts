import type { FamilyEventType } from '@familievedtak/domain';

/**
 * Words of the subject access page for the person it is about: bokmål by default (the
 * municipality's language of record), English on request. Codes the system uses (statuses,
 * units, kinds) are translated here; anything not known here is shown as recorded.
 */
export type SubjectAccessLanguage = 'nb' | 'en';
export const SUBJECT_ACCESS_LANGUAGES: readonly SubjectAccessLanguage[] = ['nb', 'en'];

export function isSubjectAccessLanguage(value: unknown): value is SubjectAccessLanguage {
  return typeof value === 'string' && (SUBJECT_ACCESS_LANGUAGES as readonly string[]).includes(value);
}

type Words = Record<SubjectAccessLanguage, string>;

/** The units by the names people know them by (unit codes are the system's). */
export const UNIT_DISPLAY_NAMES: Record<string, Words> = {
  HVK: { nb: 'Helse- og velferdskontoret', en: 'the health and welfare office (Helse- og velferdskontoret)' },
  BFT: { nb: 'Barne- og familietjenesten', en: 'the child and family service (Barne- og familietjenesten)' },
  NAV: { nb: 'NAV-kontoret', en: 'the NAV office' },
  INN: { nb: 'Enhet for inkludering', en: 'the inclusion unit (Enhet for inkludering)' },
  OPPVEKST: { nb: 'Oppvekstadministrasjonen', en: 'the education and childhood administration (Oppvekstadministrasjonen)' },
};

/** A unit's name in Norwegian: the JSON export's `unitName` (names of public bodies are not translated there). */
export function unitNameNb(code: string): string {
  return UNIT_DISPLAY_NAMES[code]?.nb ?? code;
}

export function unitName(code: string, lang: SubjectAccessLanguage): string {
  const name = UNIT_DISPLAY_NAMES[code]?.[lang];
  if (!name) return code;
  // Sentence start in a table cell: "the NAV office" reads as "The NAV office".
  return name.charAt(0).toUpperCase() + name.slice(1);
}

const MONTHS: Record<SubjectAccessLanguage, string[]> = {
  nb: ['januar', 'februar', 'mars', 'april', 'mai', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'desember'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/** "2026-12-05" as people write it: "5. desember 2026" / "5 December 2026". */
export function humanDate(date: string | null | undefined, lang: SubjectAccessLanguage): string {
  if (!date) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  const day = Number(m[3]);
  const month = MONTHS[lang][Number(m[2]) - 1];
  return lang === 'nb' ? `${day}. ${month} ${m[1]}` : `${day} ${month} ${m[1]}`;
}

const OSLO_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * An instant in Oslo local time, written for people: "5. desember 2026 kl. 01.05" /
 * "5 December 2026 at 01:05". Stored times are UTC; a person reads the time on their wall.
 */
export function osloTime(instant: string | Date, lang: SubjectAccessLanguage): string {
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(at.getTime())) return String(instant);
  const part = Object.fromEntries(OSLO_PARTS.formatToParts(at).map((p) => [p.type, p.value]));
  const date = humanDate(`${part.year}-${part.month}-${part.day}`, lang);
  return lang === 'nb' ? `${date} kl. ${part.hour}.${part.minute}` : `${date} at ${part.hour}:${part.minute}`;
}

/** A language tag ('so') by its name ('somali' / 'Somali'); the tag itself where the runtime does not know it. */
export function languageName(tag: string | null, lang: SubjectAccessLanguage): string {
  if (!tag) return '—';
  try {
    return new Intl.DisplayNames([lang], { type: 'language', fallback: 'code' }).of(tag) ?? tag;
  } catch {
    return tag; // not a well-formed tag: show what was recorded
  }
}

/** A list of names as a sentence: "Amina og Yusuf" / "Amina and Yusuf". */
export function listOf(items: string[], lang: SubjectAccessLanguage): string {
  const and = lang === 'nb' ? 'og' : 'and';
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;
}

/** Codes the page shows, in words. */
export const CODE_WORDS: Record<string, Words> = {
  // Member
  adult: { nb: 'voksen', en: 'adult' },
  child: { nb: 'barn', en: 'child' },
  current: { nb: 'med i husstanden', en: 'in the household' },
  left: { nb: 'flyttet ut', en: 'moved out' },
  // Decision status and outcome
  proposed: { nb: 'forslag, ikke avgjort', en: 'proposed, not yet decided' },
  active: { nb: 'gjelder', en: 'in force' },
  rejected: { nb: 'ikke godkjent', en: 'not approved' },
  expired: { nb: 'utløpt', en: 'expired' },
  revoked: { nb: 'opphevet', en: 'revoked' },
  'under-appeal': { nb: 'klage behandles', en: 'appeal being handled' },
  // Needs
  open: { nb: 'åpent', en: 'open' },
  resolved: { nb: 'svart på', en: 'answered' },
  withdrawn: { nb: 'trukket tilbake', en: 'withdrawn' },
  // Consents
  'in-force': { nb: 'gjelder', en: 'in force' },
  upcoming: { nb: 'gjelder fra senere', en: 'starts later' },
  ended: { nb: 'gjelder ikke lenger', en: 'no longer in force' },
  'information-sharing': { nb: 'deling av opplysninger', en: 'sharing information' },
  'combine-family-decision': { nb: 'samlet familievedtak', en: 'one combined family decision' },
  coordination: { nb: 'samordning', en: 'coordination' },
  // Data categories (consents and the read audit)
  needs: { nb: 'behov', en: 'needs' },
  decisions: { nb: 'vedtak', en: 'decisions' },
  payments: { nb: 'utbetalinger', en: 'payments' },
  health: { nb: 'helse', en: 'health' },
  household: { nb: 'husstanden', en: 'household' },
  team: { nb: 'kontaktpersoner', en: 'contact persons' },
  parts: { nb: 'hvem som er part i saken', en: 'who has a part in the case' },
  enrolments: { nb: 'delprosjekter', en: 'sub-projects' },
  consents: { nb: 'samtykker', en: 'consents' },
  'access-log': { nb: 'innsynslogg', en: 'access log' },
  // Payments
  'bank-transfer': { nb: 'bankoverføring', en: 'bank transfer' },
  'gift-card': { nb: 'gavekort', en: 'gift card' },
  'supplier-payment': { nb: 'betalt direkte til leverandør', en: 'paid to a supplier' },
  'equipment-lent': { nb: 'utlån av utstyr', en: 'equipment lent' },
  'collective-event': { nb: 'felles aktivitet', en: 'shared activity' },
  // Appeal stages
  registered: { nb: 'mottatt', en: 'received' },
  assessed: { nb: 'vurdert', en: 'assessed' },
  dismissed: { nb: 'avvist', en: 'dismissed' },
  'under-preparation': { nb: 'forberedes', en: 'being prepared' },
  'changed-by-unit': { nb: 'vedtaket ble endret', en: 'the decision was changed' },
  forwarded: { nb: 'sendt til klageinstansen', en: 'sent to the appeal body' },
  'decided-by-body': { nb: 'avgjort av klageinstansen', en: 'decided by the appeal body' },
  'closed-by-unit-legacy': { nb: 'avsluttet av enheten', en: 'closed by the unit' },
  // Roles and read outcomes
  caseworker: { nb: 'saksbehandler', en: 'caseworker' },
  approver: { nb: 'godkjenner', en: 'approver' },
  auditor: { nb: 'revisor', en: 'auditor' },
  partner: { nb: 'samarbeidspartner', en: 'partner' },
  'rules-analyst': { nb: 'regelanalytiker', en: 'rules analyst' },
  permit: { nb: 'fikk se', en: 'was shown' },
  deny: { nb: 'ble nektet', en: 'was refused' },
};

export function word(code: string | null | undefined, lang: SubjectAccessLanguage): string {
  if (code === null || code === undefined) return '';
  return CODE_WORDS[code]?.[lang] ?? code;
}

/** What happened, in bokmål, per event type (English pages use the history's own labels). A Record, so no type is forgotten. */
export const EVENT_WORDS_NB: Record<FamilyEventType, string> = {
  FamilyRegistered: 'Familien ble registrert',
  MemberJoined: 'Et familiemedlem kom til',
  MemberLeft: 'Et familiemedlem flyttet ut',
  ContactPersonJoined: 'En kontaktperson ble lagt til',
  ContactPersonLeft: 'En kontaktperson sluttet',
  CoordinatingUnitNamed: 'En enhet fikk ansvar for å samordne',
  NeedExpressed: 'Et behov ble skrevet ned',
  NeedPickedUp: 'En enhet tok tak i et behov',
  NeedResolved: 'Et behov ble svart på',
  NeedWithdrawn: 'Et behov ble trukket tilbake',
  ConsentGiven: 'Et samtykke ble gitt',
  ConsentWithdrawn: 'Et samtykke ble trukket tilbake',
  DecisionProposed: 'Et vedtak ble foreslått',
  DecisionApproved: 'Et vedtak ble godkjent',
  DecisionRejected: 'Et forslag til vedtak ble ikke godkjent',
  DecisionAmended: 'Et vedtak ble endret',
  DecisionRevoked: 'Et vedtak ble opphevet',
  DecisionExpired: 'Et vedtak gikk ut',
  AdvanceNoticeSent: 'Det ble sendt forhåndsvarsel',
  PartyStatementReceived: 'En uttalelse fra en part kom inn',
  AppealReceived: 'En klage kom inn',
  AppealDecided: 'En klage ble avgjort',
  NotificationSent: 'Et vedtak ble sendt',
  NotificationReceived: 'Et vedtak ble mottatt',
  AppealRegistered: 'En klage ble registrert',
  AppealFormAssessed: 'Det ble vurdert om klagen kan behandles',
  AppealDismissed: 'En klage ble avvist',
  AppealPrepared: 'En klage ble forberedt',
  AppealGrantedByUnit: 'Enheten endret vedtaket etter klage',
  AppealForwarded: 'En klage ble sendt til klageinstansen',
  AppealOutcomeRecorded: 'Klageinstansens avgjørelse ble registrert',
  AppealWithdrawn: 'En klage ble trukket tilbake',
  ExecutionSuspensionRequested: 'Det ble bedt om utsatt iverksetting',
  ExecutionSuspended: 'Iverksettingen ble utsatt',
  ExecutionSuspensionRefused: 'Utsatt iverksetting ble ikke gitt',
  PaymentRecorded: 'En utbetaling ble registrert',
  PaymentReversed: 'En utbetaling ble tilbakeført',
  PaymentAbandoned: 'En utbetaling ble ikke gjennomført, og pengene gikk tilbake til budsjettet',
  FamilyDecisionIssued: 'Et samlet familievedtak ble fattet',
  ParentalResponsibilityRecorded: 'Foreldreansvar ble registrert',
  ParentalResponsibilityEnded: 'Foreldreansvar ble avsluttet',
  ReferralRecorded: 'Saken ble henvist til en enhet',
  ReferralAccepted: 'En enhet tok imot en henvisning',
  ReferralDeclined: 'En enhet takket nei til en henvisning',
  InvolvementClosed: 'En enhet avsluttet sin del av saken',
  FamilyEnrolled: 'Familien ble med i et delprosjekt',
  EnrolmentEnded: 'Familien gikk ut av et delprosjekt',
  FamilyPlanRecorded: 'Familiens plan ble skrevet',
  FamilyPlanRevised: 'Familiens plan ble endret',
  FamilyPlanReviewed: 'Familiens plan ble gjennomgått',
  FamilyPlanEnded: 'Familiens plan ble avsluttet',
  FamilyDecisionSuspended: 'Et samlet familievedtak ble stanset',
  LetterIssued: 'Et brev til familien ble sendt ut',
  LetterDelivered: 'Et brev kom fram til et familiemedlem',
  PersonalDataErased: 'Personopplysninger ble slettet etter bevaringsplanen eller et krav om sletting',
  ErasureRequested: 'Et krav om sletting (personvernforordningen artikkel 17) ble mottatt',
  ErasureRefused: 'Et krav om sletting ble avslått for en opplysning som må bevares',
  CaseExportedForArchive: 'Den avsluttede saken ble eksportert til arkivet',
};
