/**
 * The shared letter model (issue 14, docs/design/issue-14-work-split.md). Engineer P's PDF
 * renderer builds against these names: fields may be added, never renamed.
 * Fields added after the first version are optional, so copies built before them still type-check.
 */
export type LetterLanguage = 'nb' | 'nn' | 'en';

/** One decision as the recipient reads it. */
export interface LetterDecisionPart {
  decisionId: string;
  unitName: string;
  typeLabel: string;
  outcome: 'granted' | 'partly-granted' | 'refused';
  aboutNames: string[];
  periodFrom: string;
  periodUntil: string | null;
  monthlyAmountOre: number | null;
  oneOffAmountOre: number | null;
  rulesApplied: string[];
  facts: string;
  mainConsiderations: string | null;
  childViews: Array<{ childName: string; heard: boolean; views: string | null; weight: string | null; whyNot: string | null }>;
  /** null when the decision type has no appeal route in the catalogue. */
  appeal: null | {
    bodyName: string;
    /** Oslo date; null until the recipient has received the notice (fvl § 29: the deadline counts from receipt). */
    deadline: string | null;
    weeks: number;
    sendTo: string;
    provision: string;
  };
  /** Why the recipient reads it: about them, about their child (parental responsibility), or by another adult's consent. */
  basis?: 'self' | 'child' | 'consent';
  /** The adults whose consent lets the recipient read it (basis 'consent'); else empty. */
  consentOf?: string[];
}

export interface LetterCopy {
  letterId: string;
  recipientMemberId: string;
  recipientName: string;
  language: LetterLanguage;
  templateVersion: string;
  /** Oslo date. */
  issuedOn: string;
  familyPart: {
    reviewDate: string | null;
    contact: { name: string; unitName: string } | null;
    planGoals: string[];
  };
  decisions: LetterDecisionPart[];
  /** The family's district; null when another member has a protected address (kode 6/7). */
  district?: string | null;
}
