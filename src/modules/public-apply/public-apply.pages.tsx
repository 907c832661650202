import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ReactNode } from 'react';
import { AppError } from '../../lib/errors.ts';
import { translator } from '../../lib/i18n.ts';
import {
  formatPageDate,
  type PageNav,
  PublicFormPage,
  pageNavOf,
  sendPublicPage,
  withLang,
} from '../../lib/public-page.tsx';
import { getOfficeTimeZone } from '../settings/settings.service.ts';
import type { PublicApplyLimits } from './public-apply.limits.ts';
import { type PublicApplicationStatus, publicApplyBody } from './public-apply.schema.ts';
import { applyInPublic, getProgramForForm, getStatus } from './public-apply.service.ts';

// The public application form and the status page, for an owner on a cheap phone with a weak
// signal: plain HTML forms that work without JavaScript, Indonesian first (?lang=en), small
// inline CSS. Neither page is indexed, cached or sends a Referer (the status link is a key).

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const tokenPattern = /^[A-Za-z0-9_-]{16,64}$/;

const css = `*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#2b2118;background:#faf6f0;line-height:1.5;font-size:16px}
a{color:#7a4a1c}
header,main,footer{max-width:560px;margin:0 auto;padding:12px 16px}
.top{display:flex;justify-content:space-between;align-items:center;gap:12px;border-bottom:1px solid #e8dccb}
.brand{font-weight:800;font-size:1.25rem;text-decoration:none;color:#5b3512}
h1{font-size:1.35rem;margin:.5rem 0}
h2{font-size:1.1rem;margin:1rem 0 .5rem}
.card{background:#fff;border-radius:12px;padding:16px;box-shadow:0 1px 3px rgba(0,0,0,.12);margin:12px 0}
.program{margin:0 0 4px;font-weight:700}
.muted{color:#6b5b4b;font-size:.9rem;margin:0}
form{display:grid;gap:14px}
label{font-weight:600;display:block;margin-bottom:4px}
.hint{font-size:.85rem;color:#6b5b4b;margin:4px 0 0}
input[type=text],input[type=tel]{font:inherit;font-size:1.1rem;padding:12px;border:1px solid #c9b59b;border-radius:8px;width:100%;background:#fff;color:inherit}
fieldset{border:1px solid #e8dccb;border-radius:8px;padding:8px 12px;margin:0}
.choice{display:flex;gap:10px;align-items:center;padding:10px 0;font-weight:400}
.choice input{width:22px;height:22px}
button{font:inherit;font-weight:700;padding:14px;border:0;border-radius:8px;width:100%;background:#5b3512;color:#fff}
.alert{background:#fdecea;color:#7a1f12;border-radius:8px;padding:12px;margin:12px 0}
.cancelled .when{text-decoration:line-through}
.status{display:inline-block;font-weight:800;font-size:1.15rem;padding:6px 12px;border-radius:999px;background:#e8dccb}
.s-enrolled,.s-completed{background:#d9f2e3;color:#14532d}
.s-waitlisted,.s-pending{background:#fff3cd;color:#6b4e00}
.s-ineligible,.s-withdrawn,.s-dropped{background:#f1e4e4;color:#6b1f1f}
ol.timeline{list-style:none;padding:0;margin:0;border-left:3px solid #e8dccb}
ol.timeline li{padding:0 0 12px 14px;position:relative}
ol.timeline li::before{content:"";position:absolute;left:-8px;top:6px;width:13px;height:13px;border-radius:50%;background:#5b3512}
.when{display:block;font-size:.85rem;color:#6b5b4b}
footer{color:#6b5b4b;font-size:.8rem;border-top:1px solid #e8dccb;margin-top:16px}`;

type Nav = PageNav;

const navOf = (request: FastifyRequest): Nav => pageNavOf(request, 'apply');

function Document(props: { nav: Nav; title: string; path: string; children: ReactNode }) {
  const { nav } = props;
  const texts = { platform: nav.t('platform'), language: nav.t('language'), footer: nav.t('footer') };
  return <PublicFormPage {...props} texts={texts} css={css} />;
}

type FormProgram = NonNullable<Awaited<ReturnType<typeof getProgramForForm>>>;

function ProgramCard({
  nav,
  program,
}: {
  nav: Nav;
  program: Pick<FormProgram, 'name' | 'startDate' | 'endDate' | 'venue'>;
}) {
  return (
    <div className="card">
      <p className="program">{program.name}</p>
      <p className="muted">
        {nav.t('dates', {
          start: formatPageDate(nav.lang, program.startDate),
          end: formatPageDate(nav.lang, program.endDate),
        })}
      </p>
      {program.venue ? <p className="muted">{program.venue}</p> : null}
    </div>
  );
}

type FormView = {
  values: { nik: string; phone: string; consent: string };
  error: string | null;
  choices: { id: string; name: string }[] | null;
};

