import { Controller, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@familievedtak/domain';
import type { FastifyRequest } from 'fastify';
import { uuidParam } from '../families/family-command-route';
import { describeGrantedAccess, recordGrantedAccess } from '../read-audit/access-subjects';
import { ReadsFamilyData } from '../read-audit/reads-family-data.decorator';
import { CurrentActor } from '../shared/actor.decorator';
import { ApiRoute } from '../shared/openapi/api-route.decorator';
import { requestHeaders } from '../shared/request-info';
import { ArchiveExportDto } from './retention.dto';
import { ArchiveExports } from './archive-export.service';

/**
 * Export of a closed case for the archives (auditor; under /audit with the auditor's other reads of
 * the whole case: no role gets a family route that it could not otherwise use, and auditors get no
 * /families command). The whole package as JSON, every file's
 * exact bytes in base64 (the PDFs included), so the client writes the same directory the CLI
 * does and checks each SHA-256 against the manifest. A read of everything in the family: on the
 * read audit like every read, and recorded as CaseExportedForArchive in the family stream.
 */
@ApiTags('retention')
@ApiBearerAuth()
@Controller('audit')
export class ArchiveExportsController {
  constructor(private readonly exports: ArchiveExports) {}

  @Post('families/:familyId/archive-exports')
  @ReadsFamilyData(describeGrantedAccess)
  @ApiOperation({
    summary:
      'Export a closed case for the archives (auditor): manifest (files with SHA-256), the decoded events, the family view at closing, the letters as sent (PDF); recorded as CaseExportedForArchive. Not a Noark 5 extraction. 409 CASE_NOT_CLOSED while a unit has a part',
  })
  @ApiRoute(
    'exportCaseForArchive',
    { status: 201, type: ArchiveExportDto, description: 'The package, recorded in the family stream' },
    // REVISION_CONFLICT: the family kept changing while the package was built (three attempts).
    { codes: ['FAMILY_NOT_FOUND', 'CASE_NOT_CLOSED', 'ARCHIVE_EXPORT_NEEDS_CLEARANCE', 'REVISION_CONFLICT'] },
  )
  async export(@Req() req: FastifyRequest, @CurrentActor() actor: Actor, @Param('familyId', uuidParam) familyId: string): Promise<ArchiveExportDto> {
    const { idempotencyKey: _key, expectedRevision: _revision, ...headers } = requestHeaders(req);
    const pkg = await this.exports.export(familyId, { actor, protectedAddressClearance: actor.protectedAddressClearance === true }, headers);
    recordGrantedAccess(req, [{ familyId, memberIds: pkg.memberIds, categories: ['archive-export'], consentIds: [] }]);
    return {
      exportId: pkg.manifest.exportId,
      familyId,
      manifestSha256: pkg.manifestSha256,
      manifest: pkg.manifest as unknown as Record<string, unknown>,
      files: pkg.files.map(({ content, ...file }) => ({ ...file, contentBase64: content.toString('base64') })),
      recorded: pkg.outcome,
    };
  }
}
