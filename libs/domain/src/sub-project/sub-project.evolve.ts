import type { SubProjectEvent } from './sub-project.events';
import type { SubProjectState } from './sub-project.state';

export function evolveSubProject(state: SubProjectState, event: SubProjectEvent): SubProjectState {
  switch (event.type) {
    case 'SubProjectApproved': {
      const { subProjectId, name, actors, responsibleUnit, semesterBudgetOre, goals, semesters } = event.data;
      return {
        ...state,
        status: 'active',
        subProjectId,
        name,
        actors: actors.map((a) => ({ ...a, organisationNumber: a.organisationNumber ?? null, mayRecordPayments: a.mayRecordPayments ?? false })),
        responsibleUnit,
        semesterBudgetOre,
        goals,
        semesters,
      };
    }
    case 'SpendRecorded': {
      const { paymentId, amountOre, category, semester, spentOn, familyId, by } = event.data;
      return {
        ...state,
        spends: { ...state.spends, [paymentId]: { paymentId, amountOre, category, semester, spentOn, familyId, reversed: false, recordedBy: by } },
        spentBySemester: { ...state.spentBySemester, [semester]: (state.spentBySemester[semester] ?? 0) + amountOre },
      };
    }
    case 'PaymentRunRecorded': {
      const { runId, description, count, totalOre, totalBySemesterOre, remainingBySemesterOre, paymentIds, familyIds, fingerprint, at, by } = event.data;
      return {
        ...state,
        runs: {
          ...state.runs,
          [runId]: { runId, description, count, totalOre, totalBySemesterOre, remainingBySemesterOre, paymentIds, familyIds, fingerprint, at, by },
        },
      };
    }
    case 'SpendReversed': {
      const { paymentId, amountOre, semester } = event.data;
      return {
        ...state,
        spends: { ...state.spends, [paymentId]: { ...state.spends[paymentId], reversed: true } },
        spentBySemester: { ...state.spentBySemester, [semester]: (state.spentBySemester[semester] ?? 0) - amountOre },
      };
    }
    case 'SubProjectReviewed': {
      const { semester, outcome, goalAttainment, at, by } = event.data;
      return { ...state, reviews: { ...state.reviews, [semester]: { semester, outcome, goalAttainment, at, by } } };
    }
    case 'SubProjectTerminated':
      return { ...state, status: 'terminated', terminatedAt: event.data.at };
  }
}
