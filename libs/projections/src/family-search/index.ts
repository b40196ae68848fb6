export * from './family-search.queries';
export * from './search-keys';
