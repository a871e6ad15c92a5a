import { closeInternalPort } from './bootstrap';

export default async () => {
  await closeInternalPort();
};
