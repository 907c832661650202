import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import enErrors from '../../locales/en/errors.json';
import enRules from '../../locales/en/rules.json';
import enWeb from '../../locales/en/web.json';
import idErrors from '../../locales/id/errors.json';
import idRules from '../../locales/id/rules.json';
import idWeb from '../../locales/id/web.json';

export const languages = ['id', 'en'] as const;
export type Language = (typeof languages)[number];

const storageKey = 'pulih.lang';

function storedLanguage(): Language {
  try {
    const stored = window.localStorage.getItem(storageKey);
    if (stored === 'en' || stored === 'id') return stored;
  } catch {
    // private mode or storage disabled: Indonesian
  }
  return 'id';
}

export const i18n = i18next.createInstance();

// Resources are bundled, so initialisation is synchronous and the first render is translated.
void i18n.use(initReactI18next).init({
  initAsync: false,
  resources: {
    id: { web: idWeb, errors: idErrors, rules: idRules },
    en: { web: enWeb, errors: enErrors, rules: enRules },
  },
  lng: storedLanguage(),
  fallbackLng: 'id',
  ns: ['web', 'errors', 'rules'],
  defaultNS: 'web',
  interpolation: { escapeValue: false },
  returnNull: false,
});

document.documentElement.lang = i18n.language;

export function setLanguage(lang: Language) {
  try {
    window.localStorage.setItem(storageKey, lang);
  } catch {
    // not remembered, still switched
  }
  document.documentElement.lang = lang;
  void i18n.changeLanguage(lang);
}

export function currentLanguage(): Language {
  return i18n.language === 'en' ? 'en' : 'id';
}

export function locale(lang: string = i18n.language): string {
  return lang === 'en' ? 'en-GB' : 'id-ID';
}
