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
    expect(output.out[0]).toMatch(/valid \(family-decision v1, 23 rules\)/);
  });

  it('validate: exit code 1 and file:line:column errors for a broken one', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rules-')), 'broken.yaml');
    writeFileSync(file, 'id: broken\nname: Broken\neffectiveFrom: "2026-01-01"\nrules:\n  - id: r1\n    decisionType: municipal-housing\n    units: [HVK, KOMMUNE]\n    fourEyes: true\n    bundlable: true\n');
    await new RulesValidateCommand().run([file]);
    expect(process.exitCode).toBe(1);
    expect(output.err[0]).toBe(`${file}:7:18: rules[0].units[1]: must be one of HVK, BFT, NAV, INN, OPPVEKST`);
  });

  it('explain: the chosen rule and why the others did not match', async () => {
    await new RulesExplainCommand().run([join(RULE_SET_DOCUMENTS_DIR, 'place-based-team.yaml')], {
      decisionType: 'economic-social-assistance',
      unit: 'HVK',
      age: [40],
      district: 'Heimdal',
      date: '2026-03-01',
    });
    expect(process.exitCode).toBeUndefined();
    expect(output.out[0]).toContain('PERMITTED: HVK may decide as team:Heimdal under rule district-team-economic-social-assistance');
    expect(output.out[0]).toContain("✗ district-team-qualification-programme: covers 'Qualification programme', not 'Economic social assistance'");
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
