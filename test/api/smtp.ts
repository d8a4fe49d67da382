/**
 * A real SMTP server on 127.0.0.1 (smtp-server) for the scheduled-snapshot tests: every message it accepts is
 * parsed with mailparser, attachments included. `refuse(n)` makes it answer the next n messages with a temporary
 * failure (451) after reading them, as a busy mail server would.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface TestSmtp {
  url: string;
  /** Messages accepted so far, in arrival order. */
  received: ParsedMail[];
  /** How many messages were refused so far. */
  refused(): number;
  /** Refuse the next `n` messages with 451. */
  refuse(n: number): void;
  /** Resolves once `n` messages in all have been accepted (rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

export async function startSmtp(): Promise<TestSmtp> {
  const received: ParsedMail[] = [];
  let toRefuse = 0;
  let refusedCount = 0;
  const server = new SMTPServer({
    // Plain SMTP on loopback: no STARTTLS (its self-signed certificate would be refused) and no sign-in.
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        if (toRefuse > 0) {
          toRefuse--;
          refusedCount++;
          callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
          return;
        }
        received.push(mail);
        callback();
      }, (e: unknown) => callback(e instanceof Error ? e : new Error(String(e))));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refused: () => refusedCount,
    refuse: (n) => { toRefuse = n; },
    waitFor: async (n, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} messages, got ${received.length}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
