import i18next from 'i18next';
import resourcesToBackend from 'i18next-resources-to-backend';
import { initReactI18next } from 'react-i18next';

export const languages = ['id', 'en'] as const;
export type Language = (typeof languages)[number];

const storageKey = 'pulih.lang';

// The server reads the language from this cookie to name that language's strings among the
// files a page preloads (src/lib/start-preload.ts); localStorage stays the app's own record.
function tellServer(lang: Language) {
  // biome-ignore lint/suspicious/noDocumentCookie: a plain first-party preference, read by the server on the next page load
  document.cookie = `pulih_lang=${lang}; path=/; max-age=31536000; samesite=lax`;
}

function storedLanguage(): Language {
  try {
    const stored = window.localStorage.getItem(storageKey);
    if (stored === 'en' || stored === 'id') return stored;
  } catch {
    // private mode or storage disabled: Indonesian
  }
  return 'id';
}

// What the shell needs before its first render: its own strings and the error messages.
const startNamespaces = ['web', 'errors'];

export const i18n = i18next.createInstance();

// Each locales/<lang>/<ns>.json is its own small file of the build, fetched when a screen of
// that language first asks for the namespace (useTranslation('dedup') waits for it under the
// route's loader); a phone downloads one language, not every string of both.
export const i18nReady = i18n
  .use(
    resourcesToBackend((lang: string, ns: string) =>
      import(`../../../locales/${lang}/${ns}.json`).then((m: { default: object }) => m.default),
    ),
  )
  .use(initReactI18next)
  .init({
    lng: storedLanguage(),
    // Every key is in both languages (src/lib/locales.test.ts): no second language to load.
    fallbackLng: false,
    supportedLngs: languages,
    ns: startNamespaces,
    defaultNS: 'web',
    interpolation: { escapeValue: false },
    returnNull: false,
    react: { useSuspense: true },
  })
  .then(() => {
    // The build also renders screens in Node (web/prerender.ts), where there is no document.
    if (typeof document === 'undefined') return;
    document.documentElement.lang = i18n.language;
    tellServer(currentLanguage());
  });

// Loads a screen's namespaces alongside its code (see app/routes.tsx).
export function loadNamespaces(namespaces: readonly string[]): void {
  void i18n.loadNamespaces([...namespaces]);
}

export function setLanguage(lang: Language) {
  try {
    window.localStorage.setItem(storageKey, lang);
  } catch {
    // not remembered, still switched
  }
  document.documentElement.lang = lang;
  tellServer(lang);
  void i18n.changeLanguage(lang);
}

export function currentLanguage(): Language {
  return i18n.language === 'en' ? 'en' : 'id';
}

export function locale(lang: string = i18n.language): string {
  return lang === 'en' ? 'en-GB' : 'id-ID';
}
