import type { FastifyPluginAsync } from 'fastify';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { type Language, pickLanguage, translator } from '../../lib/i18n.ts';
import { formatPageDate, PublicPage, sendPublicPage } from '../../lib/public-page.tsx';
import { publicBaseUrl } from '../../lib/public-url.ts';
import { getOfficeTimeZone } from '../settings/settings.service.ts';
import type { CertificateVerification } from './training.schema.ts';
import { findCertificate, verificationUrl } from './training.service.ts';

// The page people reach by scanning the QR code on a printed certificate: real HTML that
// works on a cheap phone without JavaScript, with Open Graph tags for a shared link.

const css = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f1ea;color:#1f2d3d;line-height:1.5}
main{max-width:560px;margin:0 auto;padding:16px}
.card{background:#fff;border-radius:12px;box-shadow:0 1px 4px rgba(0,0,0,.08);overflow:hidden}
.banner{padding:20px 16px;color:#fff}
.banner.valid{background:#1e7e34}
.banner.revoked{background:#b02a37}
.banner.missing{background:#6c757d}
.banner h1{margin:0;font-size:1.35rem}
.banner p{margin:6px 0 0}
.badge{display:inline-block;padding:2px 10px;border-radius:999px;background:rgba(255,255,255,.2);font-weight:600;font-size:.85rem;margin-bottom:8px}
dl{margin:0;padding:8px 16px 16px}
dt{font-size:.8rem;color:#5c6b7a;margin-top:12px}
dd{margin:2px 0 0;font-size:1.05rem;word-wrap:break-word}
.name{font-size:1.3rem;font-weight:700}
.code{font-family:ui-monospace,Menlo,Consolas,monospace;letter-spacing:.04em}
.actions{padding:0 16px 20px}
.button{display:block;text-align:center;padding:14px;border-radius:8px;background:#8a5a14;color:#fff;text-decoration:none;font-weight:600}
.note{font-size:.8rem;color:#5c6b7a;padding:0 16px 16px;margin:0}
footer{text-align:center;font-size:.8rem;color:#5c6b7a;padding:16px}
footer a{color:#5c6b7a}
`;

type Meta = { title: string; description: string; url: string };

function Document({ lang, meta, children }: { lang: Language; meta: Meta; children: ReactNode }) {
  return (
    // Certificates carry people's names: shareable, but not for search engines.
    <PublicPage
      lang={lang}
      title={meta.title}
      description={meta.description}
      robots="noindex"
      css={css}
      head={
        <>
          <meta property="og:title" content={meta.title} />
          <meta property="og:description" content={meta.description} />
          <meta property="og:type" content="website" />
          <meta property="og:url" content={meta.url} />
          <meta property="og:locale" content={lang === 'id' ? 'id_ID' : 'en_GB'} />
        </>
      }
    >
      {children}
    </PublicPage>
  );
}

function Footer({ t, lang, path }: { t: TFunction; lang: Language; path: string }) {
  const other: Language = lang === 'id' ? 'en' : 'id';
  return (
    <footer>
      {t('footer')} ·{' '}
      <a href={`${path}?lang=${other}`} hrefLang={other}>
        {t('switchLanguage')}
      </a>
    </footer>
  );
}

function dateFormats(lang: Language) {
  const locale = lang === 'id' ? 'id-ID' : 'en-GB';
  const day = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const calendarDay = (iso: string) => new Date(`${iso}T00:00:00Z`);
  return {
    range: (start: string, end: string) => day.formatRange(calendarDay(start), calendarDay(end)),
  };
}

function CertificatePage({
  c,
  t,
  lang,
  path,
  timeZone,
}: {
  c: CertificateVerification;
  t: TFunction;
  lang: Language;
  path: string;
  timeZone: string;
}) {
  const formats = dateFormats(lang);
  const valid = c.status === 'valid';
  return (
    <main>
      <div className="card">
        <div className={`banner ${c.status}`}>
          <span className="badge">{t(`status.${c.status}`)}</span>
          <h1>{t('heading')}</h1>
          <p>{valid ? t('validText', { organisation: c.organisation }) : t('revokedText')}</p>
        </div>
        <dl>
          {!valid && c.revokedReason ? (
            <>
              <dt>{t('revokedReason')}</dt>
              <dd>{c.revokedReason}</dd>
            </>
          ) : null}
          <dt>{t('participant')}</dt>
          <dd className="name">{c.participantName}</dd>
          <dt>{t('business')}</dt>
          <dd>{c.businessName}</dd>
          <dt>{t('program')}</dt>
          <dd>{c.programName}</dd>
          <dt>{t('dates')}</dt>
          <dd>{formats.range(c.startDate, c.endDate)}</dd>
          {c.venue ? (
            <>
              <dt>{t('venue')}</dt>
              <dd>{c.venue}</dd>
            </>
          ) : null}
          {c.hours ? (
            <>
              <dt>{t('hours')}</dt>
              <dd>{t('hoursValue', { count: c.hours })}</dd>
            </>
          ) : null}
          <dt>{t('organisation')}</dt>
          <dd>{c.organisation}</dd>
          <dt>{t('number')}</dt>
          <dd className="code">{c.code}</dd>
          <dt>{t('issuedAt')}</dt>
          <dd>{formatPageDate(lang, c.issuedAt, timeZone)}</dd>
        </dl>
        <div className="actions">
          <a className="button" href={`/api/v1/certificates/${encodeURIComponent(c.code)}/pdf`}>
            {t('downloadPdf')}
          </a>
        </div>
        <p className="note">{t('notCompetency')}</p>
      </div>
      <Footer t={t} lang={lang} path={path} />
    </main>
  );
}

function NotFoundPage({ code, t, lang, path }: { code: string; t: TFunction; lang: Language; path: string }) {
  return (
    <main>
      <div className="card">
        <div className="banner missing">
          <h1>{t('notFoundTitle')}</h1>
          <p>{t('notFoundText', { code })}</p>
        </div>
      </div>
      <Footer t={t} lang={lang} path={path} />
    </main>
  );
}

export const trainingPages: FastifyPluginAsync = async (app) => {
  app.get<{ Params: { code: string }; Querystring: { lang?: string } }>(
    '/sertifikat/:code',
    { schema: { hide: true } },
    async (request, reply) => {
      const lang = pickLanguage(request.query.lang, request.headers['accept-language']);
      const t = translator(lang, 'certificate');
      const typed = request.params.code.slice(0, 60);
      const certificate = typed.length <= 40 ? await findCertificate(app.ctx, typed) : null;
      const code = certificate?.code ?? typed;
      const path = `/sertifikat/${encodeURIComponent(code)}`;
      const url = verificationUrl(publicBaseUrl(app.ctx, request), code);
      const headers = { 'cache-control': 'no-cache', 'content-language': lang };
      if (!certificate) {
        const meta = { title: t('notFoundTitle'), description: t('ogDescriptionNotFound'), url };
        return sendPublicPage(
          reply,
          404,
          <Document lang={lang} meta={meta}>
            <NotFoundPage code={typed} t={t} lang={lang} path={path} />
          </Document>,
          headers,
        );
      }
      const meta = {
        title: t('ogTitle', { code: certificate.code }),
        description: t('ogDescription', {
          name: certificate.participantName,
          program: certificate.programName,
          organisation: certificate.organisation,
          status: t(`status.${certificate.status}`),
        }),
        url,
      };
      const timeZone = await getOfficeTimeZone(app.ctx);
      return sendPublicPage(
        reply,
        200,
        <Document lang={lang} meta={meta}>
          <CertificatePage c={certificate} t={t} lang={lang} path={path} timeZone={timeZone} />
        </Document>,
        headers,
      );
    },
  );
};
