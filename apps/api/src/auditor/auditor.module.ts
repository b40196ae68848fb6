import { Module } from '@nestjs/common';
import { clockProvider } from '../shared/clock.provider';
import { HistoryController } from './history.controller';
import { IntegrityController } from './integrity.controller';
import { ReconcileController } from './reconcile.controller';

/** The auditor's API: history, time travel, verification, money reconciliation and subject access (role auditor). */
@Module({
  controllers: [HistoryController, IntegrityController, ReconcileController],
  providers: [clockProvider],
})
export class AuditorModule {}
