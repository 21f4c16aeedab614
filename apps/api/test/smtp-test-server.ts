import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  /** The Message-ID header as sent, with its angle brackets. */
  messageId: string;
  /** The text body, transfer encoding undone, line ends as `\n`. */
  text: string;
}

/**
 * What the server does once it has a whole message: `accept` answers 250; `hold` keeps it and never
 * answers (a server that queues the mail and answers after the client's timeout); `hang-up` keeps it
 * and closes the connection without an answer.
 */
export type SmtpAnswer = 'accept' | 'hold' | 'hang-up';

export interface SmtpTestServer {
  /** `smtp://127.0.0.1:<port>` for SMTP_URL. */
  url: string;
  messages: ReceivedMail[];
  /** Changes what the server does with the next messages (see SmtpAnswer). */
  answer: SmtpAnswer;
  close(): Promise<void>;
}

/**
 * A real SMTP server on loopback that keeps what it receives, for asserting the e-mails the app sends.
 * Plain SMTP without STARTTLS or AUTH: the test is about the message, not the transport security.
 */
export async function startSmtpServer(answer: SmtpAnswer = 'accept'): Promise<SmtpTestServer> {
  const messages: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // A held connection would otherwise keep close() waiting 30 s.
    closeTimeout: 100,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const parsed = parseMessage(Buffer.concat(chunks).toString('utf8'));
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          ...parsed,
        });
        if (control.answer === 'accept') callback();
        else if (control.answer === 'hang-up')
          for (const connection of server.connections) if (connection.id === session.id) connection.close();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const control: SmtpTestServer = {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    answer,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return control;
}

/** Just enough MIME for single-part text messages as nodemailer writes them. */
function parseMessage(raw: string): { subject: string; messageId: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const headerText = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of headerText.split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const encoding = headers.get('content-transfer-encoding')?.toLowerCase();
  let text = body;
  if (encoding === 'quoted-printable') {
    const bytes = body
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    text = Buffer.from(bytes, 'latin1').toString('utf8');
  } else if (encoding === 'base64') {
    text = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  return {
    subject: decodeWords(headers.get('subject') ?? ''),
    messageId: headers.get('message-id') ?? '',
    text: text.replace(/\r\n/g, '\n').replace(/\n$/, ''),
  };
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`), which nodemailer uses for non-ASCII subjects. */
function decodeWords(value: string): string {
  return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_, kind: string, data: string) =>
    kind.toLowerCase() === 'b'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(
          data
            .replace(/_/g, ' ')
            .replace(/=([0-9A-F]{2})/gi, (__, hex: string) => String.fromCharCode(parseInt(hex, 16))),
          'latin1',
        ).toString('utf8'),
  );
}
