import { ApiBody, type OpenAPIObject } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { DECISION_TYPES, UNITS } from '@familievedtak/domain';
import { RULE_SET_DOCUMENT_SCHEMA } from '@familievedtak/rules';
import { REQUEST_EXAMPLES } from './examples';

/** The component name of the delegation rule-set document in the OpenAPI document. */
export const RULE_SET_DOCUMENT_COMPONENT = 'DelegationRuleSetDocument';

/**
 * Adds the rule-set document's JSON Schema (the one ajv checks drafts against, libs/rules) as a
 * component, so the document is described once: it uses only keywords OpenAPI 3.0 shares with
 * JSON Schema (type, enum, properties, required, pattern, minimum, minItems,
 * additionalProperties); only `$id` has no place there.
 */
export function withRuleSetDocumentSchema(document: OpenAPIObject): OpenAPIObject {
  const { $id: _id, ...schema } = RULE_SET_DOCUMENT_SCHEMA as typeof RULE_SET_DOCUMENT_SCHEMA & { $id?: string };
  document.components = document.components ?? {};
  document.components.schemas = {
    ...document.components.schemas,
    [RULE_SET_DOCUMENT_COMPONENT]: {
      ...(schema as object),
      description: 'A delegation rule-set document (YAML or JSON text with this structure), checked with this very schema',
    },
  };
  // The draft also takes the document itself as a YAML body (ApiBody describes one media type).
  const draft = document.paths['/rule-sets']?.post;
  const content = draft?.requestBody && 'content' in draft.requestBody ? draft.requestBody.content : undefined;
  if (content)
    content['text/yaml'] = {
      schema: { type: 'string', description: `YAML text of a ${RULE_SET_DOCUMENT_COMPONENT}` },
      examples: { example: { value: REQUEST_EXAMPLES.draftRuleSet.document } },
    };
  return document;
}

const UNIT_SCHEMA = { type: 'string', enum: [...UNITS] };

/** The JSON bodies the rule-set routes read by hand (no DTO class): described here, checked by the controller and the domain. */
const RULE_SET_BODIES = {
  draft: {
    type: 'object',
    required: ['document'],
    properties: {
      document: {
        type: 'string',
        description: `The document as YAML or JSON text; its structure is #/components/schemas/${RULE_SET_DOCUMENT_COMPONENT}. Or send the text itself as a text/yaml body.`,
      },
    },
  },
  activate: {
    type: 'object',
    required: ['effectiveFrom', 'delegationDecision'],
    properties: {
      effectiveFrom: {
        type: 'string',
        format: 'date',
        description: 'The first day the version is in force: today or later (never backdated), and not before the delegation decision',
      },
      version: { type: 'integer', minimum: 1, description: 'Default: the latest version' },
      delegationDecision: {
        type: 'object',
        required: ['body', 'decidedOn', 'caseNumber'],
        description: 'The delegation decision the rule set rests on (kommuneloven § 13-1)',
        properties: {
          body: {
            type: 'string',
            minLength: 1,
            maxLength: 200,
            example: 'kommunedirektøren',
            description: 'Who decided: kommunestyret, formannskapet, kommunedirektøren, ...',
          },
          decidedOn: { type: 'string', format: 'date', description: 'The day it was decided (today or earlier)' },
          caseNumber: { type: 'string', minLength: 1, maxLength: 100, example: '2026/4711' },
        },
      },
    },
  },
  retire: {
    type: 'object',
    properties: {
      version: { type: 'integer', minimum: 1, description: 'Default: the latest active version' },
      reason: { type: 'string', maxLength: 2000 },
    },
  },
  explain: {
    type: 'object',
    required: ['decisionType', 'unit', 'date', 'members'],
    properties: {
      decisionType: { type: 'string', enum: [...DECISION_TYPES] },
      unit: UNIT_SCHEMA,
      date: { type: 'string', format: 'date' },
      members: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['age'],
          properties: {
            memberId: { type: 'string' },
            age: { type: 'integer', minimum: 0 },
            adult: { type: 'boolean', description: 'Default: age 18 or over' },
            inIntroductionProgramme: { type: 'boolean' },
          },
        },
      },
      family: {
        type: 'object',
        properties: {
          district: { type: 'string', nullable: true },
          coordinatingUnit: { ...UNIT_SCHEMA, nullable: true },
          inFamilyDecision: { type: 'boolean' },
        },
      },
      amountOre: { type: 'integer', minimum: 0, description: 'Integer øre' },
      subProjectResponsibleUnit: { ...UNIT_SCHEMA, nullable: true },
    },
  },
} as const;

const BODY_EXAMPLES = {
  draft: REQUEST_EXAMPLES.draftRuleSet,
  activate: REQUEST_EXAMPLES.activateRuleSet,
  retire: REQUEST_EXAMPLES.retireRuleSet,
  explain: REQUEST_EXAMPLES.explainCompetence,
};

/** The JSON body of a rule-set route, with its example (the draft's text/yaml form is added by withRuleSetDocumentSchema). */
export function ApiRuleSetBody(route: keyof typeof RULE_SET_BODIES): MethodDecorator {
  return ApiBody({
    required: route === 'draft' || route === 'explain',
    schema: RULE_SET_BODIES[route] as SchemaObject,
    examples: { example: { value: BODY_EXAMPLES[route] } },
  }) as MethodDecorator;
}
