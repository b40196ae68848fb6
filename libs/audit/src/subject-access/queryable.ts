/** What the audit needs of a PostgreSQL pool or client (pg's Pool satisfies it). */
export interface Queryable {
  query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}
