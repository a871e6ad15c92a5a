import { winston, formats } from '@strapi/logger';

export default {
  transports: [
    new winston.transports.Console({
      level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'error' : 'http'),
      format: winston.format.combine(
        formats.levelFilter(process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'error' : 'http')),
        formats.prettyPrint({ timestamps: 'YYYY-MM-DD hh:mm:ss.SSS' })
      ),
    }),
  ],
};
