/**
 * Public information the sign-in page needs before anyone is signed in: whether illustrative demo data is
 * loaded and, only then, the demo accounts (whose shared password is printed by `pnpm start` anyway).
 */
import { z } from 'zod';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, isDemo } from '../db/seed.ts';
import { endpoint } from '../http/endpoint.ts';

const demoInfo = z.object({
  demo: z.boolean(),
  password: z.string().optional(),
  accounts: z.array(z.object({ email: z.string(), name: z.string(), role: z.string(), regions: z.array(z.string()) })),
});

export const publicEndpoints = [
  endpoint({
    method: 'get', path: '/demo-info', access: 'public', scope: 'none', tag: 'system',
    summary: 'Whether illustrative demo data is loaded; in demo mode also the demo accounts and their password (nothing otherwise).',
    response: demoInfo,
    handler: async ({ c, deps }) => {
      if (!(await isDemo(deps.db))) return c.json(demoInfo.parse({ demo: false, accounts: [] }));
      // Only the accounts that still exist and are enabled are offered.
      const rows = await deps.db.selectFrom('users').select(['email', 'disabled']).where('email', 'in', DEMO_ACCOUNTS.map((a) => a.email)).execute();
      const live = new Set(rows.filter((r) => !r.disabled).map((r) => r.email));
      return c.json(demoInfo.parse({
        demo: true,
        password: DEMO_PASSWORD,
        accounts: DEMO_ACCOUNTS.filter((a) => live.has(a.email)).map((a) => ({ email: a.email, name: a.name, role: a.role, regions: [...a.regions] })),
      }));
    },
  }),
];
