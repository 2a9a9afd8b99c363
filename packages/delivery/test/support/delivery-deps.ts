import { applySchema } from '@wildduck/schema';
import { openTestDatabase, type TestDatabase } from '@wildduck/embedded-store';
import { storeContext, type AppendSettings, type StoreContext } from '@wildduck/store';
import { MemoryChangeBus } from '@wildduck/change-bus';
import type { DeliveryDeps, DeliveryTarget } from '../../src/deliver.js';

/** Real parts for deliverCopies: a fresh database with the schema, a store context and a change bus. */
export interface DeliveryTestDeps {
  deps: DeliveryDeps;
  store: TestDatabase;
  ctx: StoreContext;
  bus: MemoryChangeBus;
  /** What `onStoreError` was told: unexpected store failures, by target label. */
  storeErrors: { label: string; error: unknown }[];
  close(): Promise<void>;
}

/**
 * The one place the tests build what deliverCopies and withdrawCopies take (DeliveryDeps), so a
 * change of its shape is adapted here only.
 */
export async function deliveryDeps(
  label: string,
  settings: Partial<AppendSettings> = {},
): Promise<DeliveryTestDeps> {
  const store = await openTestDatabase(label);
  await applySchema(store.db);
  const ctx = storeContext(store.db, undefined, settings);
  const bus = new MemoryChangeBus();
  const storeErrors: DeliveryTestDeps['storeErrors'] = [];
  const onStoreError = (error: unknown, target: DeliveryTarget) =>
    storeErrors.push({ label: target.label, error });
  return {
    deps: { ctx, bus, onStoreError },
    store,
    ctx,
    bus,
    storeErrors,
    async close() {
      await bus.close();
      await store.drop();
    },
  };
}
