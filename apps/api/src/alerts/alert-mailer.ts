import { Inject, Injectable, Optional } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import { AppConfig } from '../config/app-config';

export type MailResult =
  { delivery: 'sent'; error: string | null } | { delivery: 'failed' | 'not_configured'; error: string | null };

/** An alert to e-mail: its id and firing time make its Message-ID. */
export interface AlertMail {
  id: string;
  firedAt: Date;
  subject: string;
  text: string;
}

export interface MailTimeouts {
  connectionMs: number;
  greetingMs: number;
  /** Inactivity on an open connection, waiting for the server's answer to the message included. */
  socketMs: number;
}

/** Overrides the timeouts (a spec of the timeout itself); production uses DEFAULT_TIMEOUTS. */
export const ALERT_MAIL_TIMEOUTS = Symbol('alert mail timeouts');

// Short timeouts: a dead mail server must not hold the job lock for nodemailer's default 2 minutes.
const DEFAULT_TIMEOUTS: MailTimeouts = { connectionMs: 10_000, greetingMs: 10_000, socketMs: 30_000 };

const quiet = () => undefined;
const QUIET = { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet, fatal: quiet };

/**
 * Sends alert e-mails over SMTP_URL to ALERT_EMAIL_TO (the sender is the recipient: a note to self),
 * exactly once as far as we can tell:
 *
 * - Every attempt of one alert carries the same Message-ID, so that a receiving server or mail client
 *   that got it before can tell it is the same message.
 * - A failure before the server had the whole message (no connection, refused sender or recipient)
 *   is `failed`, and retried on the next runs. Once the message is handed over, a missing or late
 *   answer (a server that queues first and answers after our timeout) is not a reason to send it
 *   again: it is recorded as sent, with the note that the server did not confirm it.
 */
@Injectable()
export class AlertMailer {
  private readonly timeouts: MailTimeouts;

  constructor(
    private readonly config: AppConfig,
    @Optional() @Inject(ALERT_MAIL_TIMEOUTS) timeouts?: MailTimeouts,
  ) {
    this.timeouts = timeouts ?? DEFAULT_TIMEOUTS;
  }

  get configured(): boolean {
    return !!this.config.smtpUrl && !!this.config.alertEmailTo;
  }

  /** `<alert-<id>-<fired ms>@<recipient's domain>>`: the same for every attempt, never for two alerts. */
  messageId(mail: Pick<AlertMail, 'id' | 'firedAt'>): string {
    const domain = this.config.alertEmailTo?.split('@')[1] ?? 'localhost';
    return `<alert-${mail.id}-${mail.firedAt.getTime()}@${domain}>`;
  }

  async send(mail: AlertMail): Promise<MailResult> {
    if (!this.configured) return { delivery: 'not_configured', error: 'SMTP_URL and ALERT_EMAIL_TO are not both set' };
    let handedOver = false;
    // One transport per message (alerts are few, and the transport opens a connection per message anyway),
    // so that its log tells this message's hand-over apart from any other's.
    const transport = createTransport({
      url: this.config.smtpUrl!,
      connectionTimeout: this.timeouts.connectionMs,
      greetingTimeout: this.timeouts.greetingMs,
      socketTimeout: this.timeouts.socketMs,
      logger: {
        ...QUIET,
        info: (entry: { tnx?: string; outByteCount?: number }) => {
          // nodemailer logs this once the whole message, its final dot included, is written to the server.
          if (entry.tnx === 'message' && entry.outByteCount !== undefined) handedOver = true;
        },
      },
    });
    try {
      await transport.sendMail({
        from: this.config.alertEmailTo!,
        to: this.config.alertEmailTo!,
        subject: mail.subject,
        text: mail.text,
        messageId: this.messageId(mail),
      });
      return { delivery: 'sent', error: null };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (handedOver)
        return {
          delivery: 'sent',
          error: `handed to the mail server, which did not confirm it (${reason}); not sent again, so that it cannot arrive twice`,
        };
      return { delivery: 'failed', error: reason };
    } finally {
      transport.close();
    }
  }
}
