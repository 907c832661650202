import enDedup from '../../../../locales/en/dedup.json';
import idDedup from '../../../../locales/id/dedup.json';
import { i18n } from '../../i18n';

// The `dedup` namespace registers itself when the page loads.
for (const [lang, bundle] of [
  ['id', idDedup],
  ['en', enDedup],
] as const) {
  if (!i18n.hasResourceBundle(lang, 'dedup')) i18n.addResourceBundle(lang, 'dedup', bundle);
}
