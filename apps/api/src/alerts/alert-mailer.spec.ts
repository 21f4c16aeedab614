import { SMTPServer } from 'smtp-server';
import { SmtpTestServer, startSmtpServer } from '../../test/smtp-test-server';
import { loadConfig } from '../config/app-config';
import { AlertMailer } from './alert-mailer';

const ALERT = { id: '7', firedAt: new Date('2026-11-26T08:00:00Z'), subject: 'MT Ink: $55.00 today', text: 'Hi' };
const MESSAGE_ID = `<alert-7-${ALERT.firedAt.getTime()}@mtink.test>`;

function mailer(url: string, socketMs = 30_000): AlertMailer {
  const config = loadConfig({ SMTP_URL: url, ALERT_EMAIL_TO: 'owner@mtink.test' });
  return new AlertMailer(config, { connectionMs: 10_000, greetingMs: 10_000, socketMs });
}

/** Against a real SMTP server on loopback (smtp-server), as the mail server of SMTP_URL. */
describe('AlertMailer', () => {
  let smtp: SmtpTestServer;

  beforeEach(async () => {
    smtp = await startSmtpServer();
  });
  afterEach(() => smtp.close());

  it('sends every attempt of one alert with the same Message-ID, and another alert with another', async () => {
    const sender = mailer(smtp.url);
    expect(await sender.send(ALERT)).toEqual({ delivery: 'sent', error: null });
    expect(await sender.send(ALERT)).toEqual({ delivery: 'sent', error: null });
    expect(await sender.send({ ...ALERT, id: '8' })).toEqual({ delivery: 'sent', error: null });
    expect(smtp.messages.map((m) => m.messageId)).toEqual([
      MESSAGE_ID,
      MESSAGE_ID,
      `<alert-8-${ALERT.firedAt.getTime()}@mtink.test>`,
    ]);
  });

  it('counts a message the server took but answered after the timeout as sent, saying it was not confirmed', async () => {
    smtp.answer = 'hold';
    // The server never answers: the timeout passes whatever the machine's speed.
    const result = await mailer(smtp.url, 300).send(ALERT);
    expect(result.delivery).toBe('sent');
    expect(result.error).toMatch(
      /^handed to the mail server, which did not confirm it \(.*\); not sent again, so that it cannot arrive twice$/,
    );
    expect(smtp.messages.map((m) => [m.messageId, m.subject])).toEqual([[MESSAGE_ID, ALERT.subject]]);
  });

  it('counts a connection closed after the message without an answer as sent, not confirmed', async () => {
    smtp.answer = 'hang-up';
    const result = await mailer(smtp.url).send(ALERT);
    expect(result).toEqual({
      delivery: 'sent',
      error: expect.stringContaining('handed to the mail server, which did not confirm it'),
    });
    expect(smtp.messages).toHaveLength(1);
  });

  it('reports a failure before the message was handed over as failed, to be retried', async () => {
    const refusing = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (_address, _session, callback) =>
        callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 450 })),
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', () => resolve()));
    const address = refusing.server.address();
    try {
      const result = await mailer(`smtp://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`).send(
        ALERT,
      );
      expect(result).toEqual({ delivery: 'failed', error: expect.stringContaining('mailbox unavailable') });
    } finally {
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
    }
  });
});
