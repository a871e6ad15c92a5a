/**
 * users-permissions' account e-mails, configured rather than rewritten:
 * - its e-mail templates (Settings → Users & Permissions → Email templates) are set at boot to a
 *   marker (`kp:account.password-reset <code>`); Strapi's email service, wrapped here, turns the
 *   marker into this plugin's own message in the recipient's language, with a link into the
 *   storefront (`#/reset-password?code=…`) or to the confirmation route;
 * - every other e-mail handed to Strapi's email service (the admin panel's own, another plugin's)
 *   becomes a `raw` outbox row, so nothing is sent inside a request and nothing is lost;
 * - its advanced settings get the confirmation switch (EMAIL_CONFIRMATION) and the storefront
 *   addresses.
 */
import type { Core } from '@strapi/strapi';
import { accountMarker } from '../domain/triggers';
import { getService, pluginConfig, publicBaseUrl } from '../utils';

interface SendOptions {
  to: string | string[];
  subject?: string;
  text?: string;
  html?: string;
}

interface EmailService {
  send(options: SendOptions): Promise<unknown>;
  [key: string]: unknown;
}

interface EmailTemplate {
  display?: string;
  icon?: string;
  options: { from?: { name?: string; email?: string }; response_email?: string; object: string; message: string };
}

export const RESET_MARKER = 'kp:account.password-reset <%= TOKEN %>';
export const CONFIRM_MARKER = 'kp:account.confirm <%= CODE %>';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Routes every e-mail of Strapi's email service through the outbox. */
  wrapEmailService(): void {
    const registry = strapi.get('services') as { extend(uid: string, fn: (service: EmailService) => EmailService): void };
    registry.extend('plugin::email.email', (service) => ({
      ...service,
      async send(options: SendOptions) {
        const messages = getService(strapi, 'messages');
        const recipients = Array.isArray(options.to) ? options.to : [options.to];
        for (const to of recipients.map(String)) {
          const marker = accountMarker(options.text);
          if (marker) {
            const user = await getService(strapi, 'recipients').userByEmail(to);
            const base = publicBaseUrl(strapi);
            const link =
              marker.template === 'account.password-reset'
                ? `${base}/#/reset-password?code=${marker.code}`
                : `${base}/api/auth/email-confirmation?confirmation=${marker.code}`;
            await messages.store({ recipient: to, userId: user?.userId ?? null, template: marker.template, locale: user?.locale ?? 'en', payload: { link } });
          } else {
            await messages.store({
              recipient: to,
              userId: null,
              template: 'raw',
              locale: 'en',
              payload: { subject: options.subject ?? '', text: options.text ?? options.html ?? '', html: options.html ?? options.text ?? '' },
            });
          }
        }
      },
    }));
  },

  /** Points users-permissions' templates and advanced settings at this plugin and the storefront. */
  async configureUsersPermissions(): Promise<void> {
    const store = strapi.store({ type: 'plugin', name: 'users-permissions' });
    const email = (await store.get({ key: 'email' })) as Record<string, EmailTemplate> | null;
    if (email?.reset_password && email.email_confirmation) {
      email.reset_password.options.message = RESET_MARKER;
      email.reset_password.options.object = 'Reset password';
      email.email_confirmation.options.message = CONFIRM_MARKER;
      email.email_confirmation.options.object = 'Account confirmation';
      await store.set({ key: 'email', value: email });
    } else {
      strapi.log.warn('[notifications] users-permissions has no e-mail templates yet: account e-mails are sent as it renders them');
    }
    const advanced = ((await store.get({ key: 'advanced' })) ?? {}) as Record<string, unknown>;
    const base = publicBaseUrl(strapi);
    await store.set({
      key: 'advanced',
      value: {
        ...advanced,
        email_confirmation: pluginConfig(strapi, 'emailConfirmation'),
        email_confirmation_redirection: `${base}/#/login?confirmed=1`,
        email_reset_password: `${base}/#/reset-password`,
      },
    });
  },
});