// Past the start or the deadline: a clear message instead of a form (program_closed).
function ClosedPage({ nav, program }: { nav: Nav; program: FormProgram }) {
  const { t } = nav;
  const closed = program.closed!;
  return (
    <>
      <h1>{t('form.title')}</h1>
      <ProgramCard nav={nav} program={program} />
      <div className="alert" role="alert" data-closed={closed.reason}>
        <strong>{t('closed.title')}</strong>
        <p>
          {closed.reason === 'deadline' && closed.applicationDeadline
            ? t('closed.deadline', { date: formatPageDate(nav.lang, closed.applicationDeadline) })
            : t('closed.started', { date: formatPageDate(nav.lang, closed.startDate) })}
        </p>
        <p>{t('closed.help')}</p>
      </div>
    </>
  );
}

function FormPage({ nav, program, view }: { nav: Nav; program: FormProgram; view: FormView }) {
  const { t } = nav;
  const action = withLang(nav, `/daftar/${program.id}`);
  if (program.closed) return <ClosedPage nav={nav} program={program} />;
  return (
    <>
      <h1>{t('form.title')}</h1>
      <ProgramCard nav={nav} program={program} />
      {view.error ? (
        <div className="alert" role="alert">
          {t(`errors.${view.error}`, { defaultValue: t('errors.default') })}
        </div>
      ) : null}
      {view.choices ? (
        <form method="post" action={action}>
          <input type="hidden" name="nik" value={view.values.nik} />
          <input type="hidden" name="phone" value={view.values.phone} />
          <input type="hidden" name="consent" value={view.values.consent} />
          <fieldset>
            <legend>{t('form.choose')}</legend>
            {view.choices.map((b, i) => (
              <label className="choice" key={b.id}>
                <input type="radio" name="businessId" value={b.id} required defaultChecked={i === 0} />
                {b.name}
              </label>
            ))}
          </fieldset>
          <button type="submit">{t('form.submit')}</button>
        </form>
      ) : (
        <form method="post" action={action}>
          <p className="muted">{t('form.lead')}</p>
          <div>
            <label htmlFor="nik">{t('form.nik')}</label>
            <input
              id="nik"
              name="nik"
              type="text"
              inputMode="numeric"
              autoComplete="off"
              maxLength={24}
              required
              defaultValue={view.values.nik}
              aria-describedby="nik-hint"
            />
            <p className="hint" id="nik-hint">
              {t('form.nikHint')}
            </p>
          </div>
          <div>
            <label htmlFor="phone">{t('form.phone')}</label>
            <input
              id="phone"
              name="phone"
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              maxLength={30}
              required
              defaultValue={view.values.phone}
              aria-describedby="phone-hint"
            />
            <p className="hint" id="phone-hint">
              {t('form.phoneHint')}
            </p>
          </div>
          <div className="field">
            <label>
              <input
                type="checkbox"
                name="consent"
                value="yes"
                defaultChecked={view.values.consent === 'yes'}
              />{' '}
              {t('form.consent')}
            </label>
          </div>
          <button type="submit">{t('form.submit')}</button>
          <p className="hint">{t('form.privacy')}</p>
        </form>
      )}
    </>
  );
}

function StatusPage({
  nav,
  status,
  path,
  timeZone,
}: {
  nav: Nav;
  status: PublicApplicationStatus;
  path: string;
  timeZone: string;
}) {
  const { t } = nav;
  return (
    <>
      <h1>{t('status.title')}</h1>
      <ProgramCard nav={nav} program={status.program} />
      <div className="card">
        <p className="muted">{t('status.current')}</p>
        <p>
          <span className={`status s-${status.status}`}>{t(`statuses.${status.status}`)}</span>
        </p>
        <p>{t(`statusHelp.${status.status}`)}</p>
        {status.waitlistPosition !== null ? (
          <p>
            <strong>{t('status.waitlistPosition', { position: status.waitlistPosition })}</strong>
          </p>
        ) : null}
        {status.failedCriteria.length > 0 ? (
          <p>
            {t('status.failed')}{' '}
            {status.failedCriteria.map((f) => t(`fields.${f}`, { defaultValue: f })).join(', ')}
          </p>
        ) : null}
        <p className="muted">
          {t('status.appliedAt', { date: formatPageDate(nav.lang, status.appliedAt, timeZone) })}
        </p>
      </div>
      {status.sessions.length > 0 ? (
        <>
          <h2>{t('status.schedule')}</h2>
          <ol className="timeline" data-testid="schedule">
            {status.sessions.map((s) => (
              <li key={s.day} className={s.cancelled ? 'cancelled' : undefined}>
                <span className="when">
                  {formatPageDate(nav.lang, s.date)} · {s.startsAt}–{s.endsAt}
                </span>
                {s.cancelled ? (
                  <>
                    <strong>{t('status.cancelled')}</strong>
                    {s.cancelReason ? ` — ${s.cancelReason}` : null}
                  </>
                ) : (
                  [s.topic, s.venue].filter(Boolean).join(' · ')
                )}
              </li>
            ))}
          </ol>
        </>
      ) : null}
      <h2>{t('status.history')}</h2>
      <ol className="timeline">
        {status.events.map((e, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the history is rendered once, in order
          <li key={i}>
            <span className="when">{formatPageDate(nav.lang, e.at, timeZone, { withTime: true })}</span>
            {t(`events.${e.kind}`)}
            {e.note ? ` — ${t(`notes.${e.note}`, { defaultValue: '' })}` : null}
          </li>
        ))}
      </ol>
      <p className="hint">{t('status.keepLink')}</p>
      {status.program.type === 'training' &&
      (status.status === 'enrolled' || status.status === 'completed') ? (
        <p>
          <a href={withLang(nav, `${path}/nilai`)}>{translator(nav.lang, 'rating')('link')}</a>
        </p>
      ) : null}
    </>
  );
}

