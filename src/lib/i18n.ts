import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type Resource, type TFunction } from 'i18next';

// The same locale files serve the web app and the server-rendered public pages:
// locales/<lang>/<namespace>.json. Indonesian first, English second.
export const languages = ['id', 'en'] as const;
export type Language = (typeof languages)[number];

const localesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../locales');

function loadResources() {
  const resources: Resource = {};
  for (const lang of languages) {
    resources[lang] = {};
    for (const file of readdirSync(resolve(localesDir, lang)).filter((f) => f.endsWith('.json'))) {
      (resources[lang] as Record<string, unknown>)[basename(file, '.json')] = JSON.parse(
        readFileSync(resolve(localesDir, lang, file), 'utf8'),
      );
    }
  }
  return resources;
}

const instance = i18next.createInstance();
await instance.init({
  resources: loadResources(),
  lng: 'id',
  fallbackLng: 'id',
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function pickLanguage(query: unknown, acceptLanguage: string | undefined): Language {
  if (query === 'en' || query === 'id') return query;
  return acceptLanguage?.toLowerCase().startsWith('en') ? 'en' : 'id';
}

export function translator(lang: Language, namespace: string): TFunction {
  return instance.getFixedT(lang, namespace);
}
