import { createHash } from 'node:crypto';
import { foldFamily, type FamilyEvent, type FamilyState } from '@familievedtak/domain';
import type { RecordedEvent } from '@familievedtak/event-store';
import { composeLetterCopies, renderLetterHtml, renderLetterPdf, type LetterCopy, type LetterLanguage } from '@familievedtak/letters';

export const sha256Of = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** One recipient's copy rendered both ways; the PDF's hash is the one the LetterIssued event carries. */
export interface RenderedCopy {
  copy: LetterCopy;
  pdf: Buffer;
  html: Buffer;
  pdfSha256: string;
  htmlSha256: string;
}

export async function renderCopy(copy: LetterCopy): Promise<RenderedCopy> {
  const pdf = await renderLetterPdf(copy);
  const html = Buffer.from(renderLetterHtml(copy), 'utf8');
  return { copy, pdf, html, pdfSha256: sha256Of(pdf), htmlSha256: sha256Of(html) };
}

export interface DraftLetter {
  letterId: string;
  decisionIds: string[];
  language: LetterLanguage | null;
  issuedOn: string;
}

/** Composes (L's pure composition: who sees what) and renders every copy of a draft, in recipient order. */
export async function renderLetter(state: FamilyState, draft: DraftLetter): Promise<RenderedCopy[]> {
  const copies = composeLetterCopies(state, {
    letterId: draft.letterId,
    decisionIds: draft.decisionIds,
    language: draft.language ?? undefined,
    issuedOn: draft.issuedOn,
  });
  const rendered: RenderedCopy[] = [];
  for (const copy of copies) rendered.push(await renderCopy(copy)); // one at a time: two cores, and pdfkit is CPU bound
  return rendered;
}

interface IssuedData {
  letterId: string;
  decisionIds: string[];
  language: LetterLanguage | null;
  issuedOn: string;
  templateVersion: string;
  copies: Array<{ recipientMemberId: string; sha256: string; language: LetterLanguage }>;
}

/**
 * The copies of an issued letter rendered again from the log alone: the family folded up to
 * just before its LetterIssued event, composed with the event's decisions, language and day.
 * Each copy's PDF hash is compared with the one on the record; `matches` says whether all are equal.
 */
export async function rerenderFromLog(
  events: readonly RecordedEvent[],
  letterId: string,
): Promise<{ issued: IssuedData; copies: RenderedCopy[]; matches: boolean } | null> {
  const at = events.findIndex((e) => e.type === 'LetterIssued' && (e.data as { letterId?: string }).letterId === letterId);
  if (at < 0) return null;
  const issued = events[at].data as unknown as IssuedData;
  const before = foldFamily(events.slice(0, at).map((e) => ({ type: e.type, data: e.data }) as unknown as FamilyEvent));
  const copies = await renderLetter(before, { letterId, decisionIds: issued.decisionIds, language: issued.language, issuedOn: issued.issuedOn });
  const recorded = new Map(issued.copies.map((c) => [c.recipientMemberId, c.sha256]));
  const matches = copies.length === issued.copies.length && copies.every((c) => recorded.get(c.copy.recipientMemberId) === c.pdfSha256);
  return { issued, copies, matches };
}
