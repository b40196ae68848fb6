import { Global, Module } from '@nestjs/common';
import { clockProvider } from '../shared/clock.provider';
import { RulesModule } from '../rules/rules.module';
import { PaymentRecovery } from './payment-recovery.service';
import { PaymentRunsController } from './payment-runs.controller';
import { PaymentRuns } from './payment-runs.service';
import { SubProjectPayments } from './sub-project-payments.service';

/**
 * Money that never leaks (issue 12): payments from sub-project budgets, their reversals,
 * payment runs and the recovery pass. Global, so that the family commands delegate to the
 * one SubProjectPayments (its per-budget queue must be one per process).
 */
@Global()
@Module({
  imports: [RulesModule],
  controllers: [PaymentRunsController],
  providers: [SubProjectPayments, PaymentRuns, PaymentRecovery, clockProvider],
  exports: [SubProjectPayments, PaymentRuns, PaymentRecovery],
})
export class MoneyModule {}
