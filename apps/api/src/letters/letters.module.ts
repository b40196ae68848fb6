import { Module } from '@nestjs/common';
import { FamiliesModule } from '../families/families.module';
import { clockProvider } from '../shared/clock.provider';
import { LettersController } from './letters.controller';

/** The family letter's routes; commands go through the families' one command path. */
@Module({
  imports: [FamiliesModule],
  controllers: [LettersController],
  providers: [clockProvider],
})
export class LettersModule {}
