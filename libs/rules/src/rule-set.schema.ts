import { DECISION_TYPES, LEGAL_AREAS, UNITS } from '@familievedtak/domain';

const unit = { type: 'string', enum: [...UNITS] };
const deciders = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['kind'],
    properties: {
      kind: { type: 'string', enum: ['unit', 'coordinating-unit', 'district-team', 'partner'] },
      unit,
      units: { type: 'array', items: unit },
      organisationNumber: { type: 'string', minLength: 1 },
    },
  },
};

/**
 * JSON Schema (draft 2020-12 subset, checked with ajv) of a delegation rule-set document.
 * Cross-field checks (decisionType or legalArea, unique ids, ageMin <= ageMax) are the
 * domain's validateDelegationRuleSet, run after the schema passes.
 */
export const RULE_SET_DOCUMENT_SCHEMA = {
  $id: 'urn:familievedtak:delegation-rule-set',
  title: 'Delegation rule set',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'effectiveFrom', 'rules'],
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' },
    version: { type: 'integer', minimum: 1 },
    name: { type: 'string', minLength: 1 },
    effectiveFrom: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    description: { type: 'string' },
    openNeedWarningDays: {
      type: 'integer',
      minimum: 1,
      maximum: 3650,
      description: 'Days a need a unit picked up may stay open before the family view warns (need-open-too-long); default 180',
    },
    rules: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'fourEyes', 'bundlable'],
        properties: {
          id: { type: 'string', minLength: 1 },
          decisionType: { type: 'string', enum: [...DECISION_TYPES] },
          legalArea: { type: 'string', enum: [...LEGAL_AREAS] },
          units: { type: 'array', items: unit },
          deciders,
          members: {
            type: 'object',
            additionalProperties: false,
            properties: {
              ageMin: { type: 'integer', minimum: 0 },
              ageMax: { type: 'integer', minimum: 0 },
              adult: { type: 'boolean' },
              programme: { type: 'string', enum: ['introduction'] },
            },
          },
          family: {
            type: 'object',
            additionalProperties: false,
            properties: {
              hasCoordinatingUnit: { type: 'boolean' },
              inFamilyDecision: { type: 'boolean' },
              districts: { type: 'array', items: { type: 'string', minLength: 1 } },
            },
          },
          fourEyes: { type: 'boolean' },
          fourEyesAboveOre: { type: 'integer', minimum: 0 },
          bundlable: { type: 'boolean' },
          bundledBy: deciders,
          subProjectResponsibleUnitOnly: { type: 'boolean' },
          description: { type: 'string' },
        },
      },
    },
  },
} as const;
