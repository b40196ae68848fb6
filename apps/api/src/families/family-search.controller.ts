import { BadRequestException, Body, Controller, Headers, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, localDateOf } from '@familievedtak/domain';
import { Clock } from '@familievedtak/event-store';
import { FamilySearchQueries, InvalidFamilySearch, viewRulesOf } from '@familievedtak/projections';
import { RuleSetRegistry } from '../rules/rule-set-registry.service';
import { DataSource } from 'typeorm';
import type { FastifyRequest } from 'fastify';
import { ApiRoute } from '../shared/openapi/api-route.decorator';
import { CurrentActor } from '../shared/actor.decorator';
import { CLOCK } from '../shared/clock.provider';
import { describeGrantedAccess, recordGrantedAccess } from '../read-audit/access-subjects';
import { ReadsFamilyData } from '../read-audit/reads-family-data.decorator';
import { ApiBodyExample, REQUEST_EXAMPLES } from '../shared/openapi/examples';
import { FamilySearchDto, FamilySearchPageDto } from './dto/family-search.dto';

/**
 * Finding a family (issue 16): by a member's name, birth date or national id, over the families
 * the caller may see, decided and masked like the family list (FamilySearchQueries): the units'
 * duty of confidentiality (fvl § 13) and protected addresses hold for a search as for the view. A
 * search must say why (X-Purpose, or `purpose` in the body: 400 without either; purpose limitation,
 * GDPR art. 5(1)(b)); the purpose and every family found go to the read audit. Always read from the primary (a search names no revision to wait for).
 */
@ApiTags('family view')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Act-As-Role', required: false, description: 'With several roles in the token: the one to act as' })
@ApiHeader({ name: 'X-Act-As-Unit', required: false, description: 'With several units in the token: the one to act for' })
@Controller('families')
export class FamilySearchController {
  private readonly search: FamilySearchQueries;

  constructor(
    dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly rules: RuleSetRegistry,
  ) {
    this.search = new FamilySearchQueries(dataSource);
  }

  @Post('search')
  @HttpCode(200)
  @ReadsFamilyData(describeGrantedAccess)
  @ApiHeader({
    name: 'X-Purpose',
    required: false,
    description:
      'Why you search (recorded in the read audit with every family found), e.g. casework, subject-access, complaint; or `purpose` in the body: one of the two is required',
  })
  @ApiOperation({
    summary: "Find families by a member's name (partial, case and accents folded), birth date or national id",
    description:
      'Only families the caller may see, decided and masked like the family list: a member with strengt fortrolig adresse (kode 6) is never found without the protected-address clearance (nor is their family listed), and a reader who sees names only is not matched by birth date or national id. The national id goes in the body, never the URL, and is never echoed back.',
  })
  @ApiBodyExample(FamilySearchDto, REQUEST_EXAMPLES.searchFamilies)
  @ApiRoute(
    'searchFamilies',
    { status: 200, type: FamilySearchPageDto, description: 'A page of matching families (keyset paging), each with the members who matched' },
    { body: true },
  )
  async find(@Req() req: FastifyRequest, @CurrentActor() actor: Actor, @Headers('x-purpose') purpose: string | undefined, @Body() body: FamilySearchDto) {
    const { today, purpose: bodyPurpose, ...criteria } = body;
    const header = typeof purpose === 'string' ? purpose.trim() : '';
    const given = bodyPurpose?.trim() ?? '';
    if (!header && !given)
      throw new BadRequestException('A purpose is required: say why you search (X-Purpose header or purpose), it is recorded in the read audit');
    if (header && given && header !== given) throw new BadRequestException('Give the purpose once: X-Purpose and purpose differ');
    // The read audit takes the purpose from X-Purpose: one given in the body is recorded the same way.
    if (!header) req.headers['x-purpose'] = given;
    const accessDay = localDateOf(this.clock.now());
    try {
      const day = today ?? accessDay;
      const { items, nextCursor, access } = await this.search.search(criteria, day, { actor, accessDay, rules: viewRulesOf(await this.rules.inForceOn(day)) });
      recordGrantedAccess(req, access);
      return { items, nextCursor };
    } catch (error) {
      if (error instanceof InvalidFamilySearch) throw new BadRequestException(error.message);
      throw error;
    }
  }
}
