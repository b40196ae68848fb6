import { readFileSync } from 'node:fs';
import {
  decisionTypeLaw,
  evaluateCompetence,
  isDecisionType,
  isLawfulDecider,
  isLocalDate,
  isUnit,
  legalLimitBreaches,
  localDateOf,
  type CompetenceResult,
  type DecisionTypeCode,
  type LegalLimitBreach,
  type Unit,
} from '@familievedtak/domain';
import { parseRuleSetDocument } from '@familievedtak/rules';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { RulesSimulateCommand } from './simulate.command';
import { groupWithoutSubcommand } from '../audit/usage-exit';

@SubCommand({
  name: 'validate',
  arguments: '<file>',
  description: 'Check a rule-set document (YAML or JSON): exit 0 if valid and within the law, 1 with line-level errors or each rule outside the law',
})
export class RulesValidateCommand extends CommandRunner {
  async run([file]: string[]): Promise<void> {
    const parsed = parseRuleSetDocument(readFileSync(file, 'utf8'));
    if (parsed.valid) {
      // Well formed but outside the law: the API refuses the draft (RULE_OUTSIDE_LEGAL_LIMITS), so this does too.
      const breaches = legalLimitBreaches(parsed.ruleSet);
      if (breaches.length > 0) {
        for (const line of formatBreaches(breaches)) console.error(`${file}: ${line}`);
        console.error(`${breaches.length} breach(es) of the law: ${file} (${parsed.ruleSet.id} v${parsed.ruleSet.version}) could not be drafted`);
        process.exitCode = 1;
        return;
      }
      console.log(`${file}: valid and within the law (${parsed.ruleSet.id} v${parsed.ruleSet.version}, ${parsed.ruleSet.rules.length} rules)`);
      return;
    }
    for (const error of parsed.errors) console.error(`${file}:${error.line}:${error.column}: ${error.path}: ${error.problem}`);
    console.error(`${parsed.errors.length} problem(s): ${file} is not a valid rule set`);
    process.exitCode = 1;
  }
}

type ExplainOptions = {
  decisionType?: string;
  unit?: string;
  age: number[];
  child?: boolean;
  introductionProgramme?: boolean;
  date?: string;
  district?: string;
  coordinatingUnit?: string;
  inFamilyDecision?: boolean;
  amountOre?: number;
  subProjectUnit?: string;
  json?: boolean;
};

@SubCommand({
  name: 'explain',
  arguments: '<file>',
  description: 'Which rule of a rule-set document lets a unit make a decision, and why every other rule does not match',
})
export class RulesExplainCommand extends CommandRunner {
  async run([file]: string[], options: ExplainOptions): Promise<void> {
    const parsed = parseRuleSetDocument(readFileSync(file, 'utf8'));
    if (!parsed.valid) {
      for (const error of parsed.errors) console.error(`${file}:${error.line}:${error.column}: ${error.path}: ${error.problem}`);
      process.exitCode = 1;
      return;
    }
    const problems: string[] = [];
    if (!isDecisionType(options.decisionType)) problems.push('--decision-type must be a decision type of the catalogue');
    if (!isUnit(options.unit)) problems.push('--unit must be one of HVK, BFT, NAV, INN, OPPVEKST');
    if (options.coordinatingUnit !== undefined && !isUnit(options.coordinatingUnit)) problems.push('--coordinating-unit must be a unit');
    if (options.subProjectUnit !== undefined && !isUnit(options.subProjectUnit)) problems.push('--sub-project-unit must be a unit');
    const date = options.date ?? localDateOf(new Date());
    if (!isLocalDate(date)) problems.push('--date must be YYYY-MM-DD');
    const ages = options.age ?? [];
    if (ages.length === 0) problems.push('--age is required (repeat it for several members)');
    if (problems.length > 0 || !isDecisionType(options.decisionType) || !isUnit(options.unit)) {
      problems.forEach((p) => console.error(p));
      process.exitCode = 2;
      return;
    }
    const result = evaluateCompetence(parsed.ruleSet, {
      decisionType: options.decisionType,
      unit: options.unit,
      date,
      members: ages.map((age, i) => ({
        memberId: `member-${i + 1}`,
        ageOnDate: age,
        adult: options.child ? false : age >= 18,
        inIntroductionProgramme: options.introductionProgramme === true,
      })),
      family: {
        district: options.district ?? null,
        coordinatingUnit: isUnit(options.coordinatingUnit) ? options.coordinatingUnit : null,
        inFamilyDecision: options.inFamilyDecision === true,
      },
      amountOre: options.amountOre,
      subProjectResponsibleUnit: isUnit(options.subProjectUnit) ? options.subProjectUnit : null,
    });
    const breaches = legalLimitBreaches(parsed.ruleSet).filter((b) => b.decisionType === options.decisionType);
    if (options.json)
      console.log(
        JSON.stringify(
          {
            ...result,
            law: decisionTypeLaw(options.decisionType),
            unitCompetentByLaw: isLawfulDecider(options.decisionType, options.unit),
            legalLimitBreaches: breaches,
          },
          null,
          2,
        ),
      );
    else console.log([formatExplanation(parsed.ruleSet.id, options.unit, result), ...formatLaw(options.decisionType, options.unit, breaches)].join('\n'));
    if (!result.permitted) process.exitCode = 1;
  }

