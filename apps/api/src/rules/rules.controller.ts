import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiRoute, commandProblems } from '../shared/openapi/api-route.decorator';
import { ApiRuleSetBody } from '../shared/openapi/rule-set-schema';
import { CommandOutcomeDto, CompetenceExplanationDto, RuleSetDraftOutcomeDto, RuleSetDto, RuleSetListDto } from '../shared/openapi/responses.dto';
import {
  Actor,
  decisionTypeLaw,
  draftTarget,
  evaluateCompetence,
  isLawfulDecider,
  legalLimitBreaches,
  InvalidInput,
  isDecisionType,
  isLocalDate,
  isUnit,
  requireRole,
  RuleSetNotFound,
  RuleSetState,
  type CompetenceMember,
} from '@familievedtak/domain';
import { InvalidRuleSetDocument, parseRuleSetDocument } from '@familievedtak/rules';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentActor } from '../shared/actor.decorator';
import { requestHeaders } from '../shared/request-info';
import { RuleSetCommandsService } from './rule-set-commands.service';
import { RuleSetRegistry } from './rule-set-registry.service';

const READERS = ['rules-analyst', 'unit-leader', 'auditor', 'delegation-authority'] as const;

/**
 * Delegation rule sets for the rules team: draft from a YAML/JSON document (rules-analyst;
 * refused when outside the law: RULE_OUTSIDE_LEGAL_LIMITS), activate from a date on a named
 * delegation decision or retire (delegation-authority), list, read and explain a decision
 * with the law of its type (the decision-type catalogue).
 */
@ApiTags('rule-sets')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Act-As-Role', required: false, description: 'With several roles in the token: the one to act as' })
@ApiHeader({ name: 'X-Act-As-Unit', required: false, description: 'With several units in the token: the one to act for' })
@Controller('rule-sets')
export class RulesController {
  constructor(
    private readonly commands: RuleSetCommandsService,
    private readonly registry: RuleSetRegistry,
  ) {}

  @Post()
  @ApiOperation({
    summary:
      'Draft a version from a document: text/yaml body, or JSON { document: "<yaml or json text>" }. 201: a new version; 200 (replayed): the same rules are already stored as that version; 409: the version the document names is stored with other rules',
  })
  @ApiRoute(
    'draftRuleSet',
    {
      status: 201,
      type: RuleSetDraftOutcomeDto,
      description: 'A new version was drafted',
      also: { status: 200, description: 'The same rules are stored already as that version (replayed)' },
    },
    { ...commandProblems('DraftRuleSet'), codes: [...commandProblems('DraftRuleSet').codes!, 'INVALID_RULE_SET_DOCUMENT'] },
  )
  @ApiRuleSetBody('draft')
  async draft(@Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply, @CurrentActor() actor: Actor, @Body() body: unknown) {
    requireRole(actor, ['rules-analyst'], 'draft delegation rules');
    const document = typeof body === 'string' ? body : (body as { document?: unknown } | null)?.document;
    if (typeof document !== 'string' || document.trim() === '') {
      throw new InvalidInput('document', 'send the rule-set document as a text/yaml body or as JSON { "document": "..." }');
    }
    const parsed = parseRuleSetDocument(document);
    if (!parsed.valid) throw new InvalidRuleSetDocument(parsed.errors);
    const { state, ...outcome } = await this.commands.execute(
      parsed.ruleSet.id,
      { type: 'DraftRuleSet', data: { document, format: parsed.format, ruleSet: parsed.ruleSet, versionNamed: parsed.versionNamed } },
      { actor, ...requestHeaders(req) },
    );
    void res.header('etag', `"${outcome.revision}"`);
    // Nothing appended: the same rules are stored already; the answer is that version.
    const unchanged = outcome.replayed || outcome.events.length === 0;
    if (unchanged) void res.status(200);
    const version = unchanged ? draftTarget(state, parsed.ruleSet, parsed.versionNamed).version : state.versions[state.versions.length - 1].version;
    return { ...outcome, replayed: unchanged, ruleSetId: parsed.ruleSet.id, version };
  }

