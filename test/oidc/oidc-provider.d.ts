/**
 * The part of oidc-provider (v9, which ships no types; @types/oidc-provider is not installed) that
 * test/oidc/provider.ts uses.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse, RequestListener } from 'node:http';

  export interface KoaContext {
    path: string; status: number; type: string; body: unknown;
    req: IncomingMessage; res: ServerResponse;
    redirect(url: string): void;
  }
  export interface Interaction { uid: string; params: Record<string, unknown> }
  export interface Account { accountId: string; claims: () => Record<string, unknown> }
  export interface Configuration {
    clients?: Array<Record<string, unknown>>;
    pkce?: { required?: () => boolean };
    features?: Record<string, { enabled: boolean }>;
    interactions?: { url: (ctx: KoaContext, interaction: Interaction) => string };
    claims?: Record<string, string[]>;
    conformIdTokenClaims?: boolean;
    cookies?: { keys: string[] };
    ttl?: Record<string, number>;
    findAccount?: (ctx: KoaContext, sub: string) => Account | undefined | Promise<Account | undefined>;
  }
  export class Grant {
    constructor(init: { accountId: string; clientId: string });
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  }
  export default class Provider {
    constructor(issuer: string, config: Configuration);
    Grant: typeof Grant;
    use(mw: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): void;
    callback(): RequestListener;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionResult(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, opts?: { mergeWithLastSubmission?: boolean }): Promise<string>;
  }
}
