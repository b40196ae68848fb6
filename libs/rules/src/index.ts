/** Delegation rule-set documents: YAML/JSON parsing with line-level errors, schema, shipped documents. */
export * from './rule-set.schema';
export * from './rule-set-document';
