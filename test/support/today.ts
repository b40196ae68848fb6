import { addDays, localDateOf, type LocalDate } from '@familievedtak/domain';

/**
 * The day the API decides on: the date in Oslo, not in UTC. Between 23:00/22:00 and midnight
 * UTC they differ, and a test that sends the UTC date is refused as "before the decision".
 */
export const osloToday = (): LocalDate => localDateOf(new Date());

export { addDays };
