export * from './field-cipher';
export * from './key-store';
export * from './personal-data.errors';
export * from './personal-data.policy';
export * from './personal-data-event-store';
export * from './family-personal-data.policy';
export * from './with-personal-data';
