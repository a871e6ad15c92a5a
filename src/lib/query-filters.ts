/**
 * The shape of `filters` (at the root, inside `$and`/`$or`/`$not`, through relations, and inside
 * `populate[x][filters]`), against the schema. The grammar is what @strapi/database 5.54's
 * where.js accepts without throwing a plain Error (a 500) or silently dropping a condition:
 * - `$and`/`$or` take lists of condition objects, `$not` takes a condition object;
 * - an attribute takes a value, a list of values ("any of"), or an object of its operators;
 *   each operator's operand is a value of the attribute's type (`$between`: exactly two,
 *   `$in`/`$notIn`: a list, `$null`/`$notNull`: true or false, `$not`: a condition);
 * - a relation takes an id, a list of ids, exactly one id operator, or conditions on the
 *   target's attributes — never both (the engine throws on a mix).
 */
import {
  ATTRIBUTE_OPERATORS,
  BOOLEAN_STRINGS,
  DATE_TYPES,
  FILTERABLE_SCALARS,
  GROUP_OPERATORS,
  INTEGER_TYPES,
  INTERNAL_OPERATORS,
  LIST_OPERATORS,
  NULL_OPERATORS,
  NUMBER_TYPES,
  RELATION_ID_OPERATORS,
  Refusal,
  TEXT_OPERATORS,
  TEXT_TYPES,
  TIME,
  TRAVERSABLE,
  at,
  attributeOf,
  isRecord,
  isScalar,
  modelName,
  relationTarget,
  show,
  type AttributeView,
  type GetModel,
  type ModelView,
} from './query-shape-kit';

/** One operand of an attribute operator, checked against the attribute's type. */
function checkOperand(attrName: string, attr: AttributeView, value: unknown, path: string): void {
  if (!isScalar(value)) {
    throw new Refusal('filters', path, `${path} takes a value, not ${Array.isArray(value) ? 'a list' : 'an object'}.`);
  }
  if (value === null) return;
  const text = String(value).trim();
  if (NUMBER_TYPES.has(attr.type)) {
    const n = Number(text);
    const integer = INTEGER_TYPES.has(attr.type);
    if (text === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
      throw new Refusal('filters', path, `${path}: ${attrName} is ${integer ? 'an integer' : 'a number'}; ${show(value)} is not.`);
    }
  } else if (attr.type === 'boolean') {
    if (typeof value !== 'boolean' && !BOOLEAN_STRINGS.has(text)) throw new Refusal('filters', path, `${path}: ${attrName} is true or false; ${show(value)} is neither.`);
  } else if (DATE_TYPES.has(attr.type)) {
    if (!/^\d+$/.test(text) && Number.isNaN(Date.parse(text))) throw new Refusal('filters', path, `${path}: ${attrName} is a date; ${show(value)} is not an ISO date or a timestamp.`);
  } else if (attr.type === 'time') {
    if (!TIME.test(text)) throw new Refusal('filters', path, `${path}: ${attrName} is a time (HH:mm:ss); ${show(value)} is not.`);
  }
}

/** A value or a list of values (a list means "any of"). */
function checkOperands(attrName: string, attr: AttributeView, value: unknown, path: string): void {
  if (Array.isArray(value)) {
    if (value.length === 0) throw new Refusal('filters', path, `${path} takes at least one value.`);
    value.forEach((v, i) => checkOperand(attrName, attr, v, at(path, i)));
    return;
  }
  if (isRecord(value)) {
    throw new Refusal('filters', path, `${path} takes a value or a list of values, not an object (${Object.keys(value).map((k) => `[${k}]`).join('') || '{}'}).`);
  }
  checkOperand(attrName, attr, value, path);
}

function checkBooleanOperand(value: unknown, path: string): void {
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'string' && BOOLEAN_STRINGS.has(value.trim())) return;
  throw new Refusal('filters', path, `${path} takes true or false.`);
}

function unknownOperator(op: string, path: string, allowed: string[]): Refusal {
  if (INTERNAL_OPERATORS.includes(op)) return new Refusal('filters', path, `${path}: ${op} is not available through the API.`);
  if (GROUP_OPERATORS.includes(op)) {
    return new Refusal('filters', path, `${path}: ${op} combines whole conditions (filters[${op}][0][attribute][$eq]=…), not the operators of one attribute; there use ${allowed.slice(0, 4).join(', ')}… or $not.`);
  }
  return new Refusal('filters', path, `${path}: unknown operator ${op}; use one of ${allowed.join(', ')}.`);
}