  @Post(':ruleSetId/activate')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Activate a version (default: the latest) from an effective date, naming the delegation decision it rests on (delegation-authority). Never backdated: 422 RULE_SET_BACKDATED, ACTIVATION_BEFORE_DELEGATION_DECISION, DELEGATION_DECISION_REQUIRED; a version outside the law: 422 RULE_OUTSIDE_LEGAL_LIMITS',
  })
  @ApiRoute('activateRuleSet', { status: 200, type: CommandOutcomeDto, description: 'The version is active from the date' }, commandProblems('ActivateRuleSet'))
  @ApiRuleSetBody('activate')
  async activate(@Req() req: FastifyRequest, @CurrentActor() actor: Actor, @Param('ruleSetId') ruleSetId: string, @Body() body: unknown) {
    const { effectiveFrom, version, delegationDecision } = (body ?? {}) as { effectiveFrom?: unknown; version?: unknown; delegationDecision?: unknown };
    await this.commands.load(ruleSetId);
    const { state: _state, ...outcome } = await this.commands.execute(
      ruleSetId,
      { type: 'ActivateRuleSet', data: { effectiveFrom, version: optionalVersion(version), delegationDecision } },
      { actor, ...requestHeaders(req) },
    );
    return outcome;
  }

  @Post(':ruleSetId/retire')
  @HttpCode(200)
  @ApiOperation({ summary: 'Retire a version (default: the latest active one) (delegation-authority)' })
  @ApiRoute('retireRuleSet', { status: 200, type: CommandOutcomeDto, description: 'The version is retired' }, commandProblems('RetireRuleSet'))
  @ApiRuleSetBody('retire')
  async retire(@Req() req: FastifyRequest, @CurrentActor() actor: Actor, @Param('ruleSetId') ruleSetId: string, @Body() body: unknown) {
    const { version, reason } = (body ?? {}) as { version?: unknown; reason?: unknown };
    await this.commands.load(ruleSetId);
    const { state: _state, ...outcome } = await this.commands.execute(
      ruleSetId,
      { type: 'RetireRuleSet', data: { version: optionalVersion(version), reason } },
      { actor, ...requestHeaders(req) },
    );
    return outcome;
  }

  @Get()
  @ApiOperation({ summary: 'Every rule set with its versions, and the versions in force by date' })
  @ApiRoute('listRuleSets', { status: 200, type: RuleSetListDto, description: 'Every rule set with its versions' }, { codes: ['ACTION_NOT_PERMITTED'] })
  async list(@CurrentActor() actor: Actor) {
    requireRole(actor, READERS, 'read delegation rules');
    const ids = await this.commands.ids();
    const ruleSets = await Promise.all(ids.map(async (id) => summary((await this.commands.load(id)).state)));
    return { ruleSets, activations: await this.registry.activations() };
  }

  @Get(':ruleSetId')
  @ApiOperation({
    summary:
      'One rule set: every version with its document, parsed rules, status, the delegation decision it rests on, and any breach of the law (a draft stored before the limits were checked)',
  })
  @ApiRoute(
    'getRuleSet',
    { status: 200, type: RuleSetDto, description: 'Every version of the rule set' },
    { codes: ['ACTION_NOT_PERMITTED', 'RULE_SET_NOT_FOUND'] },
  )
  async get(@CurrentActor() actor: Actor, @Param('ruleSetId') ruleSetId: string) {
    requireRole(actor, READERS, 'read delegation rules');
    const { state, revision } = await this.commands.load(ruleSetId);
    return { ruleSetId, revision, versions: state.versions.map((v) => ({ ...v, legalLimitBreaches: legalLimitBreaches(v.ruleSet) })) };
  }

  @Post(':ruleSetId/explain')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Which rule lets (or would let) a unit make a decision, and why every other rule does not match; with the law of the decision type (legal basis, enkeltvedtak, appeal body and deadline, competent units, four-eyes floor, each with its provision)',
  })
  @ApiRoute(
    'explainCompetence',
    { status: 200, type: CompetenceExplanationDto, description: 'Which rule decides, and why the others do not match' },
    { codes: ['ACTION_NOT_PERMITTED', 'INVALID_INPUT', 'RULE_SET_NOT_FOUND'], body: true },
  )
  @ApiRuleSetBody('explain')
  async explain(
    @CurrentActor() actor: Actor,
    @Param('ruleSetId') ruleSetId: string,
    @Query('version') versionParam: string | undefined,
    @Body() body: unknown,
  ) {
    requireRole(actor, READERS, 'explain delegation rules');
    const { state } = await this.commands.load(ruleSetId);
    const wanted = versionParam === undefined ? undefined : Number(versionParam);
    const entry = wanted === undefined ? state.versions[state.versions.length - 1] : state.versions.find((v) => v.version === wanted);
    if (!entry) throw new RuleSetNotFound(ruleSetId, wanted);
    const query = explainQuery(body);
    const law = decisionTypeLaw(query.decisionType);
    return {
      ruleSetId,
      version: entry.version,
      query,
      ...evaluateCompetence(entry.ruleSet, query),
      law,
      // Whether the law lets this unit ever decide the type, whatever the rules say.
      unitCompetentByLaw: isLawfulDecider(query.decisionType, query.unit),
      legalLimitBreaches: legalLimitBreaches(entry.ruleSet).filter((b) => b.decisionType === query.decisionType),
    };
  }
}

