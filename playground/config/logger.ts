import { configs } from '@strapi/logger';

/** Strapi's default console logger; STRAPI_LOG_LEVEL lowers the noise (the tests use "warn"). */
const defaults = configs.createDefaultConfiguration();

export default { ...defaults, level: process.env.STRAPI_LOG_LEVEL ?? defaults.level ?? 'http' };