function NotFoundPage({ nav, kind }: { nav: Nav; kind: 'program' | 'status' }) {
  return (
    <div className="card">
      <h1>{nav.t(`notFound.${kind}`)}</h1>
      <p>{nav.t('notFound.body')}</p>
    </div>
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

async function loadProgram(request: FastifyRequest<{ Params: { programId: string } }>) {
  const { programId } = request.params;
  return uuidPattern.test(programId) ? getProgramForForm(request.server.ctx, programId) : null;
}

export function publicApplyPages(limits: PublicApplyLimits): FastifyPluginAsync {
  return async (app) => {
    const notFound = (reply: FastifyReply, nav: Nav, path: string, kind: 'program' | 'status') =>
      send(
        reply,
        404,
        <Document nav={nav} title={nav.t(`notFound.${kind}`)} path={path}>
          <NotFoundPage nav={nav} kind={kind} />
        </Document>,
      );

    const form = (reply: FastifyReply, nav: Nav, program: FormProgram, view: FormView, status = 200) =>
      send(
        reply,
        status,
        <Document nav={nav} title={nav.t('form.title')} path={`/daftar/${program.id}`}>
          <FormPage nav={nav} program={program} view={view} />
        </Document>,
      );

    app.get<{ Params: { programId: string } }>(
      '/daftar/:programId',
      { schema: { hide: true } },
      async (request, reply) => {
        const nav = navOf(request);
        const program = await loadProgram(request);
        if (!program) return notFound(reply, nav, request.url.split('?')[0]!, 'program');
        // Closed (started, or past its deadline): the page says so, answered 409 program_closed.
        return form(
          reply,
          nav,
          program,
          { values: { nik: '', phone: '', consent: '' }, error: null, choices: null },
          program.closed ? 409 : 200,
        );
      },
    );

    app.post<{ Params: { programId: string } }>(
      '/daftar/:programId',
      { schema: { hide: true } },
      async (request, reply) => {
        const nav = navOf(request);
        const program = await loadProgram(request);
        if (!program) return notFound(reply, nav, request.url.split('?')[0]!, 'program');
        const body = (request.body ?? {}) as Record<string, unknown>;
        const values = {
          nik: text(body.nik, 40),
          phone: text(body.phone, 30),
          consent: text(body.consent, 3) === 'yes' ? 'yes' : '',
        };
        const businessId = text(body.businessId, 40) || undefined;
        try {
          await limits.check(request, reply);
          const parsed = publicApplyBody.safeParse({
            nik: values.nik,
            phone: values.phone,
            businessId,
            consent: values.consent === 'yes',
          });
          if (!parsed.success)
            return form(reply, nav, program, { values, error: 'validation_failed', choices: null }, 400);
          const result = await applyInPublic(app.ctx, program.id, parsed.data);
          if (result.outcome === 'choose_business')
            return form(reply, nav, program, { values, error: null, choices: result.businesses });
          // Post/redirect/get: reloading the status page never sends the form again.
          return reply.header('cache-control', 'no-store').redirect(withLang(nav, result.statusPath), 303);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          return form(reply, nav, program, { values, error: error.code, choices: null }, error.status);
        }
      },
    );

    app.get<{ Params: { token: string } }>(
      '/status/:token',
      { schema: { hide: true } },
      async (request, reply) => {
        const nav = navOf(request);
        const { token } = request.params;
        const path = `/status/${encodeURIComponent(token)}`;
        const status = tokenPattern.test(token) ? await getStatus(app.ctx, token) : null;
        if (!status) return notFound(reply, nav, path, 'status');
        const timeZone = await getOfficeTimeZone(app.ctx);
        return send(
          reply,
          200,
          <Document nav={nav} title={nav.t('status.title')} path={path}>
            <StatusPage nav={nav} status={status} path={path} timeZone={timeZone} />
          </Document>,
        );
      },
    );
  };
}
