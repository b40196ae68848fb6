/** @familievedtak/what-if: what-if runs of delegation rule sets over the recorded family histories. */
export * from './what-if.types';
export * from './competence-oracle';
export * from './family-analysis';
export * from './what-if.engine';
export * from './what-if.html';
export * from './what-if.labels';
export * from './what-if.request';
