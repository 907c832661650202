// Registry export (issue 3): the export button for the registry page and the admin's log of
// personal-data access. Strings live in the `registry` i18n namespace.

export type { RegistryExportFilters } from './filters';
export { PersonalDataLogPage, personalDataLogPath } from './PersonalDataLogPage';
export { RegistryExportButton } from './RegistryExportButton';
