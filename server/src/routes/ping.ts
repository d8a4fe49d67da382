/** A bare route that touches nothing: the framework's floor in `pnpm bench` (health reads the database). */
import { endpoint } from '../http/endpoint.ts';

export const pingEndpoints = [
  endpoint({
    method: 'get', path: '/ping', access: 'public', scope: 'none', tag: 'system', summary: 'Answers "pong" without touching the database (load balancer liveness, benchmark floor).',
    produces: ['text/plain'],
    handler: ({ c }) => c.text('pong'),
  }),
];
