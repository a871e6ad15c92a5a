/**
 * The learner's session: the users-permissions JWT and a copy of `/api/users/me`.
 *
 * The JWT lives in localStorage (never in the page source or a URL) so that a reload keeps the
 * learner logged in; "log out" removes it. Any 401 from the API also removes it (see api.js).
 * Listeners are told of every change, so the header can redraw itself.
 */

const TOKEN_KEY = 'kp.jwt';
const USER_KEY = 'kp.user';

/** @type {Set<() => void>} */
const listeners = new Set();

/** @returns {Storage | null} */
function store() {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled (private mode in some browsers): the session lasts this page only
  }
}

/** @type {{ token: string | null, user: any }} */
const memory = { token: null, user: null };

/** @returns {string | null} */
export function getToken() {
  return store()?.getItem(TOKEN_KEY) ?? memory.token;
}

/** The logged-in user (`{ id, username, email }`) or null. */
export function getUser() {
  const raw = store()?.getItem(USER_KEY);
  if (raw) {
    try {
      return JSON.parse(raw);
    } catch {
      return null;
    }
  }
  return memory.user;
}

export function isLoggedIn() {
  return Boolean(getToken());
}

/**
 * Keeps what `POST /api/auth/local` or `/register` answered.
 * @param {string} jwt
 * @param {any} user
 */
export function saveSession(jwt, user) {
  const slim = user ? { id: user.id, documentId: user.documentId, username: user.username, email: user.email } : null;
  const s = store();
  if (s) {
    s.setItem(TOKEN_KEY, jwt);
    s.setItem(USER_KEY, JSON.stringify(slim));
  } else {
    memory.token = jwt;
    memory.user = slim;
  }
  notify();
}

export function clearSession() {
  const had = Boolean(getToken());
  store()?.removeItem(TOKEN_KEY);
  store()?.removeItem(USER_KEY);
  memory.token = null;
  memory.user = null;
  if (had) notify();
}

/** @param {() => void} fn @returns {() => void} unsubscribe */
export function onSessionChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function notify() {
  for (const fn of listeners) fn();
}
