/** One e-mail with attachments over SMTP (nodemailer), to the server configured by SMTP_URL / SMTP_FROM. */
import nodemailer from 'nodemailer';
import type { MailSettings } from '../deps.ts';

export interface Attachment { filename: string; content: Buffer; contentType: string }
export interface Mail { to: readonly string[]; subject: string; text: string; attachments: readonly Attachment[] }

/** Sends `mail`; rejects with the server's reason (e.g. "451 try again later") when it is refused. */
export async function sendMail(settings: MailSettings, mail: Mail): Promise<void> {
  // One connection per message: a scheduled run sends a handful, and nothing stays open between ticks.
  const transport = nodemailer.createTransport({ url: settings.url, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 });
  try {
    await transport.sendMail({
      from: settings.from, to: [...mail.to], subject: mail.subject, text: mail.text,
      attachments: mail.attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
    });
  } finally {
    transport.close();
  }
}
