import { RECORD_CATEGORIES, RETENTION_ACTIONS, RETENTION_ANCHORS, UNITS } from '@familievedtak/domain';

const text = { type: 'string', minLength: 1 };

/**
 * JSON Schema (checked with ajv) of a retention schedule document. Cross-field checks (the
 * anchor fits the category, erase has a period and keep none, every category ends with an entry
 * for every unit, unique ids) are the domain's validateRetentionSchedule, run after the schema.
 */
export const RETENTION_SCHEDULE_DOCUMENT_SCHEMA = {
  $id: 'urn:familievedtak:retention-schedule',
  title: 'Retention schedule',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'version', 'name', 'effectiveFrom', 'entries'],
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' },
    version: { type: 'integer', minimum: 1 },
    name: text,
    effectiveFrom: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    description: { type: 'string' },
    entries: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'category', 'anchor', 'action', 'provision', 'description'],
        properties: {
          id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' },
          category: { type: 'string', enum: [...RECORD_CATEGORIES] },
          units: { type: 'array', minItems: 1, items: { type: 'string', enum: [...UNITS] } },
          anchor: { type: 'string', enum: [...RETENTION_ANCHORS] },
          period: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: { years: { type: 'integer', minimum: 0 }, months: { type: 'integer', minimum: 0 }, days: { type: 'integer', minimum: 0 } },
          },
          action: { type: 'string', enum: [...RETENTION_ACTIONS] },
          periodIsDuty: { type: 'boolean' },
          provision: text,
          description: {
            type: 'object',
            additionalProperties: false,
            required: ['nb', 'en'],
            properties: { nb: text, en: text },
          },
        },
      },
    },
  },
} as const;
