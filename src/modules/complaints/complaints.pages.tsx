import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ReactNode } from 'react';
import { AppError } from '../../lib/errors.ts';
import {
  formatPageDate,
  type PageNav,
  PublicFormPage,
  pageNavOf,
  sendPublicPage,
  withLang,
} from '../../lib/public-page.tsx';
import { getOfficeTimeZone } from '../settings/settings.service.ts';
import type { ComplaintLimits } from './complaints.limits.ts';
import { complaintCodePattern, publicComplaintBody } from './complaints.schema.ts';
import { fileComplaint, getPublicComplaintStatus } from './complaints.service.ts';

// The public complaint form and the status page: plain HTML forms for a cheap phone without
// JavaScript, Indonesian first (?lang=en). The status page shows the status, dates and the
// published answer, never who complained or what they wrote. Not indexed, not cached.

const css = `*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#2b2118;background:#faf6f0;line-height:1.5;font-size:16px}
a{color:#7a4a1c}
header,main,footer{max-width:560px;margin:0 auto;padding:12px 16px}
.top{display:flex;justify-content:space-between;align-items:center;gap:12px;border-bottom:1px solid #e8dccb}
.brand{font-weight:800;font-size:1.25rem;color:#5b3512}
h1{font-size:1.35rem;margin:.5rem 0}
.card{background:#fff;border-radius:12px;padding:16px;box-shadow:0 1px 3px rgba(0,0,0,.12);margin:12px 0}
.muted{color:#6b5b4b;font-size:.9rem;margin:0}
form{display:grid;gap:14px}
label{font-weight:600;display:block;margin-bottom:4px}
.hint{font-size:.85rem;color:#6b5b4b;margin:4px 0 0}
input[type=text],input[type=tel],textarea{font:inherit;font-size:1.05rem;padding:12px;border:1px solid #c9b59b;border-radius:8px;width:100%;background:#fff;color:inherit}
textarea{min-height:8em}
button{font:inherit;font-weight:700;padding:14px;border:0;border-radius:8px;width:100%;background:#5b3512;color:#fff}
.alert{background:#fdecea;color:#7a1f12;border-radius:8px;padding:12px;margin:12px 0}
.code{font-family:ui-monospace,monospace;font-size:1.6rem;font-weight:800;letter-spacing:.08em}
.status{display:inline-block;font-weight:800;font-size:1.15rem;padding:6px 12px;border-radius:999px;background:#e8dccb}
.s-selesai{background:#d9f2e3;color:#14532d}
.s-diproses{background:#fff3cd;color:#6b4e00}
.s-ditolak{background:#f1e4e4;color:#6b1f1f}
.answer{white-space:pre-wrap}
dl{margin:0;display:grid;grid-template-columns:auto 1fr;gap:4px 12px}
dt{color:#6b5b4b}dd{margin:0}
footer{color:#6b5b4b;font-size:.8rem;border-top:1px solid #e8dccb;margin-top:16px}`;

type Nav = PageNav;

const navOf = (request: FastifyRequest): Nav => pageNavOf(request, 'complaints');

function Document(props: { nav: Nav; title: string; path: string; children: ReactNode }) {
  const { nav } = props;
  const texts = {
    platform: nav.t('public.platform'),
    language: nav.t('public.language'),
    footer: nav.t('public.footer'),
  };
  return <PublicFormPage {...props} texts={texts} css={css} />;
}

type FormValues = { name: string; phone: string; message: string; programId: string };

function FormPage({ nav, values, error }: { nav: Nav; values: FormValues; error: string | null }) {
  const { t } = nav;
  return (
    <>
      <h1>{t('public.formTitle')}</h1>
      <p className="muted">{t('public.formLead')}</p>
      {error ? (
        <div className="alert" role="alert">
          {t(`public.errors.${error}`, { defaultValue: t('public.errors.default') })}
        </div>
      ) : null}
      <form method="post" action={withLang(nav, '/pengaduan')} className="card">
        {values.programId ? <input type="hidden" name="programId" value={values.programId} /> : null}
        <div>
          <label htmlFor="name">{t('public.name')}</label>
          <input
            id="name"
            name="name"
            type="text"
            autoComplete="name"
            maxLength={120}
            required
            defaultValue={values.name}
          />
        </div>
        <div>
          <label htmlFor="phone">{t('public.phone')}</label>
          <input
            id="phone"
            name="phone"
            type="tel"
            inputMode="tel"
            autoComplete="tel"
            maxLength={30}
            required
            defaultValue={values.phone}
            aria-describedby="phone-hint"
          />
          <p className="hint" id="phone-hint">
            {t('public.phoneConsent')}
          </p>
        </div>
        <div>
          <label htmlFor="message">{t('public.message')}</label>
          <textarea
            id="message"
            name="message"
            minLength={10}
            maxLength={4000}
            required
            defaultValue={values.message}
          />
        </div>
        <button type="submit">{t('public.submit')}</button>
        <p className="hint">{t('public.privacy')}</p>
      </form>
      <form method="get" action="/pengaduan/cek" className="card">
        <div>
          <label htmlFor="code">{t('public.trackLabel')}</label>
          <input
            id="code"
            name="code"
            type="text"
            autoCapitalize="characters"
            maxLength={12}
            placeholder="PGD-XXXXXX"
            required
          />
        </div>
        {nav.explicitLang ? <input type="hidden" name="lang" value={nav.explicitLang} /> : null}
        <button type="submit">{t('public.track')}</button>
      </form>
    </>
  );
}

type PublicStatus = NonNullable<Awaited<ReturnType<typeof getPublicComplaintStatus>>>;

