import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RULE_SET_DOCUMENTS_DIR } from '@familievedtak/rules';
import { RulesExplainCommand, RulesValidateCommand } from './rules.command';
import { captureCliOutput } from '../testing/cli-output';

describe('CLI: rules validate / rules explain', () => {
  const output = captureCliOutput();

  it('validate: exit code 0 for a shipped document', async () => {
    await new RulesValidateCommand().run([join(RULE_SET_DOCUMENTS_DIR, 'family-decision.yaml')]);
    expect(process.exitCode).toBeUndefined();
    expect(output.out[0]).toMatch(/valid and within the law \(family-decision v2, 20 rules\)/);
  });

  it('validate: NAV-loven § 13: exit code 1 for a well-formed document letting OPPVEKST decide social assistance, naming rule and provision', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rules-')), 'unlawful.yaml');
    writeFileSync(
      file,
      'id: unlawful\nname: Unlawful\neffectiveFrom: "2027-01-01"\nrules:\n  - id: oppvekst-assistance\n    decisionType: economic-social-assistance\n    units: [OPPVEKST]\n    fourEyes: true\n    bundlable: true\n',
    );
    await new RulesValidateCommand().run([file]);
    expect(process.exitCode).toBe(1);
    expect(output.err[0]).toBe(
      `${file}: oppvekst-assistance: rule oppvekst-assistance lets OPPVEKST decide 'Economic social assistance', which only NAV may decide (NAV-loven § 13; sosialtjenesteloven § 3)`,
    );
  });

  it('validate: exit code 1 and file:line:column errors for a broken one', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rules-')), 'broken.yaml');
    writeFileSync(
      file,
      'id: broken\nname: Broken\neffectiveFrom: "2026-01-01"\nrules:\n  - id: r1\n    decisionType: municipal-housing\n    units: [HVK, KOMMUNE]\n    fourEyes: true\n    bundlable: true\n',
    );
    await new RulesValidateCommand().run([file]);
    expect(process.exitCode).toBe(1);
    expect(output.err[0]).toBe(`${file}:7:18: rules[0].units[1]: must be one of HVK, BFT, NAV, INN, OPPVEKST`);
  });

  it('explain: the chosen rule, why the others did not match, and the law of the type with its provisions', async () => {
    await new RulesExplainCommand().run([join(RULE_SET_DOCUMENTS_DIR, 'place-based-team.yaml')], {
      decisionType: 'economic-social-assistance',
      unit: 'NAV',
      age: [40],
      district: 'Heimdal',
      date: '2026-03-01',
    });
    expect(process.exitCode).toBeUndefined();
    expect(output.out[0]).toContain('PERMITTED: NAV may decide as team:Heimdal under rule district-team-economic-social-assistance (four-eyes)');
    expect(output.out[0]).toContain("✗ district-team-qualification-programme: covers 'Qualification programme', not 'Economic social assistance'");
    expect(output.out[0]).toContain('  enkeltvedtak: yes (forvaltningsloven § 2 første ledd bokstav a og b)');
    expect(output.out[0]).toContain(
      '  appeal: statsforvalteren, 3 weeks from the notification reached the party (sosialtjenesteloven § 48; forvaltningsloven § 29)',
    );
    expect(output.out[0]).toContain('  may ever decide it: NAV (NAV-loven § 13; sosialtjenesteloven § 3)');
    expect(output.out[0]).toContain('  second approver: always (kommuneloven § 25-1');
  });

  it('explain: NAV-loven § 13: HVK staff of the district team may not decide social assistance, and the law says why', async () => {
    await new RulesExplainCommand().run([join(RULE_SET_DOCUMENTS_DIR, 'place-based-team.yaml')], {
      decisionType: 'economic-social-assistance',
      unit: 'HVK',
      age: [40],
      district: 'Heimdal',
      date: '2026-03-01',
      json: true,
    });
    expect(process.exitCode).toBe(1);
    const explained = JSON.parse(output.out[0]);
    expect(explained).toMatchObject({
      permitted: false,
      unitCompetentByLaw: false,
      legalLimitBreaches: [],
      law: { competentUnits: ['NAV'], competenceProvision: 'NAV-loven § 13; sosialtjenesteloven § 3', appeal: { body: 'statsforvalteren', weeks: 3 } },
    });
  });

  it('explain: exit code 1 when refused', async () => {
    await new RulesExplainCommand().run([join(RULE_SET_DOCUMENTS_DIR, 'trondheim-2023.yaml')], {
      decisionType: 'child-welfare-support-measure',
      unit: 'NAV',
      age: [9],
      date: '2026-03-01',
    });
    expect(process.exitCode).toBe(1);
    expect(output.out[0]).toContain("✗ bft-child-welfare-support: only BFT may decide 'Child welfare support measure', not NAV");
  });
});
