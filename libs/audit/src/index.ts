/**
 * @familievedtak/audit: what an auditor needs from the log alone. History of a family, the
 * view as it was at an instant or position (time travel), tamper evidence (hash chains),
 * replay verification against the live read model, and a member's subject-access export.
 */
export * from './integrity/chain-verifier';
