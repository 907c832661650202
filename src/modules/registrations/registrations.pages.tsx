import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
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
import { getOfficeTimeZone, settingsRegionCode } from '../settings/settings.service.ts';
import type { RegistrationLimits } from './registrations.limits.ts';
import {
  checkDraft,
  checkPhoto,
  confirmableWarnings,
  type DraftField,
  draftFields,
  type FieldIssue,
  fixRegistration,
  getPublicRegistration,
  type Photo,
  type PublicRegistrationStatus,
  type RegistrationDraft,
  registerInPublic,
  searchKbliTitles,
} from './registrations.service.ts';

// The self-registration form (/daftar-usaha) and its status page, for an owner on a cheap phone
// at night: plain HTML forms that work without JavaScript (the KBLI search is a submit button;
// kelurahan are grouped by kecamatan in one select), Indonesian first (?lang=en), small inline
// CSS. /daftar-usaha.js, when it runs, searches KBLI as the owner types and narrows the kelurahan
// by kecamatan. Neither page is indexed, cached or sends a Referer (the status link is a key).

const tokenPattern = /^[A-Za-z0-9_-]{16,64}$/;

const css = `*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#2b2118;background:#faf6f0;line-height:1.5;font-size:16px}
a{color:#7a4a1c}
header,main,footer{max-width:560px;margin:0 auto;padding:12px 16px}
.top{display:flex;justify-content:space-between;align-items:center;gap:12px;border-bottom:1px solid #e8dccb}
.brand{font-weight:800;font-size:1.25rem;color:#5b3512}
h1{font-size:1.35rem;margin:.5rem 0}
h2{font-size:1.1rem;margin:1rem 0 .25rem}
.card{background:#fff;border-radius:12px;padding:16px;box-shadow:0 1px 3px rgba(0,0,0,.12);margin:12px 0}
.muted{color:#6b5b4b;font-size:.9rem;margin:0}
form{display:grid;gap:14px}
label,legend{font-weight:600;display:block;margin-bottom:4px}
.hint{font-size:.85rem;color:#6b5b4b;margin:4px 0 0}
.issue{font-size:.9rem;color:#7a1f12;margin:4px 0 0;font-weight:600}
input[type=text],input[type=tel],input[type=date],input[type=number],input[type=file],select,textarea{font:inherit;font-size:1.05rem;padding:10px;border:1px solid #c9b59b;border-radius:8px;width:100%;background:#fff;color:inherit}
[aria-invalid=true]{border-color:#b3261e;border-width:2px}
fieldset{border:1px solid #e8dccb;border-radius:8px;padding:8px 12px;margin:0;display:grid;gap:14px}
.choices{display:flex;gap:18px;flex-wrap:wrap}
.choice{display:flex;gap:8px;align-items:center;font-weight:400;margin:0}
.choice input,.check input{width:22px;height:22px;flex:none}
.check{display:flex;gap:10px;align-items:flex-start;font-weight:400}
.row{display:flex;gap:8px}
.row input{flex:1}
.row button{width:auto;padding:10px 16px}
button{font:inherit;font-weight:700;padding:14px;border:0;border-radius:8px;width:100%;background:#5b3512;color:#fff}
button.secondary{background:#e8dccb;color:#2b2118}
.alert{background:#fdecea;color:#7a1f12;border-radius:8px;padding:12px;margin:12px 0}
.ok{background:#d9f2e3;color:#14532d;border-radius:8px;padding:12px;margin:12px 0}
.status{display:inline-block;font-weight:800;font-size:1.15rem;padding:6px 12px;border-radius:999px;background:#fff3cd;color:#6b4e00}
.s-terverifikasi{background:#d9f2e3;color:#14532d}
.s-ditolak,.s-perlu_perbaikan{background:#f1e4e4;color:#6b1f1f}
footer{color:#6b5b4b;font-size:.8rem;border-top:1px solid #e8dccb;margin-top:16px}`;

const navOf = (request: FastifyRequest): PageNav => pageNavOf(request, 'registration');

function Document(props: {
  nav: PageNav;
  title: string;
  path: string;
  script?: boolean;
  children: ReactNode;
}) {
  const { nav, title, path, script, children } = props;
  const texts = { platform: nav.t('platform'), language: nav.t('language'), footer: nav.t('footer') };
  return (
    <PublicFormPage
      nav={nav}
      title={title}
      path={path}
      texts={texts}
      css={css}
      head={script ? <script src="/daftar-usaha.js" defer /> : null}
    >
      {children}
    </PublicFormPage>
  );
}

