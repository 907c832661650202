import type { ReactNode } from 'react';
import { type PageNav, PublicPage, withLang } from '../../lib/public-page.tsx';

// The frame of the market's public pages (a storefront, a promotion event): the catalogue's
// colours, plain HTML without JavaScript, laid out for a 360 px phone first.

const css = `*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#2b2118;background:#faf6f0;line-height:1.45}
a{color:#7a4a1c}
header,main,footer{max-width:960px;margin:0 auto;padding:12px 16px}
.top{display:flex;justify-content:space-between;align-items:center;gap:12px;border-bottom:1px solid #e8dccb}
.brand{font-weight:800;font-size:1.25rem;text-decoration:none;color:#5b3512}
h1{font-size:1.4rem;margin:.5rem 0}
h2{font-size:1.1rem;margin:1.25rem 0 .5rem}
.lead{margin:0 0 8px;color:#5c4b3b}
.muted{color:#6b5b4b;font-size:.875rem;margin:0}
.links{list-style:none;padding:0;margin:8px 0;display:flex;flex-wrap:wrap;gap:8px}
.links a{display:inline-block;padding:8px 12px;border:1px solid #c9b59b;border-radius:999px;background:#fff;text-decoration:none;font-weight:600}
.badges{list-style:none;padding:0;margin:8px 0;display:grid;gap:8px}
.badge{display:block;background:#fff;border:1px solid #9bc5a2;border-left:6px solid #2f7d3b;border-radius:8px;padding:8px 12px;text-decoration:none;color:inherit}
.badge strong{color:#2f7d3b}
.grid{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(155px,1fr));gap:12px}
.card{background:#fff;border-radius:12px;overflow:hidden;display:flex;flex-direction:column;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.card a.item{text-decoration:none;color:inherit}
.photo,.nophoto{display:block;width:100%;height:auto;aspect-ratio:4/3;object-fit:cover;background:#e8dccb}
.nophoto{display:flex;align-items:center;justify-content:center;color:#6b5b4b;font-size:.875rem}
.body{padding:8px 10px 10px;display:flex;flex-direction:column;gap:4px;flex:1}
.card h3{font-size:1rem;margin:0}
.price{font-weight:800;margin:0;font-size:1.05rem}
.unit{font-weight:400;color:#6b5b4b;font-size:.875rem}
.wa{display:block;text-align:center;background:#075e54;color:#fff;font-weight:700;text-decoration:none;padding:12px 10px;border-radius:8px;margin-top:auto}
.empty{background:#fff;padding:24px;border-radius:12px;text-align:center}
.facts{margin:8px 0;display:grid;grid-template-columns:auto 1fr;gap:4px 12px}
.facts dt{color:#6b5b4b}
.facts dd{margin:0}
.participant{background:#fff;border-radius:12px;padding:12px;margin:12px 0;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.participant h2{margin:0 0 4px}
.booth{display:inline-block;background:#5b3512;color:#fff;border-radius:6px;padding:2px 8px;font-weight:700;font-size:.875rem;margin-right:6px}
footer{color:#6b5b4b;font-size:.8rem;border-top:1px solid #e8dccb;margin-top:16px}`;

export function MarketDocument(props: {
  nav: PageNav;
  title: string;
  description: string;
  path: string;
  head?: ReactNode;
  robots?: 'noindex' | undefined;
  children: ReactNode;
}) {
  const { nav, title, description, path, head, robots, children } = props;
  const other = nav.lang === 'id' ? 'en' : 'id';
  return (
    <PublicPage
      lang={nav.lang}
      title={`${title} · ${nav.t('platform')}`}
      description={description}
      robots={robots}
      themeColor="#5b3512"
      head={head}
      css={css}
    >
      <header className="top">
        <a className="brand" href={withLang(nav, '/katalog')}>
          {nav.t('platform')}
        </a>
        <a href={withLang(nav, path, other)} hrefLang={other}>
          {nav.t('language')}
        </a>
      </header>
      <main>{children}</main>
      <footer>
        <p>
          <strong>{nav.t('platform')}</strong> · {nav.t('credit')}
        </p>
      </footer>
    </PublicPage>
  );
}

export function formatRupiah(amount: number): string {
  return `Rp${new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 }).format(amount)}`;
}

// JSON-LD in a script tag: "<" escaped so that no text in it can close the tag.
export function JsonLd({ data }: { data: unknown }) {
  return (
    <script
      type="application/ld+json"
      // biome-ignore lint/security/noDangerouslySetInnerHtml: JSON with "<" escaped, not markup
      dangerouslySetInnerHTML={{ __html: JSON.stringify(data).replace(/</g, '\\u003c') }}
    />
  );
}
