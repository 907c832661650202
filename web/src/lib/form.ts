import { type UseFormReturnType, useForm } from '@mantine/form';
import type { TFunction } from 'i18next';
import { type FormEvent, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { readDetails } from '../components/ErrorAlert';
import type { ApiError } from './api';
import { formatNumber } from './format';

type Issue = z.core.$ZodIssue;

function valueAt(body: unknown, path: PropertyKey[]): unknown {
  let value = body;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

// A schema issue in the officer's words (web:validation.*), whatever the schema's own message.
export function issueText(t: TFunction, issue: Issue, value: unknown): string {
  // An empty field: '' or null as typed, NaN for a number not given.
  if (value === undefined || value === null || value === '' || Number.isNaN(value))
    return t('validation.required');
  switch (issue.code) {
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return t('validation.minLength', { count: min });
      if (issue.origin === 'number' || issue.origin === 'int')
        return issue.inclusive === false
          ? t('validation.above', { value: formatNumber(min) })
          : t('validation.min', { value: formatNumber(min) });
      return t('validation.invalid');
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return t('validation.maxLength', { count: max });
      if (issue.origin === 'number' || issue.origin === 'int')
        return t('validation.max', { value: formatNumber(max) });
      return t('validation.invalid');
    }
    case 'invalid_type':
      return issue.expected === 'int' ? t('validation.integer') : t('validation.invalid');
    case 'invalid_format':
      return issue.format === 'date' ? t('validation.date') : t('validation.format');
    case 'invalid_value':
      return t('validation.choice');
    default:
      return t('validation.invalid');
  }
}

type Options<Values, Schema extends z.ZodType> = {
  // The server's schema for the request body (src/modules/*/*.schema.ts).
  schema: Schema;
  initialValues: Values;
  // The form's values (strings as typed, '' for empty) as the body the API takes.
  toBody: (values: Values) => z.input<Schema>;
  // Where a body field is edited under another name in the form (regionCode → kelurahan).
  fields?: Record<string, string>;
  // Messages for the schema's own cross-field checks (refine), by form field.
  messages?: Record<string, string>;
  // 'uncontrolled': the inputs keep their own values (Mantine's uncontrolled mode), so React
  // never writes into them; for a form the server draws and the app takes over (sign-in).
  mode?: 'controlled' | 'uncontrolled';
};

export type SchemaForm<Values, Schema extends z.ZodType> = {
  form: UseFormReturnType<Values>;
  // Runs the checks, then `handler` with the body when they pass.
  onSubmit: (handler: (body: z.input<Schema>) => void) => (event?: FormEvent<HTMLFormElement>) => void;
  // The server's field errors (validation details) shown at their fields.
  showServerErrors: (error: ApiError) => void;
};

// @mantine/form checked by the same zod schema the server validates with: one rule, checked
// on the phone before sending and again by the server, with the messages translated here.
export function useSchemaForm<Values extends Record<string, unknown>, Schema extends z.ZodType>(
  options: Options<Values, Schema>,
): SchemaForm<Values, Schema> {
  const { t } = useTranslation();
  const latest = useRef(options);
  latest.current = options;
  const translate = useRef(t);
  translate.current = t;
  const fieldOf = (path: string) => latest.current.fields?.[path] ?? path;

  const form = useForm<Values>({
    mode: options.mode ?? 'controlled',
    initialValues: options.initialValues,
    validateInputOnBlur: true,
    validate: (values) => {
      const { schema, toBody, messages } = latest.current;
      const body = toBody(values);
      const result = schema.safeParse(body);
      const errors: Record<string, string> = {};
      if (result.success) return errors;
      for (const issue of result.error.issues) {
        const field = fieldOf(issue.path.map(String).join('.'));
        if (errors[field]) continue;
        errors[field] =
          (issue.code === 'custom' ? messages?.[field] : undefined) ??
          issueText(translate.current, issue, valueAt(body, issue.path));
      }
      return errors;
    },
  });

  return {
    form,
    onSubmit: (handler) => form.onSubmit((values) => handler(latest.current.toBody(values))),
    showServerErrors: (error) => {
      const errors: Record<string, string> = {};
      for (const detail of readDetails(error.details)) {
        if (!detail.label) continue;
        errors[fieldOf(detail.label)] = detail.code
          ? translate.current(`errors:issue.${detail.code}`, { defaultValue: detail.message })
          : detail.message;
      }
      if (Object.keys(errors).length > 0) form.setErrors(errors);
    },
  };
}
