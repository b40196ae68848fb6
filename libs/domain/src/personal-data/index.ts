export * from './personal-data.catalogue';
export * from './sub-project-personal-data';
