import { DataSource } from 'typeorm';
import { ProjectionCheckpoint } from './checkpoint/projection-checkpoint.entity';
import { FamilyView1764288000000 } from './migrations/1764288000000-FamilyView';
import { FamilyViewRecordRow, FamilyViewRow } from './family-view/family-view.entity';
import { ProjectionsFoundation1764201600000 } from './migrations/1764201600000-ProjectionsFoundation';
import { FamilyViewMemberIndex1764547200000 } from './migrations/1764547200000-FamilyViewMemberIndex';
import { FamilyViewReaders1764460800000 } from './migrations/1764460800000-FamilyViewReaders';
import { ReadAudit1764374400000 } from './migrations/1764374400000-ReadAudit';
import { ReadAuditWhatIfRuns1764633600000 } from './migrations/1764633600000-ReadAuditWhatIfRuns';
import { FamilyViewPartsInTheCase1764720000000 } from './migrations/1764720000000-FamilyViewPartsInTheCase';
import { LetterDocuments1764806400000 } from './migrations/1764806400000-LetterDocuments';
import { FamilyViewRecords1764892800000 } from './migrations/1764892800000-FamilyViewRecords';
import { FamilyViewSearch1764979200000 } from './migrations/1764979200000-FamilyViewSearch';
import { ReadAuditPurge1765070000000 } from './migrations/1765070000000-ReadAuditPurge';
import { StreamCatalogueEntry } from './stream-catalogue/stream-catalogue.entity';

/** Entities and migrations of every read model; capabilities add theirs here. */
export const readModelEntities = [ProjectionCheckpoint, StreamCatalogueEntry, FamilyViewRow, FamilyViewRecordRow];
export const readModelMigrations = [
  ProjectionsFoundation1764201600000,
  FamilyView1764288000000,
  ReadAudit1764374400000,
  FamilyViewReaders1764460800000,
  FamilyViewMemberIndex1764547200000,
  ReadAuditWhatIfRuns1764633600000,
  FamilyViewPartsInTheCase1764720000000,
  LetterDocuments1764806400000,
  FamilyViewRecords1764892800000,
  FamilyViewSearch1764979200000,
  ReadAuditPurge1765070000000,
];

/** A TypeORM data source for the read models. Schema changes only through migrations. */
export function createReadModelDataSource(url: string, poolSize = 10): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: readModelEntities,
    migrations: readModelMigrations,
    migrationsTableName: 'read_model_migrations',
    synchronize: false,
    extra: { max: poolSize },
  });
}
