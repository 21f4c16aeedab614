import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { AppConfig } from '../config/app-config';

export type MailResult =
  { delivery: 'sent'; error: null } | { delivery: 'failed' | 'not_configured'; error: string | null };

/** Sends alert e-mails over SMTP_URL to ALERT_EMAIL_TO (the sender is the recipient: a note to self). */
@Injectable()
export class AlertMailer implements OnApplicationShutdown {
  private transport: Transporter | null = null;

  constructor(private readonly config: AppConfig) {}

  get configured(): boolean {
    return !!this.config.smtpUrl && !!this.config.alertEmailTo;
  }

  async send(subject: string, text: string): Promise<MailResult> {
    if (!this.configured) return { delivery: 'not_configured', error: 'SMTP_URL and ALERT_EMAIL_TO are not both set' };
    try {
      await this.getTransport().sendMail({
        from: this.config.alertEmailTo!,
        to: this.config.alertEmailTo!,
        subject,
        text,
      });
      return { delivery: 'sent', error: null };
    } catch (error) {
      return { delivery: 'failed', error: error instanceof Error ? error.message : String(error) };
    }
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }

  private getTransport(): Transporter {
    // Short timeouts: a dead mail server must not hold the job lock for nodemailer's default 2 minutes.
    this.transport ??= createTransport({
      url: this.config.smtpUrl!,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    return this.transport;
  }
}