  @Option({ flags: '--decision-type <type>', description: 'e.g. child-welfare-support-measure' })
  parseDecisionType(value: string): string {
    return value;
  }

  @Option({ flags: '--unit <unit>', description: 'the unit that would decide: HVK, BFT, NAV, INN, OPPVEKST' })
  parseUnit(value: string): string {
    return value;
  }

  @Option({ flags: '--age <years>', description: "a member's age on the date (repeat for several members)" })
  parseAge(value: string, previous: number[] = []): number[] {
    return [...previous, Number.parseInt(value, 10)];
  }

  @Option({ flags: '--child', description: 'the members are children in the household (default: by age)' })
  parseChild(): boolean {
    return true;
  }

  @Option({ flags: '--introduction-programme', description: 'the members are in the introduction programme' })
  parseIntroductionProgramme(): boolean {
    return true;
  }

  @Option({ flags: '--date <date>', description: 'the decision date, YYYY-MM-DD (default: today)' })
  parseDate(value: string): string {
    return value;
  }

  @Option({ flags: '--district <district>', description: "the family's district" })
  parseDistrict(value: string): string {
    return value;
  }

  @Option({ flags: '--coordinating-unit <unit>', description: "the family's coordinating unit" })
  parseCoordinatingUnit(value: string): string {
    return value;
  }

  @Option({ flags: '--in-family-decision', description: 'the family has a family decision in force' })
  parseInFamilyDecision(): boolean {
    return true;
  }

  @Option({ flags: '--amount-ore <ore>', description: 'monthly plus one-off amount in øre (four-eyes thresholds)' })
  parseAmountOre(value: string): number {
    return Number.parseInt(value, 10);
  }

  @Option({ flags: '--sub-project-unit <unit>', description: 'pilot support: the unit responsible for the paying sub-project' })
  parseSubProjectUnit(value: string): string {
    return value;
  }

  @Option({ flags: '--json', description: 'print the explanation as JSON' })
  parseJson(): boolean {
    return true;
  }
}

/** The explanation as a caseworker reads it: verdict, chosen rule, then every rule in order. */
export function formatExplanation(ruleSetId: string, unit: string, result: CompetenceResult): string {
  const lines = [
    result.permitted
      ? `PERMITTED: ${unit} may decide as ${result.decider} under rule ${result.ruleId}${result.fourEyesRequired ? ' (four-eyes)' : ' (no second approver needed)'}`
      : `REFUSED: ${unit} may not decide this under ${ruleSetId}`,
    `Competent for this decision: ${result.competentDeciders.length ? result.competentDeciders.join(', ') : 'nobody'}`,
    'Rules:',
    ...result.explanation.map(
      (e) =>
        `  ${e.outcome === 'chosen' ? '✓' : e.outcome === 'also-matches' ? '=' : '✗'} ${e.ruleId}${e.reasons.length ? `: ${e.reasons.join('; ')}` : e.outcome === 'also-matches' ? ': also matches, an earlier rule decides' : ''}`,
    ),
  ];
  return lines.join('\n');
}

/** The law under the explanation: what the catalogue says of the type, and whether this unit may ever decide it. */
export function formatLaw(code: DecisionTypeCode, unit: Unit, breaches: LegalLimitBreach[]): string[] {
  const law = decisionTypeLaw(code);
  const appeal = law.appeal
    ? `${law.appeal.body}, ${law.appeal.weeks} weeks from the notification reached the party (${law.appeal.provision})`
    : 'none (not an enkeltvedtak)';
  return [
    `The law of '${law.label}' (${law.labelNo}):`,
    `  legal basis: ${law.legalBasis ?? 'none'}`,
    `  enkeltvedtak: ${law.enkeltvedtak ? 'yes' : 'no'} (${law.enkeltvedtakProvision})`,
    `  appeal: ${appeal}`,
    `  may ever decide it: ${law.competentUnits.join(', ')} (${law.competenceProvision}); never a private partner (${law.privateDelegation.provision})`,
    `  second approver: ${law.fourEyesFloor === 'always' ? `always (${law.fourEyesFloorProvision})` : 'as the rule set says'}`,
    isLawfulDecider(code, unit) ? `  ${unit} may hold this competence by law.` : `  ${unit} may NEVER decide it, whatever a rule set says.`,
    ...(breaches.length > 0 ? ['OUTSIDE THE LAW in this rule set:', ...formatBreaches(breaches).map((l) => `  ${l}`)] : []),
  ];
}

function formatBreaches(breaches: LegalLimitBreach[]): string[] {
  return breaches.map((b) => `${b.ruleId}: ${b.problem} (${b.provision})`);
}

@Command({
  name: 'rules',
  description: 'Delegation rule sets: validate and explain documents, simulate what-if runs',
  subCommands: [RulesValidateCommand, RulesExplainCommand, RulesSimulateCommand],
})
export class RulesCommand extends CommandRunner {
  async run(args: string[]): Promise<void> {
    groupWithoutSubcommand(this.command, args);
  }
}
