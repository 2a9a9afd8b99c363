/**
 * The faults the soak injects, one at a time on a schedule: Redis killed and restarted, a mail
 * server instance killed with SIGKILL and restarted, an instance's store connection cut, a user's
 * quota filled. Each one ends with the platform whole again.
 */
import type { Cluster } from './cluster.js';
import type { AdminApi } from './admin-api.js';
import type { SoakUser } from './imap-worker.js';
import { sleep } from './imap-worker.js';

export interface Fault {
  name: string;
  /** Injects the fault and undoes it; resolves when the platform is whole again. */
  run(): Promise<void>;
}

export function faultSchedule(cluster: Cluster, admin: AdminApi, users: readonly SoakUser[]): Fault[] {
  const [a, b] = cluster.instances as [Cluster['instances'][0], Cluster['instances'][0]];
  return [
    {
      name: 'kill -9 Redis, restart after 5 s',
      async run() {
        await cluster.killRedis();
        await sleep(5000);
        await cluster.startRedis();
      },
    },
    {
      name: `kill -9 ${b.name}, restart after 3 s`,
      async run() {
        await b.child.kill();
        await sleep(3000);
        await cluster.startInstance(b);
      },
    },
    {
      name: `cut ${a.name}'s store connection for 6 s`,
      async run() {
        await a.link.cut(6000);
      },
    },
    {
      name: `fill ${users[0]!.address}'s quota for 8 s`,
      async run() {
        const user = users[0]!;
        const used = await admin.storageUsed(user.address);
        await admin.setQuota(user.address, Math.max(1, used));
        await sleep(8000);
        await admin.setQuota(user.address, null);
      },
    },
  ];
}
