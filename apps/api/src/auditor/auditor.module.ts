import { Module } from '@nestjs/common';

/** The auditor's API: history, time travel, verification and subject access (role auditor). */
@Module({
  controllers: [],
  providers: [],
})
export class AuditorModule {}