type Kecamatan = { code: string; name: string; villages: { code: string; name: string }[] };

export type FormView = {
  values: RegistrationDraft & { kbliQuery: string; consent: string; confirmed: string };
  issues: FieldIssue[];
  error: string | null;
  kbliMatches: { code: string; title: string }[] | null;
  needsConfirm: boolean;
};

export const emptyDraft = (): FormView['values'] => ({
  ...(Object.fromEntries(draftFields.map((f) => [f, ''])) as RegistrationDraft),
  kbliQuery: '',
  consent: '',
  confirmed: '',
});

function Issue({ nav, view, field }: { nav: PageNav; view: FormView; field: DraftField }) {
  const issue = view.issues.find((i) => i.field === field);
  if (!issue) return null;
  return (
    <p className="issue" id={`${field}-issue`} data-issue={issue.code}>
      {nav.t(`issues.${issue.code}`, { defaultValue: nav.t('issues.default') })}
    </p>
  );
}

function TextField(props: {
  nav: PageNav;
  view: FormView;
  field: DraftField;
  type?: 'text' | 'tel' | 'date' | 'number';
  hint?: string;
  inputMode?: 'numeric' | 'tel' | 'text';
  maxLength?: number;
  required?: boolean;
  autoComplete?: string;
}) {
  const { nav, view, field } = props;
  const invalid = view.issues.some((i) => i.field === field);
  return (
    <div>
      <label htmlFor={field}>{nav.t(`form.${field}`)}</label>
      <input
        id={field}
        name={field}
        type={props.type ?? 'text'}
        inputMode={props.inputMode}
        maxLength={props.maxLength ?? 200}
        required={props.required}
        autoComplete={props.autoComplete ?? 'off'}
        defaultValue={view.values[field]}
        aria-invalid={invalid ? true : undefined}
        {...(props.type === 'number' ? { min: 0, step: 1 } : {})}
      />
      {props.hint ? <p className="hint">{props.hint}</p> : null}
      <Issue nav={nav} view={view} field={field} />
    </div>
  );
}

