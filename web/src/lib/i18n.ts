import i18next, { type Resource, type ResourceLanguage } from 'i18next';
import { initReactI18next } from 'react-i18next';

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

// Every namespace of locales/<lang>/<ns>.json is bundled: a page never renders raw keys because
// nobody remembered to register its namespace.
const files = import.meta.glob<ResourceLanguage>('../../locales/*/*.json', {
  eager: true,
  import: 'default',
});
const resources: Resource = {};
for (const [path, bundle] of Object.entries(files)) {
  const [, lang, ns] = /locales\/([a-z]+)\/([a-z-]+)\.json$/.exec(path) ?? [];
  if (!lang || !ns) continue;
  resources[lang] = { ...resources[lang], [ns]: bundle };
}
export const namespaces = Object.keys(resources.id ?? {});

export const i18n = i18next.createInstance();

// Resources are bundled, so initialisation is synchronous and the first render is translated.
void i18n.use(initReactI18next).init({
  initAsync: false,
  resources,
  lng: storedLanguage(),
  fallbackLng: 'id',
  ns: namespaces,
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
