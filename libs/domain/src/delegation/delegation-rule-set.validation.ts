import { isLocalDate } from '../shared/local-date';
import { isUnit } from '../shared/units';
import { isDecisionType, isLegalArea, LEGAL_AREAS } from './decision-type.catalogue';
import type { DelegationRuleSet } from './delegation-rule-set';
import { InvalidRuleSet } from './delegation.errors';

/**
 * Checks a rule set that arrives as JSON (a draft from the rules team) and returns it typed,
 * or throws INVALID_RULE_SET listing every problem at once so a draft can be fixed in one go.
 */
export function validateDelegationRuleSet(value: unknown): DelegationRuleSet {
  const problems: string[] = [];
  if (!isObject(value)) throw new InvalidRuleSet(['it must be a JSON object']);
  if (!nonEmptyString(value.id)) problems.push('id must be a non-empty string');
  if (!Number.isInteger(value.version) || (value.version as number) < 1) problems.push('version must be a whole number from 1');
  if (!nonEmptyString(value.name)) problems.push('name must be a non-empty string');
  if (!isLocalDate(value.effectiveFrom)) problems.push('effectiveFrom must be a date YYYY-MM-DD');
  if (
    value.openNeedWarningDays !== undefined &&
    (!Number.isInteger(value.openNeedWarningDays) || (value.openNeedWarningDays as number) < 1 || (value.openNeedWarningDays as number) > 3650)
  ) {
    problems.push('openNeedWarningDays must be a whole number of days from 1 to 3650');
  }
  if (!Array.isArray(value.rules)) {
    problems.push('rules must be a list');
  } else {
    const seen = new Set<string>();
    value.rules.forEach((rule: unknown, index: number) => {
      const where = `rules[${index}]`;
      if (!isObject(rule)) {
        problems.push(`${where} must be an object`);
        return;
      }
      if (!nonEmptyString(rule.id)) problems.push(`${where}.id must be a non-empty string`);
      else if (seen.has(rule.id)) problems.push(`${where}.id ${rule.id} is used twice`);
      else seen.add(rule.id);
      if (rule.legalArea !== undefined) {
        if (rule.decisionType !== undefined) problems.push(`${where} must name a decisionType or a legalArea, not both`);
        else if (!isLegalArea(rule.legalArea)) problems.push(`${where}.legalArea ${String(rule.legalArea)} is not one of ${LEGAL_AREAS.join(', ')}`);
      } else if (rule.decisionType === undefined) problems.push(`${where} must name a decisionType or a legalArea`);
      else if (!isDecisionType(rule.decisionType)) problems.push(`${where}.decisionType ${String(rule.decisionType)} is not in the catalogue`);
      const deciderProblems = rule.deciders === undefined ? [] : decidersProblems(rule.deciders, `${where}.deciders`);
      problems.push(...deciderProblems);
      const hasDeciders = Array.isArray(rule.deciders) && rule.deciders.length > 0;
      if (!Array.isArray(rule.units) || (rule.units.length === 0 && !hasDeciders) || !rule.units.every(isUnit)) {
        problems.push(`${where}.units must list at least one of HVK, BFT, NAV, INN, OPPVEKST`);
      }
      if (rule.fourEyesAboveOre !== undefined && (!Number.isInteger(rule.fourEyesAboveOre) || (rule.fourEyesAboveOre as number) < 0)) {
        problems.push(`${where}.fourEyesAboveOre must be a whole number of øre`);
      }
      if (rule.bundledBy !== undefined) problems.push(...decidersProblems(rule.bundledBy, `${where}.bundledBy`));
      if (rule.family !== undefined) problems.push(...familyCriteriaProblems(rule.family, `${where}.family`));
      if (rule.description !== undefined && typeof rule.description !== 'string') problems.push(`${where}.description must be text`);
      if (typeof rule.fourEyes !== 'boolean') problems.push(`${where}.fourEyes must be true or false`);
      if (typeof rule.bundlable !== 'boolean') problems.push(`${where}.bundlable must be true or false`);
      if (rule.subProjectResponsibleUnitOnly !== undefined && typeof rule.subProjectResponsibleUnitOnly !== 'boolean') {
        problems.push(`${where}.subProjectResponsibleUnitOnly must be true or false`);
      }
      problems.push(...memberCriteriaProblems(rule.members, `${where}.members`));
    });
  }
  if (problems.length > 0) throw new InvalidRuleSet(problems);
  return value as DelegationRuleSet;
}

function memberCriteriaProblems(members: unknown, where: string): string[] {
  if (!isObject(members)) return [`${where} must be an object (use {} for anyone)`];
  const problems: string[] = [];
  for (const key of ['ageMin', 'ageMax'] as const) {
    const age = members[key];
    if (age !== undefined && (!Number.isInteger(age) || (age as number) < 0)) problems.push(`${where}.${key} must be a whole number of years`);
  }
  if (typeof members.ageMin === 'number' && typeof members.ageMax === 'number' && members.ageMin > members.ageMax) {
    problems.push(`${where}.ageMin is above ageMax, so nobody matches`);
  }
  if (members.adult !== undefined && typeof members.adult !== 'boolean') problems.push(`${where}.adult must be true or false`);
  if (members.programme !== undefined && members.programme !== 'introduction') problems.push(`${where}.programme must be 'introduction'`);
  const known = new Set(['ageMin', 'ageMax', 'adult', 'programme']);
  for (const key of Object.keys(members)) if (!known.has(key)) problems.push(`${where}.${key} is not a known criterion`);
  return problems;
}

function decidersProblems(value: unknown, where: string): string[] {
  if (!Array.isArray(value)) return [`${where} must be a list`];
  const problems: string[] = [];
  value.forEach((spec: unknown, i: number) => {
    if (!isObject(spec)) return void problems.push(`${where}[${i}] must be an object`);
    if (spec.kind === 'unit') {
      if (!isUnit(spec.unit)) problems.push(`${where}[${i}].unit must be one of HVK, BFT, NAV, INN, OPPVEKST`);
    } else if (spec.kind === 'district-team') {
      if (spec.units !== undefined && (!Array.isArray(spec.units) || !spec.units.every(isUnit))) {
        problems.push(`${where}[${i}].units must list units of HVK, BFT, NAV, INN, OPPVEKST`);
      }
    } else if (spec.kind === 'partner') {
      // Well formed, and refused by the legal limits (kommuneloven § 5-4), not here.
      if (spec.organisationNumber !== undefined && !nonEmptyString(spec.organisationNumber)) problems.push(`${where}[${i}].organisationNumber must be text`);
    } else if (spec.kind !== 'coordinating-unit') {
      problems.push(`${where}[${i}].kind must be one of unit, coordinating-unit, district-team, partner`);
    }
  });
  return problems;
}

function familyCriteriaProblems(value: unknown, where: string): string[] {
  if (!isObject(value)) return [`${where} must be an object`];
  const problems: string[] = [];
  for (const key of ['hasCoordinatingUnit', 'inFamilyDecision'] as const) {
    if (value[key] !== undefined && typeof value[key] !== 'boolean') problems.push(`${where}.${key} must be true or false`);
  }
  if (value.districts !== undefined && (!Array.isArray(value.districts) || !value.districts.every(nonEmptyString))) {
    problems.push(`${where}.districts must list district names`);
  }
  const known = new Set(['hasCoordinatingUnit', 'inFamilyDecision', 'districts']);
  for (const key of Object.keys(value)) if (!known.has(key)) problems.push(`${where}.${key} is not a known criterion`);
  return problems;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}
