import path from 'path';
import type { Core } from '@strapi/strapi';

const config = (_params: Core.Config.Shared.ConfigParams): Core.Config.Plugin => ({
  // The plugin under development, loaded from the repository root (its compiled dist/).
  processon: {
    enabled: true,
    resolve: path.join(__dirname, '..', '..', '..'),
  },
});

export default config;
