import { Module } from '@nestjs/common';
import { WhatIfController } from './what-if.controller';

/** POST /what-if/runs (JSON) and /what-if/runs/html: the rules team's what-if runs. */
@Module({ controllers: [WhatIfController] })
export class WhatIfModule {}
