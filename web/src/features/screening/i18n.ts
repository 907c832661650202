import enScreening from '../../../../locales/en/screening.json';
import idScreening from '../../../../locales/id/screening.json';
import { i18n } from '../../i18n';
import '../program-editor/i18n';

// The `screening` namespace (screening and exclusion-list pages) registers itself on load.
for (const [lang, bundle] of [
  ['id', idScreening],
  ['en', enScreening],
] as const) {
  if (!i18n.hasResourceBundle(lang, 'screening')) i18n.addResourceBundle(lang, 'screening', bundle);
}
