import { Provider } from '@nestjs/common';
import { systemClock } from '@familievedtak/event-store';

/** The clock is injected so that tests can pin time; production uses the system clock. */
export const CLOCK = Symbol('CLOCK');
export const clockProvider: Provider = { provide: CLOCK, useValue: systemClock };
