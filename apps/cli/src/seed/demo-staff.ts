import type { Actor, Role, Unit } from '@familievedtak/domain';
import { ORGANISATION_NUMBERS } from './demo-sub-projects';
import type { Random } from './prng';

/**
 * The people who send the demo's commands. Four eyes needs two people per unit (a caseworker
 * proposes, an approver of the same unit approves), sub-projects need a unit leader, and
 * many needs are written down by partners who belong to no unit (seed l.3029). A partner acts
 * only for members its sub-project's responsible unit enrolled, by its organisation number.
 * (The outreach service, Uteseksjonen, is municipal but none of the five units: it neither
 * writes nor reads here, so the youths' needs are written down by Red Cross mentors and BFT.)
 */
export type StaffMember = { userId: string; name: string; role: Role; unit: Unit; office: string };
/** A partner's user: acts for its organisation, known by its organisation number (the token's `org`). */
export type PartnerMember = { userId: string; name: string; organisation: string; organisationNumber: string };

const staff = (unit: Unit, office: string, caseworkers: string[][], approvers: string[][], leader: string[]): StaffMember[] => [
  ...caseworkers.map(([userId, name]) => ({ userId, name, role: 'caseworker' as const, unit, office })),
  ...approvers.map(([userId, name]) => ({ userId, name, role: 'approver' as const, unit, office })),
  { userId: leader[0], name: leader[1], role: 'unit-leader', unit, office },
];

export const STAFF: readonly StaffMember[] = [
  ...staff(
    'HVK',
    'Helse- og velferdskontor Lerkendal',
    [
      ['hvk-ingrid', 'Ingrid Aune'],
      ['hvk-tor', 'Tor Eggen'],
      ['hvk-fatima', 'Fatima Yusuf'],
    ],
    [
      ['hvk-marit', 'Marit Lien'],
      ['hvk-geir', 'Geir Strand'],
    ],
    ['hvk-leder', 'Bjørn Hoff'],
  ),
  ...staff(
    'BFT',
    'Barne- og familietjenesten Østbyen',
    [
      ['bft-siri', 'Siri Moe'],
      ['bft-jonas', 'Jonas Berg'],
      ['bft-nora', 'Nora Dahl'],
    ],
    [
      ['bft-per', 'Per Sand'],
      ['bft-anne', 'Anne Kvam'],
    ],
    ['bft-leder', 'Hanne Vik'],
  ),
  ...staff(
    'NAV',
    'NAV Lerkendal',
    [
      ['nav-kari', 'Kari Nilsen'],
      ['nav-ahmed', 'Ahmed Ali'],
      ['nav-line', 'Line Bakken'],
    ],
    [
      ['nav-ola', 'Ola Hansen'],
      ['nav-trude', 'Trude Rønning'],
    ],
    ['nav-leder', 'Eva Sæther'],
  ),
  ...staff(
    'INN',
    'Enhet for inkludering',
    [
      ['inn-amal', 'Amal Hassan'],
      ['inn-erik', 'Erik Lund'],
      ['inn-sara', 'Sara Haugen'],
    ],
    [
      ['inn-randi', 'Randi Holm'],
      ['inn-yonas', 'Yonas Tesfay'],
    ],
    ['inn-leder', 'Knut Solberg'],
  ),
  ...staff(
    'OPPVEKST',
    'Oppvekstadministrasjonen',
    [
      ['opp-lise', 'Lise Grande'],
      ['opp-morten', 'Morten Aas'],
      ['opp-hilde', 'Hilde Brekke'],
    ],
    [
      ['opp-gunn', 'Gunn Furu'],
      ['opp-stig', 'Stig Moen'],
    ],
    ['opp-leder', 'Arne Wold'],
  ),
];

export const PARTNERS = {
  bymisjon: { userId: 'kbm-maria', name: 'Maria Olsen', organisation: 'Kirkens bymisjon', organisationNumber: ORGANISATION_NUMBERS.bymisjon },
  // Red Cross volunteers drive with the youths on the way to a licence (Veien til førerkortet).
  redCross: { userId: 'rk-thomas', name: 'Thomas Bye', organisation: 'Røde Kors', organisationNumber: ORGANISATION_NUMBERS.redCross },
  police: {
    userId: 'pol-kristin',
    name: 'Kristin Hagen',
    organisation: 'Politiet, forebyggende gruppe Sentrum',
    organisationNumber: ORGANISATION_NUMBERS.police,
  },
} satisfies Record<string, PartnerMember>;

export function actorOf(member: StaffMember): Actor {
  return { userId: member.userId, role: member.role, unit: member.unit };
}

export function partnerActor(partner: PartnerMember): Actor {
  return { userId: partner.userId, role: 'partner', partnerOrganisation: partner.organisationNumber };
}

function ofUnit(unit: Unit, role: Role): StaffMember[] {
  return STAFF.filter((s) => s.unit === unit && s.role === role);
}

/** One family's people in each unit: the same caseworker and approver every time, as in real life. */
export class FamilyStaff {
  private readonly chosen = new Map<string, StaffMember>();

  constructor(private readonly rng: Random) {}

  caseworker(unit: Unit): StaffMember {
    return this.choose(unit, 'caseworker');
  }

  approver(unit: Unit): StaffMember {
    return this.choose(unit, 'approver');
  }

  private choose(unit: Unit, role: Role): StaffMember {
    const key = `${unit}:${role}`;
    let member = this.chosen.get(key);
    if (!member) {
      member = this.rng.pick(ofUnit(unit, role));
      this.chosen.set(key, member);
    }
    return member;
  }
}

export function unitLeader(unit: Unit): StaffMember {
  return ofUnit(unit, 'unit-leader')[0];
}
