import type { DelegationRuleSet } from './delegation-rule-set';

/**
 * Trondheim's delegation as the pilot report describes it for 2023 (seed l.4611-4622): it
 * follows the organisation, one law per unit, decisions per individual. HVK decides for
 * adults' health and welfare, housing and coordinators for 18+; BFT for children under 18;
 * NAV social assistance and the qualification programme; INN the introduction programme
 * and the economic support in it; OPPVEKST fee reductions (seed l.3281).
 */
export const TRONDHEIM_2023_RULE_SET: DelegationRuleSet = {
  id: 'trondheim-2023',
  version: 1,
  name: 'Trondheim municipality delegation rules 2023',
  effectiveFrom: '2023-01-01',
  // One six-month review cycle (seed l.1363-1369): see the document's comment.
  openNeedWarningDays: 180,
  rules: [
    {
      id: 'hvk-adult-health-care',
      decisionType: 'adult-health-care-service',
      units: ['HVK'],
      members: { ageMin: 18 },
      fourEyes: true,
      bundlable: true,
      description: 'HVK decides health and care services for adults.',
    },
    {
      id: 'hvk-municipal-housing',
      decisionType: 'municipal-housing',
      units: ['HVK'],
      // Housing is for the household: the children may be named with the adults.
      members: {},
      fourEyes: true,
      bundlable: true,
      description: 'HVK decides municipal housing.',
    },
    {
      id: 'hvk-coordinator-adult',
      decisionType: 'coordinator-adult',
      units: ['HVK'],
      members: { ageMin: 18 },
      fourEyes: true,
      bundlable: true,
      description: 'HVK decides coordinators for people aged 18 and over.',
    },
    {
      id: 'bft-child-welfare-support',
      decisionType: 'child-welfare-support-measure',
      units: ['BFT'],
      members: { ageMax: 17 },
      fourEyes: true,
      bundlable: true,
      description: 'BFT decides child welfare support measures for children under 18.',
    },
    {
      id: 'bft-coordinator-child',
      decisionType: 'coordinator-child',
      units: ['BFT'],
      members: { ageMax: 17 },
      fourEyes: true,
      bundlable: true,
      description: 'BFT decides coordinators for children under 18.',
    },
    {
      id: 'nav-social-assistance',
      decisionType: 'economic-social-assistance',
      units: ['NAV'],
      members: {},
      fourEyes: true,
      bundlable: true,
      description: 'NAV decides economic social assistance (sosialstønad).',
    },
    {
      id: 'nav-qualification-programme',
      decisionType: 'qualification-programme',
      units: ['NAV'],
      members: { ageMin: 18 },
      fourEyes: true,
      bundlable: true,
      description: 'NAV decides the qualification programme.',
    },
    {
      id: 'inn-introduction-programme',
      decisionType: 'introduction-programme',
      units: ['INN'],
      members: { ageMin: 18 },
      fourEyes: true,
      bundlable: true,
      description: 'INN decides the introduction programme for refugees.',
    },
    {
      id: 'inn-introduction-benefit',
      decisionType: 'introduction-benefit',
      units: ['INN'],
      members: { programme: 'introduction' },
      fourEyes: true,
      bundlable: true,
      description: 'INN decides economic support for participants in the introduction programme.',
    },
    {
      id: 'oppvekst-kindergarten-fee',
      decisionType: 'kindergarten-fee-reduction',
      units: ['OPPVEKST'],
      members: {},
      fourEyes: true,
      bundlable: true,
      description: 'OPPVEKST decides fee reductions for kindergarten.',
    },
    {
      id: 'oppvekst-after-school-fee',
      decisionType: 'after-school-fee-reduction',
      units: ['OPPVEKST'],
      members: {},
      fourEyes: true,
      bundlable: true,
      description: 'OPPVEKST decides fee reductions for after-school care.',
    },
    {
      id: 'pilot-support-by-sub-project-unit',
      decisionType: 'pilot-support',
      units: ['HVK', 'BFT', 'NAV', 'INN', 'OPPVEKST'],
      members: {},
      fourEyes: true,
      // Gift-like payments, not enkeltvedtak: nothing to combine in a family decision.
      bundlable: false,
      subProjectResponsibleUnitOnly: true,
      description: 'Pilot support is decided by the unit responsible for the sub-project that pays.',
    },
  ],
};
