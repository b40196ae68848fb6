import { Module } from '@nestjs/common';
import { readWhatIfLimits, WHAT_IF_LIMITS, WhatIfRunner } from './what-if-runner.service';
import { WhatIfController } from './what-if.controller';

/** POST /what-if/runs (JSON) and /what-if/runs/html: the rules team's what-if runs, bounded per instance. */
@Module({
  controllers: [WhatIfController],
  providers: [WhatIfRunner, { provide: WHAT_IF_LIMITS, useFactory: () => readWhatIfLimits(process.env) }],
})
export class WhatIfModule {}
