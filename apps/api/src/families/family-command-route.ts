import { applyDecorators, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Actor, FamilyCommand } from '@familievedtak/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CommandOutcome } from '../shared/command-envelope';
import { requestHeaders } from '../shared/request-info';
import type { FamilyCommandsService } from './family-commands.service';

/** Path ids of family routes are UUIDs (any version; lowercased before the route, see shared/canonical-ids). */
export const uuidParam = new ParseUUIDPipe({ version: undefined });

/**
 * What every controller of family commands shares: the tag, the bearer token and the headers
 * every command reads (acting as, If-Match, Idempotency-Key).
 */
export const FamilyCommandRoutes = () =>
  applyDecorators(
    ApiTags('families'),
    ApiBearerAuth(),
    ApiHeader({ name: 'X-Act-As-Role', required: false, description: 'With several roles in the token: the one to act as' }),
    ApiHeader({ name: 'X-Act-As-Unit', required: false, description: 'With several units in the token: the one to act for' }),
    ApiHeader({ name: 'If-Match', required: false, description: 'Stream revision the client saw, e.g. "3"' }),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: '8-200 characters; a retry returns the first answer' }),
  );

/** One family command from a request: who and why from the headers, the new revision as ETag. */
export async function runFamilyCommand(
  commands: FamilyCommandsService,
  request: FastifyRequest,
  reply: FastifyReply,
  actor: Actor,
  familyId: string,
  command: FamilyCommand,
): Promise<CommandOutcome> {
  const outcome = await commands.execute(familyId, command, { actor, ...requestHeaders(request) });
  void reply.header('etag', `"${outcome.revision}"`);
  return outcome;
}
