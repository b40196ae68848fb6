export * from './projection';
export * from './projection-runner';
export * from './projection-rebuild';
export * from './read-model-data-source';
export * from './read-model-migrations';
export * from './checkpoint/projection-checkpoint.entity';
export * from './stream-catalogue/stream-catalogue.entity';
export * from './stream-catalogue/stream-catalogue.projection';
