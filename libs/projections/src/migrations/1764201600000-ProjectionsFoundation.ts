import { MigrationInterface, QueryRunner } from 'typeorm';

/** Checkpoints of the projection runner and the stream catalogue read model. */
export class ProjectionsFoundation1764201600000 implements MigrationInterface {
  name = 'ProjectionsFoundation1764201600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS projections`);
    await q.query(`CREATE SCHEMA IF NOT EXISTS read_models`);
    await q.query(`
      CREATE TABLE projections.checkpoints (
        name       text        PRIMARY KEY,
        position   bigint      NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        rebuilt_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE read_models.stream_catalogue (
        stream_id         text        PRIMARY KEY,
        category          text        NOT NULL,
        revision          bigint      NOT NULL,
        event_count       bigint      NOT NULL,
        last_event_type   text        NOT NULL,
        last_position     bigint      NOT NULL,
        first_recorded_at timestamptz NOT NULL,
        last_recorded_at  timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX stream_catalogue_category_idx ON read_models.stream_catalogue (category, stream_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE read_models.stream_catalogue`);
    await q.query(`DROP TABLE projections.checkpoints`);
  }
}
