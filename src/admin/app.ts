import type { StrapiApp } from '@strapi/strapi/admin';

export default {
  config: {
    locales: ['zh-Hans'],
    translations: {
      en: { 'app.components.LeftMenu.navbrand.title': 'Knowledge Platform' },
      'zh-Hans': { 'app.components.LeftMenu.navbrand.title': '知识平台' },
    },
  },
  bootstrap(_app: StrapiApp) {},
};
