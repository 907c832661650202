import enRules from '../../../../locales/en/rules.json';
import idRules from '../../../../locales/id/rules.json';
import { i18n } from '../../i18n';

// The `rules` namespace registers itself when a page that needs it is loaded, so the pages
// work whether or not the app's i18n setup lists it.
for (const [lang, bundle] of [
  ['id', idRules],
  ['en', enRules],
] as const) {
  if (!i18n.hasResourceBundle(lang, 'rules')) i18n.addResourceBundle(lang, 'rules', bundle);
}
