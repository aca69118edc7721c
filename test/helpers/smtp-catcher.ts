import { createServer, type Server, type Socket } from 'node:net';

/** One message as the SMTP server received it. */
export interface CaughtMail {
  from: string;
  to: string[];
  /** The raw message: headers, a blank line, the body (quoted-printable as nodemailer wrote it). */
  raw: string;
  /** The body with quoted-printable soft breaks and escapes undone: what a reader sees. */
  text: string;
}

/**
 * A minimal SMTP server on the loopback address that keeps every message it is given: the
 * app sends real mail through nodemailer to `url`, and a test reads what arrived.
 */
export interface SmtpCatcher {
  url: string;
  mails: CaughtMail[];
  /** Waits for a message to `to` (the first not yet taken), up to `ms`. */
  next(to: string, ms?: number): Promise<CaughtMail>;
  close(): Promise<void>;
}

export async function startSmtpCatcher(): Promise<SmtpCatcher> {
  const mails: CaughtMail[] = [];
  const taken = new Set<CaughtMail>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffer = '';
    let data: string[] | null = null;
    let from = '';
    let to: string[] = [];
    const say = (line: string) => socket.write(`${line}\r\n`);
    say('220 catcher ESMTP');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data) {
          if (line === '.') {
            const raw = data.join('\r\n');
            mails.push({
              from,
              to,
              raw,
              text: decodeQp(raw.split('\r\n\r\n').slice(1).join('\n')),
            });
            data = null;
            say('250 OK queued');
          } else data.push(line.startsWith('..') ? line.slice(1) : line);
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') say('250 catcher');
        else if (verb === 'MAIL') {
          from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          to = [];
          say('250 OK');
        } else if (verb === 'RCPT') {
          to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          say('250 OK');
        } else if (verb === 'DATA') {
          data = [];
          say('354 End data with <CR><LF>.<CR><LF>');
        } else if (verb === 'QUIT') {
          say('221 Bye');
          socket.end();
        } else say('250 OK');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    async next(recipient, ms = 10_000) {
      const until = Date.now() + ms;
      for (;;) {
        const mail = mails.find((m) => !taken.has(m) && m.to.includes(recipient));
        if (mail) {
          taken.add(mail);
          return mail;
        }
        if (Date.now() > until) throw new Error(`No mail to ${recipient} within ${ms} ms`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function decodeQp(body: string): string {
  return Buffer.from(
    body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');
}

/** The reset link's token in a caught mail. */
export const resetTokenOf = (mail: CaughtMail): string => {
  const token = /\/sandi-baru\?token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  if (!token) throw new Error(`No reset link in:\n${mail.text}`);
  return token;
};
