import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PRESENTATION, presentConfiguration, type CmConfiguration } from './content-manager-layout';

const COURSE = PRESENTATION['api::course.course']!;
const ATTRS = ['title', 'slug', 'summary', 'description', 'cover', 'level', 'access', 'price', 'currency', 'tags', 'category', 'instructor', 'chapters', 'plans'];
const strapiDefault = (): CmConfiguration => ({
  settings: { mainField: 'title' },
  metadatas: Object.fromEntries(ATTRS.map((f) => [f, { edit: { label: f, description: '' }, list: { label: f } }])),
  layouts: { list: ['id', 'title', 'slug', 'summary'], edit: [] },
});

test("Strapi's defaults are replaced: labels, hints, list columns", () => {
  const next = presentConfiguration(strapiDefault(), COURSE, ATTRS)!;
  assert.equal(next.metadatas!.price!.edit!.label, 'Price (minor units)');
  assert.match(String(next.metadatas!.price!.edit!.description), /7999 is 79\.99 USD/);
  assert.equal(next.metadatas!.access!.list!.label, 'Access');
  assert.deepEqual(next.layouts!.list, ['title', 'access', 'price', 'currency', 'instructor', 'category']);
});

test('applying twice changes nothing the second time (idempotent)', () => {
  const once = presentConfiguration(strapiDefault(), COURSE, ATTRS)!;
  assert.equal(presentConfiguration(once, COURSE, ATTRS), null);
});

test("an editor's own label, hint and list view stay", () => {
  const edited = strapiDefault();
  edited.metadatas!.price = { edit: { label: 'Preis', description: 'Cent' }, list: { label: 'Preis' } };
  edited.layouts!.list = ['title', 'price'];
  const next = presentConfiguration(edited, COURSE, ATTRS)!;
  assert.equal(next.metadatas!.price!.edit!.label, 'Preis');
  assert.equal(next.metadatas!.price!.edit!.description, 'Cent');
  assert.deepEqual(next.layouts!.list, ['title', 'price']);
});

test('fields the type does not have are left out', () => {
  const next = presentConfiguration(strapiDefault(), COURSE, ['title', 'price'])!;
  assert.deepEqual(next.layouts!.list, ['title', 'price']);
  assert.equal(next.metadatas!.instructor!.edit!.label, 'instructor');
});
