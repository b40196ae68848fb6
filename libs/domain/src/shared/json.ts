/**
 * JSON values. Event and command payloads are type aliases (not interfaces) built from
 * these, so that TypeScript accepts them where the event store expects a JSON object.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };
