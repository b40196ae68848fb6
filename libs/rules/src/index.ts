/** Delegation rule-set documents: YAML/JSON parsing with line-level errors, schema, shipped documents. */
export * from './rule-set.schema';
export * from './rule-set-document';
/** Retention schedule documents (issue 17): the same reading, libs/rules/retention. */
export * from './retention-schedule.schema';
export * from './retention-schedule-document';
