/**
 * Support requests (with `plugin::notifications.accounts.manage`): a user's data as a JSON
 * download, or the erasure of the account after a confirmation. The same service as the
 * learner's own `GET /api/me/export` and `DELETE /api/me`.
 */
import * as React from 'react';
import { Box, Button, Dialog, Field, Flex, TextInput, Typography } from '@strapi/design-system';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { t } from '../pluginId';
import { errorMessage } from '@kp/platform/admin';


export const AccountRequests = () => {
  const { formatMessage } = useIntl();
  const { get, del } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [userId, setUserId] = React.useState('');
  const [confirming, setConfirming] = React.useState(false);
  const [busy, setBusy] = React.useState(false);
  const msg = (key: string, defaultMessage: string, values?: Record<string, string | number>) => formatMessage({ id: t(key), defaultMessage }, values);
  const valid = /^[1-9][0-9]{0,9}$/.test(userId);

  const download = async () => {
    setBusy(true);
    try {
      const { data } = await get<unknown>(`/notifications/accounts/${userId}/export`);
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `user-${userId}-data.json`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (err) {
      toggleNotification({ type: 'danger', message: errorMessage(err, msg('notify.error', 'The request failed.')) });
    } finally {
      setBusy(false);
    }
  };

  const erase = async () => {
    setBusy(true);
    try {
      await del(`/notifications/accounts/${userId}`);
      toggleNotification({ type: 'success', message: msg('accounts.erased', 'Account {id} erased.', { id: userId }) });
      setUserId('');
    } catch (err) {
      toggleNotification({ type: 'danger', message: errorMessage(err, msg('notify.error', 'The request failed.')) });
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <Box paddingTop={6}>
      <Typography variant="delta" tag="h2">{msg('accounts.title', 'Support requests: a user’s data')}</Typography>
      <Flex gap={2} alignItems="flex-end" paddingTop={2}>
        <Field.Root name="userId">
          <Field.Label>{msg('accounts.userId', 'User id')}</Field.Label>
          <TextInput value={userId} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setUserId(e.target.value.trim())} />
        </Field.Root>
        <Button variant="secondary" disabled={!valid || busy} onClick={() => void download()}>{msg('accounts.export', 'Export (JSON)')}</Button>
        <Button variant="danger-light" disabled={!valid || busy} onClick={() => setConfirming(true)}>{msg('accounts.erase', 'Erase account')}</Button>
      </Flex>
      <Dialog.Root open={confirming} onOpenChange={(open: boolean) => (!open ? setConfirming(false) : undefined)}>
        <Dialog.Content>
          <Dialog.Header>{msg('accounts.confirmTitle', 'Erase account {id}?', { id: userId })}</Dialog.Header>
          <Dialog.Body>
            <Typography>{msg('accounts.confirmBody', 'Progress, access, messages and the profile are deleted; orders stay anonymised; certificates are revoked. This cannot be undone.')}</Typography>
          </Dialog.Body>
          <Dialog.Footer>
            <Dialog.Cancel>
              <Button variant="tertiary">{msg('actions.cancel', 'Cancel')}</Button>
            </Dialog.Cancel>
            <Dialog.Action>
              <Button variant="danger" loading={busy} onClick={() => void erase()}>{msg('accounts.erase', 'Erase account')}</Button>
            </Dialog.Action>
          </Dialog.Footer>
        </Dialog.Content>
      </Dialog.Root>
    </Box>
  );
};
