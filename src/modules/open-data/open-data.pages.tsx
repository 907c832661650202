import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ReactNode } from 'react';
import { smallCellThreshold } from '../../domain/small-cells.ts';
import type { Language } from '../../lib/i18n.ts';
import { type PageNav, PublicPage, pageNavOf, sendPublicPage, withLang } from '../../lib/public-page.tsx';
import { getTransparency, type TransparencyFigures } from './open-data.service.ts';

// The public transparency page (/transparansi) and the open data page (/open-data): plain HTML
// for a cheap phone without JavaScript, Indonesian first (?lang=en). Figures only, never a
// person; counts of 1 and 2 are shown as "< 3" (src/domain/small-cells.ts).

const css = `*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#2b2118;background:#faf6f0;line-height:1.5;font-size:16px}
a{color:#7a4a1c}
header,main,footer{max-width:960px;margin:0 auto;padding:12px 16px}
.top{display:flex;justify-content:space-between;align-items:center;gap:12px;border-bottom:1px solid #e8dccb;flex-wrap:wrap}
.brand{font-weight:800;font-size:1.25rem;color:#5b3512;text-decoration:none}
h1{font-size:1.35rem;margin:.5rem 0}
h2{font-size:1.1rem;margin:1.25rem 0 .5rem}
.muted{color:#6b5b4b;font-size:.9rem;margin:0}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:8px;margin:12px 0;padding:0;list-style:none}
.stats li{background:#fff;border-radius:12px;padding:12px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.stats strong{display:block;font-size:1.4rem;color:#5b3512}
.stats span{font-size:.85rem;color:#6b5b4b}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;background:#fff;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{padding:8px;border-bottom:1px solid #eee3d3;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;white-space:nowrap}
form.year{display:flex;gap:8px;align-items:center;flex-wrap:wrap;margin:8px 0}
select,button{font:inherit;padding:8px 10px;border-radius:8px;border:1px solid #c9b59b;background:#fff}
button{background:#5b3512;color:#fff;border:0;font-weight:700}
ul.links li{margin:6px 0}
code{font-family:ui-monospace,monospace;font-size:.9em;word-break:break-all}
footer{color:#6b5b4b;font-size:.8rem;border-top:1px solid #e8dccb;margin-top:16px}`;

const navOf = (request: FastifyRequest): PageNav => pageNavOf(request, 'transparency');

function Document(props: {
  nav: PageNav;
  title: string;
  path: string;
  description: string;
  children: ReactNode;
}) {
  const { nav, title, path, description, children } = props;
  const other: Language = nav.lang === 'id' ? 'en' : 'id';
  return (
    <PublicPage
      lang={nav.lang}
      title={`${title} · ${nav.t('platform')}`}
      description={description}
      themeColor="#5b3512"
      css={css}
    >
      <header className="top">
        <a className="brand" href={withLang(nav, '/transparansi')}>
          {nav.t('platform')}
        </a>
        <nav>
          <a href={withLang(nav, '/transparansi')}>{nav.t('nav.transparency')}</a>
          {' · '}
          <a href={withLang(nav, '/open-data')}>{nav.t('nav.openData')}</a>
          {' · '}
          <a href={withLang(nav, path, other)} hrefLang={other}>
            {nav.t('language')}
          </a>
        </nav>
      </header>
      <main>{children}</main>
      <footer>
        <p>{nav.t('footer', { threshold: smallCellThreshold })}</p>
      </footer>
    </PublicPage>
  );
}

function formatters(lang: Language) {
  const locale = lang === 'id' ? 'id-ID' : 'en-GB';
  const number = new Intl.NumberFormat(locale);
  const date = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return {
    count: (n: number | null) => (n === null ? `< ${smallCellThreshold}` : number.format(n)),
    rupiah: (n: number | null) => (n === null ? '–' : `Rp${number.format(n)}`),
    day: (iso: string) => date.format(new Date(`${iso}T00:00:00Z`)),
    share: (part: number, whole: number) =>
      whole > 0
        ? `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format((100 * part) / whole)}%`
        : '–',
  };
}

