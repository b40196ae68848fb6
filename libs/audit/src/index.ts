/**
 * @familievedtak/audit: what an auditor needs from the log alone. History of a family, the
 * view as it was at an instant or position (time travel), tamper evidence (hash chains),
 * replay verification against the live read model, and a member's subject-access export.
 */
export * from './integrity/chain-verifier';
export * from './family-stream';
export * from './history/family-history';
export * from './history/event-label';
export * from './history/members-concerned';
export * from './history/history-period';
export * from './as-of/family-as-of';
export * from './integrity/rebuild-compare';
export * from './subject-access/queryable';
export * from './subject-access/find-member-families';
export * from './subject-access/subject-access';
export * from './subject-access/subject-access.html';
export * from './subject-access/subject-access.text';
export * from './reconcile/reconcile';
export * from './history/erasure-words';
