import { test } from 'node:test';
import assert from 'node:assert/strict';
import { methodLabel, requestId, routeLabel } from './labels';
import { metricsAccess } from './access';

test('route labels are templates, never raw paths', () => {
  const rows: Array<[string | undefined, number, string]> = [
    ['/api/courses/:id', 200, '/api/courses/:id'],
    ['/api/courses/:id', 404, '/api/courses/:id'],
    [undefined, 404, 'unmatched'],
    [undefined, 200, 'static'],
    [undefined, 304, 'static'],
  ];
  for (const [matched, status, want] of rows) assert.equal(routeLabel(matched, status), want, `${matched} ${status}`);
});

test('methods outside the usual set share one label', () => {
  assert.deepEqual(['get', 'POST', 'PROPFIND', 'CONNECT'].map(methodLabel), ['GET', 'POST', 'OTHER', 'OTHER']);
});

test('a request id from the caller is kept only when it is a sane token', () => {
  const gen = () => 'generated';
  const rows: Array<[string | string[] | undefined, string]> = [
    ['abc-123', 'abc-123'],
    [['first', 'second'], 'first'],
    [undefined, 'generated'],
    ['', 'generated'],
    ['has space', 'generated'],
    ['x'.repeat(65), 'generated'],
    ['<script>', 'generated'],
  ];
  for (const [incoming, want] of rows) assert.equal(requestId(incoming, gen), want, String(incoming));
});

test('metrics access: a token on the public port, open on the internal one', () => {
  const rows: Array<[Parameters<typeof metricsAccess>[0], boolean | number]> = [
    [{ token: '', authorization: undefined, internalPort: true }, true],
    [{ token: 's3cret', authorization: undefined, internalPort: true }, true],
    [{ token: '', authorization: 'Bearer anything', internalPort: false }, 403],
    [{ token: 's3cret', authorization: undefined, internalPort: false }, 401],
    [{ token: 's3cret', authorization: 'Bearer wrong', internalPort: false }, 401],
    [{ token: 's3cret', authorization: 'Bearer s3cre', internalPort: false }, 401],
    [{ token: 's3cret', authorization: 'Basic s3cret', internalPort: false }, 401],
    [{ token: 's3cret', authorization: 'Bearer s3cret', internalPort: false }, true],
    [{ token: 's3cret', authorization: 'bearer s3cret', internalPort: false }, true],
  ];
  for (const [input, want] of rows) {
    const got = metricsAccess(input);
    assert.equal(got.allow ? true : got.status, want, JSON.stringify(input));
  }
});
