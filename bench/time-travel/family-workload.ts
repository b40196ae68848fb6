import { deterministicUuid } from '@familievedtak/application';
import type { ConsentEvidence, FamilyEvent, MemberDetails, Unit } from '@familievedtak/domain';
import { DEMO_SUB_PROJECTS, partnersOf } from '../../apps/cli/src/seed/demo-sub-projects';

/**
 * One long-lived family as a realistic event sequence, valid for the domain's evolve: needs
 * picked up and resolved, consents given and withdrawn, decisions proposed, approved,
 * amended, appealed and expired (so decision histories grow), payments recorded and
 * reversed, and now and then a family decision. Deterministic: the same count gives the same
 * events. Record ids are UUIDs, as the API gives them. Two hours pass between events, from
 * 2024-01-08.
 *
 * It opens as the rules of a part in the case have it: NAV registers the family (the children
 * with their holders of parental responsibility), the adults consent to NAV coordinating and to
 * information-sharing (the children through a parent), NAV refers the family to the four other
 * units on those consents and each accepts, and BFT enrols the family in a sub-project whose
 * partner (by organisation number) later joins the team.
 */
export function syntheticFamilyEvents(familyId: string, count: number): FamilyEvent[] {
  const events: FamilyEvent[] = [];
  const uuid = (kind: string, n: number) => deterministicUuid(familyId, kind, String(n));
  const UNITS: Unit[] = ['NAV', 'BFT', 'HVK', 'INN', 'OPPVEKST'];
  const start = Date.UTC(2024, 0, 8, 8);
  const instant = () => new Date(start + events.length * 2 * 3600_000).toISOString();
  const dayOf = (offsetDays = 0) => new Date(start + events.length * 2 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
  const actor = (unit: Unit, role: 'caseworker' | 'approver' = 'caseworker') => ({
    userId: `${unit.toLowerCase()}.${role}`,
    role,
    unit,
    partnerOrganisation: null,
  });
  const stamp = (unit: Unit, role: 'caseworker' | 'approver' = 'caseworker') => ({ at: instant(), by: actor(unit, role) });
  const delegation = (unit: Unit) => ({ ruleSetId: 'trondheim-2023', ruleSetVersion: 1, ruleId: `${unit.toLowerCase()}-rule` });
  const decisionType = {
    NAV: 'economic-social-assistance',
    BFT: 'child-welfare-support-measure',
    HVK: 'municipal-housing',
    INN: 'introduction-programme',
    OPPVEKST: 'kindergarten-fee-reduction',
  } as const;

  const none = { protectedAddress: false, addressProtection: 'none' } as const;
  const members: MemberDetails[] = [
    { memberId: 'm-1', name: 'Amina Hassan', birthDate: '1988-05-02', role: 'adult', nationalId: null, preferredLanguage: 'so', ...none },
    { memberId: 'm-2', name: 'Yusuf Hassan', birthDate: '1985-11-20', role: 'adult', nationalId: '20118512345', preferredLanguage: 'so', ...none },
    { memberId: 'm-3', name: 'Leila Hassan', birthDate: '2012-06-30', role: 'child', nationalId: null, preferredLanguage: 'nb', ...none },
    { memberId: 'm-4', name: 'Sara Hassan', birthDate: '2016-09-01', role: 'child', nationalId: null, preferredLanguage: null, ...none },
  ];
  const memberIds = members.map((m) => m.memberId);
  const evidence = (n: number): ConsentEvidence => ({ form: 'written', documentRef: `SAMTYKKE-${n}` });
  const holders = ['m-1', 'm-2'];
  events.push({
    type: 'FamilyRegistered',
    data: {
      familyId,
      district: 'Heimdal',
      registeredOn: dayOf(),
      members,
      parentalResponsibility: ['m-3', 'm-4'].flatMap((childId) =>
        holders.map((holderId) => ({ childId, holderId, basis: 'birth-registration' as const, documentRef: null })),
      ),
      ...stamp('NAV'),
    },
  });
  for (const adultId of holders) {
    events.push({
      type: 'ConsentGiven',
      data: {
        consentId: uuid('coordination-consent', events.length),
        memberId: adultId,
        givenByMemberId: adultId,
        givenAsGuardian: false,
        kind: 'coordination',
        sourceUnits: null,
        toUnits: ['NAV'],
        dataCategories: ['needs', 'decisions'],
        purpose: 'NAV koordinerer hjelpen rundt familien',
        validFrom: dayOf(),
        validUntil: dayOf(3 * 365),
        evidence: evidence(events.length),
        ...stamp('NAV'),
      },
    });
  }
  events.push({
    type: 'ContactPersonJoined',
    data: { personId: 'cp-1', name: 'Kari Nordmann', affiliation: { kind: 'unit', unit: 'NAV' }, teamRole: 'coordinator', ...stamp('NAV') },
  });
  events.push({ type: 'CoordinatingUnitNamed', data: { unit: 'NAV', previousUnit: null, ...stamp('NAV') } });
  // Information-sharing among all five units: the adults for themselves, the children through a parent.
  const sharing = memberIds.map((memberId) => {
    const consentId = uuid('sharing-consent', events.length);
    const guardian = memberId === 'm-3' || memberId === 'm-4';
    events.push({
      type: 'ConsentGiven',
      data: {
        consentId,
        memberId,
        givenByMemberId: guardian ? 'm-1' : memberId,
        givenAsGuardian: guardian,
        kind: 'information-sharing',
        sourceUnits: UNITS,
        toUnits: UNITS,
        dataCategories: ['needs', 'decisions', 'payments'],
        purpose: 'Ett samarbeid om hele familien',
        validFrom: dayOf(),
        validUntil: dayOf(3 * 365),
        evidence: evidence(events.length),
        ...stamp('NAV'),
      },
    });
    return consentId;
  });
  for (const toUnit of UNITS.filter((u) => u !== 'NAV')) {
    const referralId = uuid('referral', events.length);
    events.push({
      type: 'ReferralRecorded',
      data: {
        referralId,
        fromUnit: 'NAV',
        toUnit,
        memberIds: [...memberIds],
        reason: `Familien ønsker hjelp fra ${toUnit}`,
        ground: 'consent',
        consentIds: sharing,
        ...stamp('NAV'),
      },
    });
    events.push({ type: 'ReferralAccepted', data: { referralId, unit: toUnit, since: dayOf(), ...stamp(toUnit) } });
  }
  const subProject = DEMO_SUB_PROJECTS.find((sp) => sp.key === 'forerkort')!;
  const partner = partnersOf(subProject).find((p) => p.name === 'Røde Kors')!;
  events.push({
    type: 'FamilyEnrolled',
    data: {
      enrolmentId: uuid('enrolment', 1),
      subProjectId: `bench-${subProject.key}`,
      subProjectName: subProject.name,
      responsibleUnit: subProject.responsibleUnit,
      memberIds: [...memberIds],
      partners: partnersOf(subProject),
      ...stamp(subProject.responsibleUnit),
    },
  });

  let n = 0;
  const openNeeds: string[] = [];
  const consents: Array<{ consentId: string; memberId: string }> = [];
  const proposed: Array<{ id: string; unit: Unit }> = [];
  const active: Array<{ id: string; unit: Unit; amended: number }> = [];
  const appealed: Array<{ appealId: string; decisionId: string; unit: Unit }> = [];
  const payments: string[] = [];
  let familyDecision: string | null = null;
  let memberSeq = members.length;

  while (events.length < count) {
    const step = n++ % 20;
    const unit = UNITS[n % UNITS.length];
    switch (step) {
      case 0:
      case 7: {
        const needId = uuid('need', n);
        events.push({
          type: 'NeedExpressed',
          data: {
            needId,
            memberId: memberIds[n % memberIds.length],
            words: `Behov ${n}: hjelp med bolig og skole`,
            expressedOn: dayOf(),
            recordedBy: { kind: 'unit', unit, userId: actor(unit).userId },
            ...stamp(unit),
          },
        });
        openNeeds.push(needId);
        break;
      }
      case 1:
      case 8:
        if (openNeeds.length) events.push({ type: 'NeedPickedUp', data: { needId: openNeeds[openNeeds.length - 1], unit, ...stamp(unit) } });
        break;
      case 2: {
        const consentId = uuid('consent', n);
        const memberId = memberIds[n % 2];
        events.push({
          type: 'ConsentGiven',
          data: {
            consentId,
            memberId,
            givenByMemberId: memberId,
            givenAsGuardian: false,
            kind: 'information-sharing',
            sourceUnits: ['NAV', 'BFT', 'HVK'],
            toUnits: ['NAV', 'BFT', 'HVK'],
            dataCategories: ['needs', 'decisions', 'payments'],
            purpose: 'Samordning rundt familien',
            validFrom: dayOf(),
            validUntil: dayOf(365),
            evidence: evidence(n),
            ...stamp('NAV'),
          },
        });
        consents.push({ consentId, memberId });
        break;
      }
      case 3: {
        const id = uuid('decision', n);
        events.push({
          type: 'DecisionProposed',
          data: {
            decisionId: id,
            unit,
            decisionType: decisionType[unit],
            memberIds: memberIds.slice(0, 2),
            legalBasis: 'Lov om sosiale tjenester i NAV § 18',
            periodFrom: dayOf(),
            periodUntil: dayOf(180),
            amounts: { monthlyAmountOre: 1_250_000, oneOffAmountOre: null },
            reasons: 'Husholdningen har ingen inntekt mens begge voksne tar norskopplæring.',
            enkeltvedtak: true,
            fourEyes: true,
            subProject: null,
            delegation: delegation(unit),
            ...stamp(unit),
          },
        });
        proposed.push({ id, unit });
        break;
      }
      case 4:
        if (proposed.length) {
          const d = proposed.shift()!;
          if (n % 7 === 4)
            events.push({
              type: 'DecisionRejected',
              data: { decisionId: d.id, reason: 'Vilkårene er ikke oppfylt', delegation: delegation(d.unit), ...stamp(d.unit, 'approver') },
            });
          else {
            events.push({
              type: 'DecisionApproved',
              data: { decisionId: d.id, notifiedOn: dayOf(1), delegation: delegation(d.unit), ...stamp(d.unit, 'approver') },
            });
            active.push({ ...d, amended: 0 });
          }
        }
        break;
      case 5:
      case 12:
        if (active.length) {
          const d = active[n % active.length];
          d.amended++;
          events.push({
            type: 'DecisionAmended',
            data: {
              decisionId: d.id,
              periodFrom: dayOf(-10),
              periodUntil: dayOf(200 + d.amended),
              amounts: { monthlyAmountOre: 1_250_000 + d.amended * 10_000, oneOffAmountOre: null },
              legalBasis: 'Lov om sosiale tjenester i NAV § 18',
              reasons: `Endret etter ny vurdering nr. ${d.amended}`,
              appealId: null,
              delegation: delegation(d.unit),
              ...stamp(d.unit, 'approver'),
            },
          });
        }
        break;
      case 6:
      case 13:
      case 16: {
        const paymentId = uuid('payment', n);
        events.push({
          type: 'PaymentRecorded',
          data: {
            paymentId,
            recipientMemberId: memberIds[n % 2],
            amountOre: 50_000 + (n % 9) * 1000,
            method: 'bank-transfer',
            funding: { kind: 'unit', unit },
            answersNeedId: openNeeds[0] ?? null,
            answersDecisionId: active[0]?.id ?? null,
            documentationRef: `bilag-${n}`,
            paidOn: dayOf(),
            countsAsIncome: false,
            ...stamp(unit),
          },
        });
        payments.push(paymentId);
        break;
      }
      case 9:
        if (openNeeds.length) {
          const needId = openNeeds.shift()!;
          if (n % 3 === 0) events.push({ type: 'NeedWithdrawn', data: { needId, reason: 'Ikke lenger aktuelt', ...stamp(unit) } });
          else
            events.push({
              type: 'NeedResolved',
              data: {
                needId,
                decisionIds: active.slice(-1).map((d) => d.id),
                paymentIds: payments.slice(-2),
                resolution: 'Løst med vedtak og utbetaling',
                ...stamp(unit),
              },
            });
        }
        break;
      case 10:
        if (active.length > 2 && n % 3 === 1) {
          const [d] = active.splice(n % active.length, 1);
          const appealId = uuid('appeal', n);
          events.push({
            type: 'AppealReceived',
            data: {
              appealId,
              decisionId: d.id,
              appellantMemberId: memberIds[0],
              grounds: 'Beløpet er for lavt',
              receivedDate: dayOf(),
              deadline: dayOf(21),
              late: false,
              lateExcuse: null,
              ...stamp(d.unit),
            },
          });
          appealed.push({ appealId, decisionId: d.id, unit: d.unit });
        } else if (payments.length > 3 && n % 3 === 2) {
          const paymentId = payments.splice(n % payments.length, 1)[0];
          events.push({ type: 'PaymentReversed', data: { paymentId, amountOre: 50_000, reversedOn: dayOf(), reason: 'Feilutbetaling', ...stamp(unit) } });
        }
        break;
      case 11:
        if (appealed.length) {
          const a = appealed.shift()!;
          events.push({
            type: 'AppealDecided',
            data: { appealId: a.appealId, decisionId: a.decisionId, outcome: 'upheld', reasons: 'Vedtaket står', ...stamp(a.unit, 'approver') },
          });
          active.push({ id: a.decisionId, unit: a.unit, amended: 0 });
        }
        break;
      case 14:
        if (consents.length > 4 && n % 2 === 0) {
          const { consentId, memberId } = consents.shift()!;
          events.push({
            type: 'ConsentWithdrawn',
            data: { consentId, effectiveFrom: dayOf(), reason: null, expressedByMemberId: memberId, channel: 'in-writing', alertedUnits: [], ...stamp('NAV') },
          });
        }
        break;
      case 15:
        if (active.length > 6) {
          const d = active.shift()!;
          if (n % 2)
            events.push({ type: 'DecisionExpired', data: { decisionId: d.id, periodUntil: dayOf(), delegation: delegation(d.unit), ...stamp(d.unit) } });
          else
            events.push({
              type: 'DecisionRevoked',
              data: { decisionId: d.id, reason: 'Familien har fått arbeid', delegation: delegation(d.unit), ...stamp(d.unit, 'approver') },
            });
        }
        break;
      case 17:
        if (n % 100 === 18 && active.length) {
          const familyDecisionId = uuid('family-decision', n);
          events.push({
            type: 'FamilyDecisionIssued',
            data: {
              familyDecisionId,
              decisions: active.slice(0, 3).map((d) => ({
                decisionId: d.id,
                unit: d.unit,
                decisionType: decisionType[d.unit],
                memberIds: memberIds.slice(0, 2),
                legalBasis: 'Lov om sosiale tjenester i NAV § 18',
                periodFrom: dayOf(-10),
                periodUntil: dayOf(200),
              })),
              reviewDate: dayOf(90),
              responsibleUnit: 'NAV',
              contactPersonId: 'cp-1',
              consentIds: consents.slice(-2).map((c) => c.consentId),
              ruleSetId: 'trondheim-2023',
              ruleSetVersion: 1,
              supersedes: familyDecision,
              ...stamp('NAV', 'approver'),
            },
          });
          familyDecision = familyDecisionId;
        }
        break;
      case 18:
        if (n % 200 === 38) {
          const memberId = `m-${++memberSeq}`;
          events.push({
            type: 'MemberJoined',
            data: {
              member: { memberId, name: `Nytt barn ${memberSeq}`, birthDate: dayOf(-1), role: 'child', nationalId: null, preferredLanguage: null, ...none },
              joinedOn: dayOf(),
              ...stamp('NAV'),
            },
          });
          events.push({
            type: 'ParentalResponsibilityRecorded',
            data: { childId: memberId, holderId: 'm-1', basis: 'birth-registration', documentRef: null, since: dayOf(), ...stamp('NAV') },
          });
          memberIds.push(memberId);
        }
        break;
      case 19:
        if (n % 300 === 39) {
          // A partner's contact person, added by the unit that enrolled the partner.
          events.push({
            type: 'ContactPersonJoined',
            data: {
              personId: `cp-${n}`,
              name: `Kontakt ${n}`,
              affiliation: { kind: 'partner', organisation: partner.name, organisationNumber: partner.organisationNumber },
              teamRole: null,
              ...stamp(subProject.responsibleUnit),
            },
          });
        }
        break;
    }
  }
  return events.slice(0, count);
}