function TransparencyPage({ nav, figures }: { nav: PageNav; figures: TransparencyFigures }) {
  const { t } = nav;
  const f = formatters(nav.lang);
  const totals = figures.totals;
  const yearLabel = figures.year === null ? t('allYears') : String(figures.year);
  return (
    <>
      <h1>{t('title')}</h1>
      <p className="muted">{t('lead')}</p>
      <form className="year" method="get" action="/transparansi">
        {nav.explicitLang ? <input type="hidden" name="lang" value={nav.explicitLang} /> : null}
        <label htmlFor="tahun">{t('year')}</label>
        <select id="tahun" name="tahun" defaultValue={figures.year === null ? '' : String(figures.year)}>
          <option value="">{t('allYears')}</option>
          {figures.years.map((y) => (
            <option key={y} value={String(y)}>
              {y}
            </option>
          ))}
        </select>
        <button type="submit">{t('show')}</button>
      </form>
      <h2>{t('summaryTitle', { year: yearLabel })}</h2>
      <ul className="stats">
        <li>
          <strong>{f.count(totals.programs)}</strong>
          <span>{t('stats.programs')}</span>
        </li>
        <li>
          <strong>{f.count(totals.participants)}</strong>
          <span>{t('stats.participants')}</span>
        </li>
        <li>
          <strong>{f.count(totals.completed)}</strong>
          <span>{t('stats.completed')}</span>
        </li>
        <li>
          <strong>{f.count(totals.equipped)}</strong>
          <span>{t('stats.equipped')}</span>
        </li>
        <li>
          <strong>{f.rupiah(totals.aidValue)}</strong>
          <span>{t('stats.aidValue')}</span>
        </li>
        <li>
          <strong>{f.count(totals.newEntrepreneurs)}</strong>
          <span>{t('stats.newEntrepreneurs', { answered: f.count(totals.answered) })}</span>
        </li>
        <li>
          <strong>{f.share(totals.activeAfterFollowUp, totals.answered)}</strong>
          <span>
            {t('stats.active', {
              active: f.count(totals.activeAfterFollowUp),
              answered: f.count(totals.answered),
            })}
          </span>
        </li>
      </ul>

      <h2>{t('programsTitle')}</h2>
      {figures.programs.length === 0 ? (
        <p className="muted">{t('noPrograms')}</p>
      ) : (
        <div className="scroll">
          <table>
            <caption className="muted">{t('programsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('columns.program')}</th>
                <th scope="col">{t('columns.dates')}</th>
                <th scope="col" className="n">
                  {t('columns.participants')}
                </th>
                <th scope="col" className="n">
                  {t('columns.completed')}
                </th>
                <th scope="col" className="n">
                  {t('columns.aidValue')}
                </th>
                <th scope="col" className="n">
                  {t('columns.newEntrepreneurs')}
                </th>
              </tr>
            </thead>
            <tbody>
              {figures.programs.map((p) => (
                <tr key={p.programId}>
                  <th scope="row">
                    {p.program}
                    <br />
                    <span className="muted">
                      {t(`types.${p.type}`, { defaultValue: p.type })} · {p.organisation}
                    </span>
                  </th>
                  <td>
                    {f.day(p.startDate)} – {f.day(p.endDate)}
                  </td>
                  <td className="n">{f.count(p.participants)}</td>
                  <td className="n">{f.count(p.completed)}</td>
                  <td className="n">{f.rupiah(p.aidValue)}</td>
                  <td className="n">{f.count(p.newEntrepreneurs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>{t('kecamatanTitle')}</h2>
      {figures.byKecamatan.length === 0 ? (
        <p className="muted">{t('noPrograms')}</p>
      ) : (
        <div className="scroll">
          <table>
            <caption className="muted">{t('kecamatanCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('columns.kecamatan')}</th>
                <th scope="col" className="n">
                  {t('columns.participants')}
                </th>
                <th scope="col" className="n">
                  {t('columns.completed')}
                </th>
                <th scope="col" className="n">
                  {t('columns.equipped')}
                </th>
                <th scope="col" className="n">
                  {t('columns.newEntrepreneurs')}
                </th>
                <th scope="col" className="n">
                  {t('columns.active')}
                </th>
              </tr>
            </thead>
            <tbody>
              {figures.byKecamatan.map((k) => (
                <tr key={k.code}>
                  <th scope="row">{k.name}</th>
                  <td className="n">{f.count(k.participants)}</td>
                  <td className="n">{f.count(k.completed)}</td>
                  <td className="n">{f.count(k.equipped)}</td>
                  <td className="n">{f.count(k.newEntrepreneurs)}</td>
                  <td className="n">
                    {f.count(k.activeAfterFollowUp)} / {f.count(k.answered)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t('definitionsTitle')}</h2>
      <p className="muted">{t('definitions')}</p>
      <p>
        <a href={withLang(nav, '/open-data')}>{t('openDataLink')}</a>
      </p>
    </>
  );
}

function OpenDataPage({ nav }: { nav: PageNav }) {
  const { t } = nav;
  const resources = [
    ['/api/v1/open-data/programs.csv', t('openData.csv')],
    ['/api/v1/open-data/programs.json', t('openData.json')],
    ['/api/v1/open-data/package.json', t('openData.package')],
  ] as const;
  return (
    <>
      <h1>{t('openData.title')}</h1>
      <p>{t('openData.lead')}</p>
      <ul className="links">
        {resources.map(([href, label]) => (
          <li key={href}>
            <a href={href}>{label}</a>
            <br />
            <code>{href}</code>
          </li>
        ))}
      </ul>
      <h2>{t('openData.useTitle')}</h2>
      <p>{t('openData.use')}</p>
      <p className="muted">{t('openData.yearHint')}</p>
      <h2>{t('openData.privacyTitle')}</h2>
      <p>{t('openData.privacy', { threshold: smallCellThreshold })}</p>
      <h2>{t('openData.licenseTitle')}</h2>
      <p>{t('openData.license')}</p>
    </>
  );
}

const pageHeaders = { 'cache-control': 'public, max-age=300' };

function yearOf(request: FastifyRequest): number | undefined {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const year = Number(query.tahun);
  return Number.isInteger(year) && year >= 2000 && year <= 2100 ? year : undefined;
}

async function send(reply: FastifyReply, element: ReactNode) {
  return sendPublicPage(reply, 200, element, pageHeaders);
}

export const openDataPages: FastifyPluginAsync = async (app) => {
  app.get(
    '/transparansi',
    { schema: { hide: true }, config: { access: 'public' } },
    async (request, reply) => {
      const nav = navOf(request);
      const figures = await getTransparency(app.ctx, yearOf(request));
      return send(
        reply,
        <Document nav={nav} title={nav.t('title')} path="/transparansi" description={nav.t('lead')}>
          <TransparencyPage nav={nav} figures={figures} />
        </Document>,
      );
    },
  );

  app.get('/open-data', { schema: { hide: true }, config: { access: 'public' } }, async (request, reply) => {
    const nav = navOf(request);
    return send(
      reply,
      <Document
        nav={nav}
        title={nav.t('openData.title')}
        path="/open-data"
        description={nav.t('openData.lead')}
      >
        <OpenDataPage nav={nav} />
      </Document>,
    );
  });
};
