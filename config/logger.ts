import { winston, formats } from '@strapi/logger';

const level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'error' : 'http');

/**
 * Human-readable lines by default; LOG_FORMAT=json writes one JSON object per line (timestamp,
 * level, message, and the fields a line carries: the request line of the operations plugin has
 * requestId, method, route, status, ms) for a log collector.
 */
const format =
  process.env.LOG_FORMAT === 'json'
    ? winston.format.combine(formats.levelFilter(level), winston.format.timestamp(), winston.format.json())
    : winston.format.combine(formats.levelFilter(level), formats.prettyPrint({ timestamps: 'YYYY-MM-DD hh:mm:ss.SSS' }));

export default {
  transports: [new winston.transports.Console({ level, format })],
};
