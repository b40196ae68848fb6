import { Module } from '@nestjs/common';
import { clockProvider } from '../shared/clock.provider';
import { FamiliesController } from './families.controller';
import { FamilyCommandsService } from './family-commands.service';

@Module({ controllers: [FamiliesController], providers: [FamilyCommandsService, clockProvider], exports: [FamilyCommandsService] })
export class FamiliesModule {}
