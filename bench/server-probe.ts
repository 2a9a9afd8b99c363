/**
 * Preloaded into the mail server process the benchmark starts (`--import ./bench/server-probe.ts`):
 * answers the benchmark's IPC requests for `process.memoryUsage()`, after a full garbage collection
 * when the process runs with `--expose-gc`. It does nothing else and touches no product code.
 */
interface MemoryRequest {
  type: 'bench:memory';
  id: number;
  gc?: boolean;
}

const collect = (globalThis as { gc?: () => void }).gc;

if (process.send) {
  process.on('message', (message: unknown) => {
    const request = message as Partial<MemoryRequest> | null;
    if (request?.type !== 'bench:memory') return;
    if (request.gc && collect) {
      collect();
      collect();
    }
    process.send?.({
      type: 'bench:memory',
      id: request.id,
      gcRan: !!(request.gc && collect),
      ...process.memoryUsage(),
    });
  });
  process.channel?.unref();
}
