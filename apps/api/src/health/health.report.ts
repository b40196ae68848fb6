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
