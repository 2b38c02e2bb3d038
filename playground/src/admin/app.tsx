export default {
  config: {
    // English is always there; Chinese (Simplified) so editors can switch the admin UI.
    locales: ['zh-Hans'],
  },
  bootstrap() {},
};
