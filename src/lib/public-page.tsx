import { brotliCompressSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { type Language, pickLanguage, translator } from './i18n.ts';

// The shell of the server-rendered public pages (catalogue, public application and status,
// certificate verification): real HTML that works on a cheap phone without JavaScript. Each
// page set brings its own CSS; what every page needs is here once, and the public forms share
// one frame (PublicFormPage).

export function PublicPage(props: {
  lang: Language;
  title: string;
  description?: string | undefined;
  // For pages that carry people's names or a private link: not for search engines.
  robots?: 'noindex' | 'noindex, nofollow' | undefined;
  // For pages whose URL is itself a secret (a status link): never leaked onward.
  referrer?: 'no-referrer' | undefined;
  themeColor?: string | undefined;
  // Open Graph and other tags of the page.
  head?: ReactNode;
  css: string;
  children: ReactNode;
}) {
  const { lang, title, description, robots, referrer, themeColor, head, css, children } = props;
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {robots ? <meta name="robots" content={robots} /> : null}
        {referrer ? <meta name="referrer" content={referrer} /> : null}
        <title>{title}</title>
        {description ? <meta name="description" content={description} /> : null}
        {themeColor ? <meta name="theme-color" content={themeColor} /> : null}
        {/* The app's own icon: without it the browser asks for /favicon.ico, which is not a file. */}
        <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
        {head}
        <style>{css}</style>
      </head>
      <body>{children}</body>
    </html>
  );
}

export const publicPageHtml = (element: ReactNode) => `<!doctype html>${renderToStaticMarkup(element)}`;

// Every public page is chosen by the visitor's language (Accept-Language or ?lang=), so caches
// must keep the languages apart; the headers of each page set (caching, robots) come on top.
export function sendPublicPage(
  reply: FastifyReply,
  status: number,
  element: ReactNode,
  headers: Record<string, string>,
) {
  const html = publicPageHtml(element);
  const encoding = pickEncoding(reply.request.headers['accept-encoding'], html.length);
  reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('x-content-type-options', 'nosniff')
    .header('vary', 'accept-language, accept-encoding')
    .headers(headers);
  if (!encoding) return reply.send(html);
  return reply.header('content-encoding', encoding).send(compressHtml(html, encoding));
}

// A catalogue page of 24 cards is some 30 kB of HTML and 5 kB compressed: on a phone's slow
// connection the difference is the first paint. Brotli at a middle quality costs about a
// millisecond for such a page; a small page is sent as it is.
export function pickEncoding(accepted: string | string[] | undefined, length: number): 'br' | 'gzip' | null {
  if (length < 1400) return null;
  const offered = String(accepted ?? '')
    .split(',')
    .map((part) => part.trim().split(';'))
    .filter(([, q]) => !q || !/^\s*q=0(\.0*)?\s*$/.test(q))
    .map(([name]) => name?.trim().toLowerCase());
  return offered.includes('br') ? 'br' : offered.includes('gzip') ? 'gzip' : null;
}

function compressHtml(html: string, encoding: 'br' | 'gzip') {
  return encoding === 'br'
    ? brotliCompressSync(html, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } })
    : gzipSync(html, { level: 6 });
}

// A date on a public page. A calendar day ('2027-02-01', a due date, a training's first day) is
// the day it names wherever the reader is, so it is formatted in UTC and never shifts; an
// instant (a Date, or an ISO timestamp) is shown on the office's clock (WIB, WITA or WIT), so
// what happened at 01:30 WIT is not shown as the day before. A calendar day needs no zone; an
// instant without one is a mistake, not a guess at Jakarta.
export function formatPageDate(lang: Language, day: string): string;
export function formatPageDate(
  lang: Language,
  value: string | Date,
  timeZone: string,
  options?: { withTime?: boolean },
): string;
export function formatPageDate(
  lang: Language,
  value: string | Date,
  timeZone?: string,
  options: { withTime?: boolean } = {},
): string {
  const calendarDay = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
  if (!calendarDay && !timeZone) throw new Error(`an instant needs the office's time zone: ${String(value)}`);
  const date = calendarDay ? new Date(`${value}T00:00:00Z`) : new Date(value);
  return new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    ...(options.withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
    timeZone: calendarDay ? 'UTC' : timeZone,
  }).format(date);
}

// The language a public page speaks: the one the link asked for (?lang=), else the browser's.
export type PageNav = { lang: Language; explicitLang: Language | null; t: TFunction };

export function pageNavOf(request: FastifyRequest, namespace: string): PageNav {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const explicitLang = query.lang === 'id' || query.lang === 'en' ? query.lang : null;
  const lang = pickLanguage(query.lang, request.headers['accept-language']);
  return { lang, explicitLang, t: translator(lang, namespace) };
}

// A link that keeps the language the visitor chose explicitly.
export const withLang = (nav: PageNav, path: string, lang: Language | null = nav.explicitLang) =>
  lang ? `${path}?lang=${lang}` : path;

// The frame of the public forms (application, complaint, follow-up, self-registration): the
// platform's name, a link to the page in the other language, the footer. Private links, so no
// search engine and no referrer.
export function PublicFormPage(props: {
  nav: PageNav;
  title: string;
  path: string;
  texts: { platform: string; language: string; footer: string };
  css: string;
  head?: ReactNode;
  children: ReactNode;
}) {
  const { nav, title, path, texts, css, head, children } = props;
  const other: Language = nav.lang === 'id' ? 'en' : 'id';
  return (
    <PublicPage
      lang={nav.lang}
      title={`${title} · ${texts.platform}`}
      robots="noindex, nofollow"
      referrer="no-referrer"
      themeColor="#5b3512"
      css={css}
      head={head}
    >
      <header className="top">
        <span className="brand">{texts.platform}</span>
        <a href={withLang(nav, path, other)} hrefLang={other}>
          {texts.language}
        </a>
      </header>
      <main>{children}</main>
      <footer>
        <p>{texts.footer}</p>
      </footer>
    </PublicPage>
  );
}
