import { prerender } from 'react-dom/static';
import { Root } from './app/Root';
import { i18n, i18nReady, type Language } from './lib/i18n';

// The screens the build draws into HTML ahead of time (web/prerender.ts), by address.
export const prerenderedScreens = { login: '/login' } as const;

// One screen's markup in one language, as the browser's first render of it draws it
// (main.tsx hydrates it). Run at build time, in Node, by web/prerender.ts.
export async function prerenderScreen(
  screen: keyof typeof prerenderedScreens,
  lang: Language,
): Promise<string> {
  await i18nReady;
  await i18n.changeLanguage(lang);
  const { prelude } = await prerender(<Root location={prerenderedScreens[screen]} />);
  return new Response(prelude).text();
}