function StatusPage({
  nav,
  code,
  status,
  filed,
  timeZone,
}: {
  nav: Nav;
  code: string;
  status: PublicStatus;
  filed: boolean;
  timeZone: string;
}) {
  const { t } = nav;
  return (
    <>
      <h1>{t('public.statusTitle')}</h1>
      {filed ? (
        <div className="card" role="status">
          <p>{t('public.filed')}</p>
          <p className="code">{code}</p>
          <p className="hint">{t('public.keepCode')}</p>
        </div>
      ) : null}
      <div className="card">
        <p className="muted">{t('public.code')}</p>
        <p className="code">{code}</p>
        <p>
          <span className={`status s-${status.status}`}>{t(`statuses.${status.status}`)}</span>
        </p>
        <dl>
          <dt>{t('public.received')}</dt>
          <dd>{formatPageDate(nav.lang, status.createdAt, timeZone)}</dd>
          <dt>{t('public.due')}</dt>
          <dd>{formatPageDate(nav.lang, status.dueDate)}</dd>
          {status.answeredAt ? (
            <>
              <dt>{t('public.answeredAt')}</dt>
              <dd>{formatPageDate(nav.lang, status.answeredAt, timeZone)}</dd>
            </>
          ) : null}
          <dt>{t('public.updated')}</dt>
          <dd>{formatPageDate(nav.lang, status.updatedAt, timeZone)}</dd>
        </dl>
      </div>
      {status.answer ? (
        <div className="card">
          <h2>{t('public.answer')}</h2>
          <p className="answer">{status.answer}</p>
        </div>
      ) : (
        <p className="hint">{t('public.noAnswerYet')}</p>
      )}
      <p>
        <a href={withLang(nav, '/pengaduan')}>{t('public.another')}</a>
      </p>
    </>
  );
}

function send(reply: FastifyReply, status: number, element: ReactNode) {
  return sendPublicPage(reply, status, element, {
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-robots-tag': 'noindex',
  });
}

const text = (value: unknown, max: number) => (typeof value === 'string' ? value.trim().slice(0, max) : '');
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function complaintPages(limits: ComplaintLimits): FastifyPluginAsync {
  return async (app) => {
    const form = (reply: FastifyReply, nav: Nav, values: FormValues, error: string | null, status = 200) =>
      send(
        reply,
        status,
        <Document nav={nav} title={nav.t('public.formTitle')} path="/pengaduan">
          <FormPage nav={nav} values={values} error={error} />
        </Document>,
      );

    const notFound = (reply: FastifyReply, nav: Nav) =>
      send(
        reply,
        404,
        <Document nav={nav} title={nav.t('public.notFound')} path="/pengaduan">
          <div className="card">
            <h1>{nav.t('public.notFound')}</h1>
            <p>{nav.t('public.notFoundBody')}</p>
            <a href={withLang(nav, '/pengaduan')}>{nav.t('public.back')}</a>
          </div>
        </Document>,
      );

    app.get('/pengaduan', { schema: { hide: true } }, async (request, reply) => {
      const query = (request.query ?? {}) as Record<string, unknown>;
      const programId = text(query.program, 40);
      return form(
        reply,
        navOf(request),
        {
          name: '',
          phone: '',
          message: '',
          programId: uuidPattern.test(programId) ? programId : '',
        },
        null,
      );
    });

    app.post('/pengaduan', { schema: { hide: true } }, async (request, reply) => {
      const nav = navOf(request);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const values: FormValues = {
        name: text(body.name, 120),
        phone: text(body.phone, 30),
        message: text(body.message, 4000),
        programId: text(body.programId, 40),
      };
      try {
        await limits.file(request, reply);
        const parsed = publicComplaintBody.safeParse({ ...values, programId: values.programId || undefined });
        if (!parsed.success) return form(reply, nav, values, 'validation_failed', 400);
        const { code } = await fileComplaint(app.ctx, parsed.data);
        // Post/redirect/get: reloading the code page never files the complaint again.
        const path = `/pengaduan/${code}`;
        return reply
          .header('cache-control', 'no-store')
          .redirect(nav.explicitLang ? `${path}?lang=${nav.explicitLang}&baru=1` : `${path}?baru=1`, 303);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        return form(reply, nav, values, error.code, error.status);
      }
    });

    // The lookup form posts the code as a query: sent on to the code's page.
    app.get('/pengaduan/cek', { schema: { hide: true } }, async (request, reply) => {
      const nav = navOf(request);
      const query = (request.query ?? {}) as Record<string, unknown>;
      const code = text(query.code, 20).toUpperCase().replace(/\s+/g, '');
      const full = code.startsWith('PGD-') ? code : `PGD-${code.replace(/^PGD/, '')}`;
      return reply.redirect(withLang(nav, `/pengaduan/${encodeURIComponent(full)}`), 303);
    });

    app.get<{ Params: { code: string } }>(
      '/pengaduan/:code',
      { schema: { hide: true } },
      async (request, reply) => {
        const nav = navOf(request);
        const code = request.params.code.toUpperCase();
        try {
          await limits.lookup(request, reply);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          return form(
            reply,
            nav,
            { name: '', phone: '', message: '', programId: '' },
            error.code,
            error.status,
          );
        }
        const status = complaintCodePattern.test(code) ? await getPublicComplaintStatus(app.ctx, code) : null;
        if (!status) return notFound(reply, nav);
        const filed = ((request.query ?? {}) as Record<string, unknown>).baru === '1';
        const timeZone = await getOfficeTimeZone(app.ctx);
        return send(
          reply,
          200,
          <Document nav={nav} title={nav.t('public.statusTitle')} path={`/pengaduan/${code}`}>
            <StatusPage nav={nav} code={code} status={status} filed={filed} timeZone={timeZone} />
          </Document>,
        );
      },
    );
  };
}
