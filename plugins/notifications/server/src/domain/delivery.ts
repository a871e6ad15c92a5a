/** How e-mail leaves the platform, decided from the environment once at boot. */

export type DeliveryMode =
  /** Through the email plugin's nodemailer provider to the SMTP server in SMTP_HOST. */
  | { kind: 'smtp'; host: string; port: number; secure: boolean }
  /** No SMTP server: every message is stored as `captured` and readable in the admin Outbox, none is delivered. */
  | { kind: 'capture'; reason: string };

export type DeliveryDecision = { ok: true; mode: DeliveryMode } | { ok: false; error: string };

/** The variables an SMTP set-up reads, named in every refusal. */
export const SMTP_VARIABLES = ['SMTP_HOST', 'SMTP_PORT', 'SMTP_SECURE', 'SMTP_USER', 'SMTP_PASSWORD', 'EMAIL_FROM', 'EMAIL_REPLY_TO'] as const;

export interface DeliverySettings {
  smtpHost: string;
  smtpPort: number;
  smtpSecure: boolean;
  /** EMAIL_REQUIRED: refuse to boot without an SMTP server. */
  required: boolean;
}

/**
 * SMTP when SMTP_HOST is set; otherwise capture (development, the demo, and production that has
 * not been given a server yet), unless e-mail is required: then the boot stops and says what to set.
 */
export function decideDelivery(s: DeliverySettings): DeliveryDecision {
  if (s.smtpHost.trim() !== '') {
    if (!Number.isInteger(s.smtpPort) || s.smtpPort < 1 || s.smtpPort > 65535) {
      return { ok: false, error: `SMTP_PORT must be a port number (1–65535), got ${String(s.smtpPort)}` };
    }
    return { ok: true, mode: { kind: 'smtp', host: s.smtpHost.trim(), port: s.smtpPort, secure: s.smtpSecure } };
  }
  if (s.required) {
    return {
      ok: false,
      error: `EMAIL_REQUIRED=true but SMTP_HOST is not set: set ${SMTP_VARIABLES.join(', ')} (or unset EMAIL_REQUIRED to capture messages in the admin Outbox without delivering them)`,
    };
  }
  return { ok: true, mode: { kind: 'capture', reason: 'SMTP_HOST is not set: messages are captured in the Outbox and not delivered' } };
}
