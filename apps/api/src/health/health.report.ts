import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class DatabaseHealth {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ example: 0.8 }) latencyMs!: number;
  @ApiPropertyOptional() error?: string;
}

export class EventStoreHealth {
  @ApiProperty({ enum: ['postgres', 'eventstoredb'] }) kind!: string;
  @ApiProperty() ok!: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Global position of the newest event (bigint as string)', example: '1042' })
  headPosition!: string | null;
  @ApiPropertyOptional() error?: string;
}

export class ProjectionHealthReport {
  @ApiProperty({ example: 'stream-catalogue' }) name!: string;
  @ApiProperty({ enum: ['starting', 'running', 'standby', 'stopped'], description: 'standby: another instance runs it' })
  state!: string;
  @ApiProperty({ example: '1042' }) checkpoint!: string;
  @ApiProperty({ nullable: true, type: 'integer', description: 'Events behind the head of the log', example: 0 })
  lag!: number | null;
  @ApiPropertyOptional() lastError?: string;
}

export class HealthReport {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status!: string;
  @ApiProperty() database!: DatabaseHealth;
  @ApiProperty() eventStore!: EventStoreHealth;
  @ApiProperty({ type: [ProjectionHealthReport] }) projections!: ProjectionHealthReport[];
}

export class LivenessReport {
  @ApiProperty({ enum: ['ok'] }) status!: string;
}

export class ReadinessCheck {
  @ApiProperty() ok!: boolean;
  @ApiPropertyOptional({ description: 'The failure by its code only (no host, port or SQL)', example: 'database unavailable (ECONNREFUSED)' }) error?: string;
}

export class EventStoreReadiness extends ReadinessCheck {
  @ApiProperty({ enum: ['postgres', 'eventstoredb'] }) kind!: string;
}

export class ProjectionReadiness {
  @ApiProperty({ example: 'family-view' }) name!: string;
  @ApiProperty({ enum: ['starting', 'running', 'standby', 'stopped'] }) state!: string;
  @ApiProperty({ description: 'running or standby; any state when this instance does not run projections' }) ok!: boolean;
}

/** The checks of GET /health/ready (readiness.ts), in its 200 body and beside the problem details of its 503. */
export class ReadinessChecksDto {
  @ApiProperty() database!: ReadinessCheck;
  @ApiProperty() eventStore!: EventStoreReadiness;
  @ApiProperty({ description: 'Whether this instance runs projections (RUN_PROJECTIONS); when not, the stopped runners do not count' })
  runsProjections!: boolean;
  @ApiProperty({ type: [ProjectionReadiness] }) projections!: ProjectionReadiness[];
}

export class ReadinessReport extends ReadinessChecksDto {
  @ApiProperty({ enum: ['ready'] }) status!: string;
}
