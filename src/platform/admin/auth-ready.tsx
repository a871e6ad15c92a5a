/**
 * The React part of what the plugins' admin pages share, imported as `@kp/platform/admin/auth-ready`
 * (kept out of `index.ts`, which the server's compiler also reads and which has no JSX).
 */
import * as React from 'react';
import { Page, useAuth } from '@strapi/strapi/admin';

/**
 * Renders its children once the admin panel has loaded the signed-in user and their permissions.
 *
 * Strapi's `useRBAC` checks the permissions it is given once, when its page mounts, against the
 * permissions the panel holds at that moment; it does not check again when the user's permissions
 * arrive. A page opened by its URL (a reload, a link, a bookmark) can mount before they arrive and
 * would then say "not allowed" until it is left. Every plugin page that calls `useRBAC` is wrapped in this.
 */
export function AuthReady({ children }: { children: React.ReactNode }) {
  const loading = useAuth('AuthReady', (state) => state.isLoading);
  return loading ? <Page.Loading /> : <>{children}</>;
}

/** `Page` wrapped in {@link AuthReady}: the default export of a plugin page. */
export function whenAuthReady<P extends object>(Page: React.ComponentType<P>): React.ComponentType<P> {
  const Ready = (props: P) => (
    <AuthReady>
      <Page {...props} />
    </AuthReady>
  );
  Ready.displayName = `AuthReady(${Page.displayName ?? Page.name ?? 'Page'})`;
  return Ready;
}
