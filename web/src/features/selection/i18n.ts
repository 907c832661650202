import enApply from '../../../../locales/en/apply.json';
import idApply from '../../../../locales/id/apply.json';
import { i18n } from '../../i18n';

// The `apply` namespace (selection panel, application history; shared with the server-rendered
// public form and status page) registers itself when these components load.
for (const [lang, bundle] of [
  ['id', idApply],
  ['en', enApply],
] as const) {
  if (!i18n.hasResourceBundle(lang, 'apply')) i18n.addResourceBundle(lang, 'apply', bundle);
}
