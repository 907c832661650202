import enAttendance from '../../../../locales/en/attendance.json';
import idAttendance from '../../../../locales/id/attendance.json';
import { i18n } from '../../i18n';

// The `attendance` namespace (the session check-in page, offline and QR) registers itself
// when these components load.
for (const [lang, bundle] of [
  ['id', idAttendance],
  ['en', enAttendance],
] as const) {
  if (!i18n.hasResourceBundle(lang, 'attendance')) i18n.addResourceBundle(lang, 'attendance', bundle);
}