/** Conditions on one scalar attribute: a value, a list of values, or an object of operators. */
function checkAttributeCondition(attrName: string, attr: AttributeView, value: unknown, path: string): void {
  if (!isRecord(value)) {
    checkOperands(attrName, attr, value, path);
    return;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) throw new Refusal('filters', path, `${path} holds no condition.`);
  for (const op of keys) {
    const operand = value[op];
    const here = at(path, op);
    if (!op.startsWith('$') || !ATTRIBUTE_OPERATORS.includes(op)) {
      if (!op.startsWith('$')) {
        throw new Refusal('filters', here, `${path}: ${attrName} has no attributes of its own; compare it with an operator such as ${path}[$eq]=….`);
      }
      throw unknownOperator(op, here, ATTRIBUTE_OPERATORS);
    }
    if (op === '$not') {
      checkAttributeCondition(attrName, attr, operand, here);
    } else if (NULL_OPERATORS.includes(op)) {
      checkBooleanOperand(operand, here);
    } else if (op === '$between') {
      if (!Array.isArray(operand) || operand.length !== 2) {
        throw new Refusal('filters', here, `${here} takes exactly two values: ${here}[0]=…&${here}[1]=….`);
      }
      operand.forEach((v, i) => checkOperand(attrName, attr, v, at(here, i)));
    } else if (LIST_OPERATORS.includes(op)) {
      if (isRecord(operand)) {
        throw new Refusal('filters', here, `${here} takes a list of values (${here}[0]=…&${here}[1]=…; at most 100 entries), not an object.`);
      }
      checkOperands(attrName, attr, operand, here);
    } else {
      if (TEXT_OPERATORS.includes(op) && !TEXT_TYPES.has(attr.type) && !op.endsWith('i')) {
        throw new Refusal('filters', here, `${here}: ${op} matches text; ${attrName} is a ${attr.type}. Use $eq, $in, $gt… (or the case-insensitive ${op}i).`);
      }
      checkOperands(attrName, attr, operand, here);
    }
  }
}

/** A relation condition: an id, a list of ids, one id operator, or conditions on the target. */
function checkRelationCondition(attrName: string, target: ModelView, value: unknown, path: string, getModel: GetModel): void {
  const idAttr: AttributeView = { type: 'increments' };
  if (!isRecord(value)) {
    checkOperands(`${attrName} (an id)`, idAttr, value, path);
    return;
  }
  const keys = Object.keys(value);
  const operators = keys.filter((k) => k.startsWith('$'));
  if (operators.length > 0 && operators.length !== keys.length) {
    throw new Refusal('filters', path, `${path}: either one id operator (${path}[$in][0]=3) or conditions on ${attrName}'s attributes (${path}[attribute][$eq]=…), not both.`);
  }
  if (operators.length > 1) {
    throw new Refusal('filters', path, `${path} takes one operator at a time (found ${operators.join(', ')}); combine them with filters[$and].`);
  }
  if (operators.length === 1) {
    const op = operators[0]!;
    if (GROUP_OPERATORS.includes(op)) {
      checkFilterObject(target, value, path, getModel);
      return;
    }
    if (!RELATION_ID_OPERATORS.includes(op)) throw unknownOperator(op, at(path, op), RELATION_ID_OPERATORS);
    const operand = value[op];
    const here = at(path, op);
    if (op === '$not') {
      // The query engine negates ids only: conditions on attributes are negated at the root.
      if (isRecord(operand)) {
        throw new Refusal('filters', here, `${here} negates ids only; to negate conditions on ${attrName}'s attributes use filters[$not][${attrName}][attribute][$eq]=….`);
      }
      checkOperands(`${attrName} (an id)`, idAttr, operand, here);
      return;
    }
    checkAttributeCondition(`${attrName} (an id)`, idAttr, { [op]: operand }, path);
    return;
  }
  checkFilterObject(target, value, path, getModel);
}

function checkFilterObject(model: ModelView, filters: Record<string, unknown>, path: string, getModel: GetModel): void {
  for (const [key, value] of Object.entries(filters)) {
    const here = at(path, key);
    if (GROUP_OPERATORS.includes(key)) {
      if (!Array.isArray(value)) {
        throw new Refusal('filters', here, `${here} takes a list of conditions: ${here}[0][attribute][$eq]=…&${here}[1][…]… (at most 100 entries).`);
      }
      value.forEach((v, i) => checkFilterNode(model, v, at(here, i), getModel));
      continue;
    }
    if (key === '$not') {
      if (!isRecord(value)) throw new Refusal('filters', here, `${here} takes conditions: ${here}[attribute][$eq]=….`);
      checkFilterObject(model, value, here, getModel);
      continue;
    }
    if (key.startsWith('$')) {
      if (ATTRIBUTE_OPERATORS.includes(key)) {
        throw new Refusal('filters', here, `${here}: ${key} applies to an attribute (${path}[attribute][${key}]=…); only $and, $or and $not combine conditions here.`);
      }
      throw unknownOperator(key, here, ['$and', '$or', '$not']);
    }
    const attr = attributeOf(model, key);
    if (!attr) throw new Refusal('filters', here, `${here}: ${modelName(model)} has no attribute ${key}.`);
    if (TRAVERSABLE.has(attr.type)) {
      const target = relationTarget(attr);
      const targetModel = target ? getModel(target) : undefined;
      if (!targetModel) throw new Refusal('filters', here, `${here}: ${key} cannot be filtered on.`);
      checkRelationCondition(key, targetModel, value, here, getModel);
      continue;
    }
    if (!FILTERABLE_SCALARS.has(attr.type)) throw new Refusal('filters', here, `${here}: ${key} (${attr.type}) cannot be filtered on.`);
    checkAttributeCondition(key, attr, value, here);
  }
}

/** A filter object, or a list of them (a list means "all of"). */
export function checkFilterNode(model: ModelView, node: unknown, path: string, getModel: GetModel): void {
  if (Array.isArray(node)) {
    node.forEach((n, i) => checkFilterNode(model, n, at(path, i), getModel));
    return;
  }
  if (!isRecord(node)) {
    throw new Refusal('filters', path, `${path} must hold conditions such as ${path}[attribute][$eq]=…, not ${show(node)}.`);
  }
  checkFilterObject(model, node, path, getModel);
}
