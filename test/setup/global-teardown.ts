export default async function globalTeardown(): Promise<void> {
  const servers = (globalThis as { __FV_TEST_SERVERS__?: Array<{ stop(): Promise<void> }> }).__FV_TEST_SERVERS__ ?? [];
  for (const server of servers) await server.stop();
}
