// Selection (issue 4): the program page's selection panel (seats, kecamatan quotas, priority
// rule, run selection, ranks, no-show) and an application's history. Strings live in the
// `apply` i18n namespace, which these components register themselves.

export { type ApplicationEvent, ApplicationEvents } from './ApplicationEvents';
export { SelectionPanel } from './SelectionPanel';
