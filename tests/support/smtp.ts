/**
 * A real SMTP server on loopback (`smtp-server`, the nodemailer project's server) that keeps every
 * message it accepts, parsed with `mailparser`. It can refuse connections (stopped) and come back
 * on the same port, or answer slowly.
 */
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
}

export interface LoopbackSmtp {
  port: number;
  received: ReceivedMail[];
  /** Environment for a boot that sends through this server. */
  env: Record<string, string>;
  /** Refuse connections (the port is closed) until `start()`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Milliseconds to wait before accepting each message's data. */
  delayMs: number;
  /** Mails to one address. */
  to(address: string): ReceivedMail[];
  /** Waits until `predicate` holds for the received mails (or fails after `timeoutMs`). */
  waitFor(predicate: (mails: ReceivedMail[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startLoopbackSmtp(port: number): Promise<LoopbackSmtp> {
  const received: ReceivedMail[] = [];
  let server: SMTPServer | null = null;
  const state = { delayMs: 0 };

  function create(): SMTPServer {
    return new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          void (async () => {
            if (state.delayMs > 0) await new Promise((r) => setTimeout(r, state.delayMs));
            const mail = await simpleParser(Buffer.concat(chunks));
            const addresses = (v: typeof mail.to) => (v ? (Array.isArray(v) ? v : [v]).flatMap((a) => a.value.map((x) => String(x.address).toLowerCase())) : []);
            received.push({ to: addresses(mail.to), from: mail.from?.text ?? '', subject: mail.subject ?? '', text: mail.text ?? '', html: typeof mail.html === 'string' ? mail.html : '' });
            callback();
          })().catch((err: Error) => callback(err));
        });
      },
    });
  }

  async function start(): Promise<void> {
    server = create();
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(port, '127.0.0.1', () => resolve());
    });
  }
  async function stop(): Promise<void> {
    const s = server;
    server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
  await start();

  return {
    port,
    received,
    env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_SECURE: 'false', EMAIL_FROM: 'Knowledge Platform <no-reply@kp.test>' },
    stop,
    start,
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(v: number) {
      state.delayMs = v;
    },
    to: (address) => received.filter((m) => m.to.includes(address.toLowerCase())),
    async waitFor(predicate, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > until) throw new Error(`timed out waiting for mail; received: ${JSON.stringify(received.map((m) => [m.to, m.subject]))}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: stop,
  };
}