function RegistrationForm(props: {
  nav: PageNav;
  view: FormView;
  action: string;
  kecamatan: Kecamatan[];
  fixing: { maskedNik: string } | null;
}) {
  const { nav, view, action, kecamatan, fixing } = props;
  const { t } = nav;
  const v = view.values;
  return (
    <form method="post" action={action} encType="multipart/form-data" id="registration">
      <fieldset>
        <legend>{t('form.owner')}</legend>
        {/* A correction keeps the registered NIK: the page never carries it. */}
        {fixing ? null : (
          <TextField
            nav={nav}
            view={view}
            field="nik"
            inputMode="numeric"
            maxLength={24}
            required
            hint={t('form.nikHint')}
          />
        )}
        <TextField nav={nav} view={view} field="name" required autoComplete="name" />
        <div>
          <span className="legend">
            <label htmlFor="sex-L">{t('form.sex')}</label>
          </span>
          <div className="choices">
            {(['L', 'P'] as const).map((sex) => (
              <label className="choice" key={sex}>
                <input
                  type="radio"
                  name="sex"
                  id={`sex-${sex}`}
                  value={sex}
                  defaultChecked={v.sex === sex}
                  required
                />
                {t(`form.sex${sex}`)}
              </label>
            ))}
          </div>
          <Issue nav={nav} view={view} field="sex" />
        </div>
        <TextField nav={nav} view={view} field="birthDate" type="date" required />
        <TextField
          nav={nav}
          view={view}
          field="phone"
          type="tel"
          inputMode="tel"
          maxLength={30}
          required
          autoComplete="tel"
          hint={t('form.phoneHint')}
        />
        <TextField nav={nav} view={view} field="address" maxLength={500} required />
        <div>
          <label htmlFor="regionCode">{t('form.regionCode')}</label>
          <select
            id="regionCode"
            name="regionCode"
            required
            defaultValue={v.regionCode}
            aria-invalid={view.issues.some((i) => i.field === 'regionCode') ? true : undefined}
            data-all-label={t('form.allKecamatan')}
            data-filter-label={t('form.kecamatanFilter')}
          >
            <option value="">{t('form.choose')}</option>
            {kecamatan.map((k) => (
              <optgroup label={k.name} key={k.code} data-code={k.code}>
                {k.villages.map((village) => (
                  <option value={village.code} key={village.code}>
                    {village.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          <p className="hint">{t('form.regionHint')}</p>
          <Issue nav={nav} view={view} field="regionCode" />
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('form.business')}</legend>
        <TextField nav={nav} view={view} field="businessName" required />
        <div>
          <label htmlFor="kbliQuery">{t('form.kbliQuery')}</label>
          <div className="row">
            <input id="kbliQuery" name="kbliQuery" type="text" maxLength={100} defaultValue={v.kbliQuery} />
            <button type="submit" name="action" value="search" className="secondary" formNoValidate>
              {t('form.search')}
            </button>
          </div>
          <p className="hint">{t('form.kbliQueryHint')}</p>
        </div>
        <div>
          <label htmlFor="kbli">{t('form.kbli')}</label>
          <select
            id="kbli"
            name="kbli"
            defaultValue={v.kbli}
            aria-invalid={view.issues.some((i) => i.field === 'kbli') ? true : undefined}
          >
            <option value="">{t('form.kbliNone')}</option>
            {(view.kbliMatches ?? []).map((k) => (
              <option value={k.code} key={k.code}>
                {k.code} · {k.title}
              </option>
            ))}
          </select>
          {view.kbliMatches !== null && view.kbliMatches.length === 0 ? (
            <p className="hint" data-testid="kbli-no-match">
              {t('form.kbliNoMatch')}
            </p>
          ) : null}
          <Issue nav={nav} view={view} field="kbli" />
        </div>
        <TextField
          nav={nav}
          view={view}
          field="annualTurnover"
          type="number"
          inputMode="numeric"
          maxLength={16}
          hint={t('form.annualTurnoverHint')}
        />
        <TextField nav={nav} view={view} field="workers" type="number" inputMode="numeric" maxLength={7} />
        <div>
          <span className="legend">
            <label htmlFor="covid-ya">{t('form.covidImpacted')}</label>
          </span>
          <div className="choices">
            {(['ya', 'tidak'] as const).map((answer) => (
              <label className="choice" key={answer}>
                <input
                  type="radio"
                  name="covidImpacted"
                  id={`covid-${answer}`}
                  value={answer}
                  defaultChecked={v.covidImpacted === answer}
                />
                {t(answer === 'ya' ? 'form.yes' : 'form.no')}
              </label>
            ))}
          </div>
          <Issue nav={nav} view={view} field="covidImpacted" />
        </div>
        <div>
          <label htmlFor="photo">{t('form.photo')}</label>
          <input
            id="photo"
            name="photo"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            capture="environment"
          />
          <p className="hint">{t('form.photoHint')}</p>
        </div>
      </fieldset>
      {fixing ? null : (
        <label className="check">
          <input type="checkbox" name="consent" value="yes" defaultChecked={v.consent === 'yes'} required />
          <span>{t('form.consent')}</span>
        </label>
      )}
      {view.needsConfirm ? (
        <label className="check">
          <input type="checkbox" name="confirmed" value="yes" />
          <span>{t('form.confirm')}</span>
        </label>
      ) : null}
      <button type="submit" name="action" value="send">
        {fixing ? t('status.fixSubmit') : t('form.submit')}
      </button>
      <p className="hint">{t('form.privacy')}</p>
    </form>
  );
}

function ErrorAlert({ nav, error }: { nav: PageNav; error: string | null }) {
  if (!error) return null;
  return (
    <div className="alert" role="alert" data-error={error}>
      {nav.t(`errors.${error}`, { defaultValue: nav.t('errors.default') })}
    </div>
  );
}

function StatusView(props: {
  nav: PageNav;
  status: PublicRegistrationStatus;
  path: string;
  kecamatan: Kecamatan[];
  view: FormView | null;
  fixed: boolean;
  timeZone: string;
}) {
  const { nav, status, path, kecamatan, view, fixed, timeZone } = props;
  const { t } = nav;
  return (
    <>
      <h1>{t('status.title')}</h1>
      {fixed ? (
        <div className="ok" role="status">
          {t('status.fixed')}
        </div>
      ) : null}
      <div className="card">
        <p className="muted">{t('status.business')}</p>
        <p>
          <strong>{status.businessName}</strong>
        </p>
        <p className="muted">
          {t('status.registeredAt', { date: formatPageDate(nav.lang, status.createdAt, timeZone) })}
        </p>
      </div>
      <div className="card">
        <p className="muted">{t('status.current')}</p>
        <p>
          <span className={`status s-${status.status}`} data-status={status.status}>
            {t(`statuses.${status.status}`)}
          </span>
        </p>
        <p>{t(`statusHelp.${status.status}`)}</p>
        {status.officerNote ? (
          <>
            <h2>{t('status.note')}</h2>
            <p data-testid="officer-note">{status.officerNote}</p>
          </>
        ) : null}
      </div>
      {status.status === 'perlu_perbaikan' && view ? (
        <>
          <h2>{t('status.fixTitle')}</h2>
          <p className="muted">{t('status.fixLead', { nik: status.maskedNik })}</p>
          <ErrorAlert nav={nav} error={view.error} />
          <RegistrationForm
            nav={nav}
            view={view}
            action={withLang(nav, path)}
            kecamatan={kecamatan}
            fixing={{ maskedNik: status.maskedNik }}
          />
        </>
      ) : null}
      <p className="hint">{t('status.keepLink')}</p>
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

async function kecamatanOfOffice(app: FastifyInstance): Promise<Kecamatan[]> {
  const kabkota = await settingsRegionCode(app.ctx);
  return app.ctx.regions.children(kabkota).map((k) => ({
    code: k.code,
    name: k.name,
    villages: app.ctx.regions.children(k.code).map((v) => ({ code: v.code, name: v.name })),
  }));
}

// The form's fields and its photo, from a multipart body (the form's) or a url-encoded one. A
// photo over the limit or of another type is reported, not stored.
type Posted = {
  fields: Record<string, string>;
  photo: Photo | null;
  photoError: { code: string; status: number } | null;
};

async function readPosted(request: FastifyRequest): Promise<Posted> {
  const fields: Record<string, string> = {};
  let photo: Photo | null = null;
  let photoError: Posted['photoError'] = null;
  if (!request.isMultipart()) {
    for (const [key, value] of Object.entries((request.body ?? {}) as Record<string, unknown>))
      if (typeof value === 'string') fields[key] = value.slice(0, 1000);
    return { fields, photo, photoError };
  }
  const parts = request.parts({
    limits: { fields: 40, fieldSize: 2000, files: 1, fileSize: 3 * 1024 * 1024 },
  });
  for await (const part of parts) {
    if (part.type === 'file') {
      try {
        const data = await part.toBuffer();
        if (part.fieldname === 'photo' && data.length > 0) photo = checkPhoto(data);
      } catch (error) {
        photoError =
          error instanceof AppError
            ? { code: error.code, status: error.status }
            : { code: 'photo_too_large', status: 413 };
      }
    } else if (typeof part.value === 'string') {
      fields[part.fieldname] = part.value.slice(0, 1000);
    }
  }
  return { fields, photo, photoError };
}

function valuesOf(fields: Record<string, string>): FormView['values'] {
  const values = emptyDraft();
  for (const key of Object.keys(values) as (keyof FormView['values'])[])
    values[key] = (fields[key] ?? '').trim().slice(0, key === 'address' ? 500 : 200);
  return values;
}

// What the KBLI select offers: the matches of the words typed, or the chosen code alone.
function kbliChoices(app: FastifyInstance, values: FormView['values']) {
  if (values.kbliQuery) return searchKbliTitles(app.ctx, values.kbliQuery);
  const chosen = values.kbli ? app.ctx.kbli.get(values.kbli) : undefined;
  return chosen ? [{ code: chosen.code, title: chosen.title }] : null;
}

export function registrationPages(limits: RegistrationLimits): FastifyPluginAsync {
  return async (app) => {
    const formPage = (
      reply: FastifyReply,
      nav: PageNav,
      view: FormView,
      kecamatan: Kecamatan[],
      status = 200,
    ) =>
      send(
        reply,
        status,
        <Document nav={nav} title={nav.t('form.title')} path="/daftar-usaha" script>
          <h1>{nav.t('form.title')}</h1>
          <p className="muted">{nav.t('form.lead')}</p>
          <ErrorAlert nav={nav} error={view.error} />
          <RegistrationForm
            nav={nav}
            view={view}
            action={withLang(nav, '/daftar-usaha')}
            kecamatan={kecamatan}
            fixing={null}
          />
        </Document>,
      );

    app.get('/daftar-usaha', { schema: { hide: true } }, async (request, reply) => {
      const view: FormView = {
        values: emptyDraft(),
        issues: [],
        error: null,
        kbliMatches: null,
        needsConfirm: false,
      };
      return formPage(reply, navOf(request), view, await kecamatanOfOffice(app));
    });

    app.post('/daftar-usaha', { schema: { hide: true } }, async (request, reply) => {
      const nav = navOf(request);
      const kecamatan = await kecamatanOfOffice(app);
      const posted = await readPosted(request);
      const values = valuesOf(posted.fields);
      const view: FormView = {
        values,
        issues: [],
        error: null,
        kbliMatches: kbliChoices(app, values),
        needsConfirm: false,
      };
      // "Cari": the same page again, with the KBLI codes that match the words typed.
      if (posted.fields.action === 'search') return formPage(reply, nav, view, kecamatan);
      try {
        await limits.check(request, reply, values.nik);
        if (posted.photoError)
          return formPage(
            reply,
            nav,
            { ...view, error: posted.photoError.code },
            kecamatan,
            posted.photoError.status,
          );
        const checked = await checkDraft(app.ctx, values, null);
        if (!checked.ok)
          return formPage(
            reply,
            nav,
            { ...view, issues: checked.errors, error: 'registration_invalid' },
            kecamatan,
            422,
          );
        if (values.consent !== 'yes')
          return formPage(reply, nav, { ...view, error: 'consent_required' }, kecamatan, 422);
        const doubtful = checked.warnings.filter((w) => confirmableWarnings.has(w.code));
        if (doubtful.length > 0 && values.confirmed !== 'yes')
          return formPage(
            reply,
            nav,
            { ...view, issues: doubtful, error: 'confirm_required', needsConfirm: true },
            kecamatan,
            422,
          );
        const { statusPath } = await registerInPublic(
          app.ctx,
          checked.record,
          checked.warnings,
          posted.photo,
        );
        // Post/redirect/get: reloading the status page never sends the form again.
        return reply.header('cache-control', 'no-store').redirect(withLang(nav, statusPath), 303);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        return formPage(reply, nav, { ...view, error: error.code }, kecamatan, error.status);
      }
    });

    const statusPage = async (
      request: FastifyRequest<{ Params: { token: string } }>,
      reply: FastifyReply,
      outcome: { view: FormView | null; fixed: boolean; status: number },
    ) => {
      const nav = navOf(request);
      const { token } = request.params;
      const path = `/daftar-usaha/status/${encodeURIComponent(token)}`;
      const status = tokenPattern.test(token) ? await getPublicRegistration(app.ctx, token) : null;
      if (!status)
        return send(
          reply,
          404,
          <Document nav={nav} title={nav.t('notFound.title')} path={path}>
            <div className="card">
              <h1>{nav.t('notFound.title')}</h1>
              <p>{nav.t('notFound.body')}</p>
            </div>
          </Document>,
        );
      const view: FormView | null =
        status.status !== 'perlu_perbaikan'
          ? null
          : (outcome.view ?? {
              values: { ...emptyDraft(), ...status.draft },
              issues: [],
              error: null,
              kbliMatches: kbliChoices(app, { ...emptyDraft(), ...status.draft }),
              needsConfirm: false,
            });
      const timeZone = await getOfficeTimeZone(app.ctx);
      return send(
        reply,
        outcome.status,
        <Document nav={nav} title={nav.t('status.title')} path={path} script={view !== null}>
          <StatusView
            nav={nav}
            status={status}
            path={path}
            kecamatan={view ? await kecamatanOfOffice(app) : []}
            view={view}
            fixed={outcome.fixed}
            timeZone={timeZone}
          />
        </Document>,
      );
    };

    app.get<{ Params: { token: string }; Querystring: { fixed?: string } }>(
      '/daftar-usaha/status/:token',
      { schema: { hide: true } },
      async (request, reply) =>
        statusPage(request, reply, { view: null, fixed: request.query.fixed === '1', status: 200 }),
    );

    // The owner's correction, from the status link's form.
    app.post<{ Params: { token: string } }>(
      '/daftar-usaha/status/:token',
      { schema: { hide: true } },
      async (request, reply) => {
        const nav = navOf(request);
        const { token } = request.params;
        const current = tokenPattern.test(token) ? await getPublicRegistration(app.ctx, token) : null;
        if (!current) return statusPage(request, reply, { view: null, fixed: false, status: 404 });
        const posted = await readPosted(request);
        // The NIK is the registration's: the form cannot change it.
        const values = { ...valuesOf(posted.fields), nik: current.draft.nik };
        const view: FormView = {
          values,
          issues: [],
          error: null,
          kbliMatches: kbliChoices(app, values),
          needsConfirm: false,
        };
        if (posted.fields.action === 'search')
          return statusPage(request, reply, { view, fixed: false, status: 200 });
        try {
          await limits.check(request, reply, current.draft.nik);
          if (posted.photoError)
            return statusPage(request, reply, {
              view: { ...view, error: posted.photoError.code },
              fixed: false,
              status: posted.photoError.status,
            });
          const checked = await checkDraft(app.ctx, values, null);
          if (!checked.ok)
            return statusPage(request, reply, {
              view: { ...view, issues: checked.errors, error: 'registration_invalid' },
              fixed: false,
              status: 422,
            });
          await fixRegistration(app.ctx, token, checked.record, checked.warnings, posted.photo);
          const path = `/daftar-usaha/status/${encodeURIComponent(token)}`;
          const to = nav.explicitLang ? `${path}?lang=${nav.explicitLang}&fixed=1` : `${path}?fixed=1`;
          return reply.header('cache-control', 'no-store').redirect(to, 303);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          return statusPage(request, reply, {
            view: { ...view, error: error.code },
            fixed: false,
            status: error.status,
          });
        }
      },
    );

    // The progressive enhancement: a file of its own (the pages allow scripts from this origin only).
    app.get('/daftar-usaha.js', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(enhancementScript),
    );
  };
}

// As the owner types what they make, the KBLI select fills with the matches (the "Cari" button
// still works); a kecamatan select above the kelurahan shows only that kecamatan's villages.
const enhancementScript = `(function () {
  var form = document.getElementById('registration');
  if (!form) return;
  var query = document.getElementById('kbliQuery');
  var select = document.getElementById('kbli');
  var timer = null;
  function fill(items) {
    var keep = select.value;
    while (select.options.length > 1) select.remove(1);
    items.forEach(function (item) {
      var option = document.createElement('option');
      option.value = item.code;
      option.textContent = item.code + ' \\u00b7 ' + item.title;
      select.appendChild(option);
    });
    var chosen = items.some(function (i) { return i.code === keep; });
    select.value = chosen ? keep : (items.length > 0 ? items[0].code : '');
  }
  if (query && select) {
    query.addEventListener('input', function () {
      clearTimeout(timer);
      var q = query.value.trim();
      if (q.length < 3) return;
      timer = setTimeout(function () {
        fetch('/api/v1/public/kbli?q=' + encodeURIComponent(q), { credentials: 'omit' })
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (body) { fill(body.items || []); })
          .catch(function () {});
      }, 250);
    });
    query.addEventListener('keydown', function (event) {
      if (event.key === 'Enter') event.preventDefault();
    });
  }
  var region = document.getElementById('regionCode');
  if (region) {
    var groups = Array.prototype.slice.call(region.querySelectorAll('optgroup'));
    var filter = document.createElement('select');
    filter.id = 'kecamatanFilter';
    filter.setAttribute('aria-label', region.getAttribute('data-filter-label') || '');
    var all = document.createElement('option');
    all.value = '';
    all.textContent = region.getAttribute('data-all-label') || '';
    filter.appendChild(all);
    groups.forEach(function (group) {
      var option = document.createElement('option');
      option.value = group.getAttribute('data-code');
      option.textContent = group.label;
      filter.appendChild(option);
    });
    filter.style.marginBottom = '8px';
    region.parentNode.insertBefore(filter, region);
    filter.addEventListener('change', function () {
      groups.forEach(function (group) {
        var shown = !filter.value || group.getAttribute('data-code') === filter.value;
        group.hidden = !shown;
        group.disabled = !shown;
      });
      var current = region.selectedOptions[0];
      if (current && current.parentNode.disabled) region.value = '';
    });
  }
})();
`;
