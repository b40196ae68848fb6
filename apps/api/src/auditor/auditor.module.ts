import { Module } from '@nestjs/common';
import { clockProvider } from '../shared/clock.provider';
import { HistoryController } from './history.controller';
import { IntegrityController } from './integrity.controller';

/** The auditor's API: history, time travel, verification and subject access (role auditor). */
@Module({
  controllers: [HistoryController, IntegrityController],
  providers: [clockProvider],
})
export class AuditorModule {}