function optionalVersion(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || (value as number) < 1) throw new InvalidInput('version', 'must be a whole number from 1');
  return value as number;
}

function summary(state: RuleSetState) {
  return {
    ruleSetId: state.ruleSetId,
    versions: state.versions.map((v) => ({
      version: v.version,
      status: v.status,
      name: v.ruleSet.name,
      effectiveFrom: v.effectiveFrom,
      delegationDecision: v.delegationDecision,
      withinLegalLimits: legalLimitBreaches(v.ruleSet).length === 0,
      draftedAt: v.draftedAt,
    })),
  };
}

/** The explain body: {decisionType, unit, date, members:[{memberId?, age, adult?, inIntroductionProgramme?}], family?, amountOre?, subProjectResponsibleUnit?}. */
export function explainQuery(body: unknown) {
  const b = (body ?? {}) as Record<string, unknown>;
  if (!isDecisionType(b.decisionType)) throw new InvalidInput('decisionType', 'must be a decision type of the catalogue');
  if (!isUnit(b.unit)) throw new InvalidInput('unit', 'must be one of HVK, BFT, NAV, INN, OPPVEKST');
  if (!isLocalDate(b.date)) throw new InvalidInput('date', 'must be a date YYYY-MM-DD');
  if (!Array.isArray(b.members) || b.members.length === 0) throw new InvalidInput('members', 'must list at least one member');
  const members: CompetenceMember[] = b.members.map((m: unknown, i: number) => {
    const member = (m ?? {}) as Record<string, unknown>;
    const age = member.age ?? member.ageOnDate;
    if (!Number.isInteger(age) || (age as number) < 0) throw new InvalidInput(`members[${i}].age`, 'must be a whole number of years');
    return {
      memberId: typeof member.memberId === 'string' ? member.memberId : `member-${i + 1}`,
      ageOnDate: age as number,
      adult: typeof member.adult === 'boolean' ? member.adult : (age as number) >= 18,
      inIntroductionProgramme: member.inIntroductionProgramme === true,
    };
  });
  const family = (b.family ?? {}) as Record<string, unknown>;
  const coordinatingUnit = family.coordinatingUnit ?? null;
  if (coordinatingUnit !== null && !isUnit(coordinatingUnit)) throw new InvalidInput('family.coordinatingUnit', 'must be a unit or null');
  const subProjectResponsibleUnit = b.subProjectResponsibleUnit ?? null;
  if (subProjectResponsibleUnit !== null && !isUnit(subProjectResponsibleUnit)) throw new InvalidInput('subProjectResponsibleUnit', 'must be a unit or null');
  if (b.amountOre !== undefined && (!Number.isInteger(b.amountOre) || (b.amountOre as number) < 0)) throw new InvalidInput('amountOre', 'must be whole øre');
  return {
    decisionType: b.decisionType,
    unit: b.unit,
    date: b.date,
    members,
    subProjectResponsibleUnit,
    amountOre: b.amountOre as number | undefined,
    family: {
      district: typeof family.district === 'string' ? family.district : null,
      coordinatingUnit,
      inFamilyDecision: family.inFamilyDecision === true,
    },
  };
}
