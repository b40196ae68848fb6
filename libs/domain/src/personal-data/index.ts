export * from './personal-data.catalogue';
