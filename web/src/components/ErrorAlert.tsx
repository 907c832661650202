import { Alert, Button, List, Text } from '@mantine/core';
import { IconAlertTriangle, IconWifiOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../lib/api';

type Detail = { label: string; message: string; code?: string };

// Validation details come as [{path, message}] from the schema layer, or as
// {field, ...} from a service; show whichever is there.
export function readDetails(details: unknown): Detail[] {
  if (Array.isArray(details)) {
    return details.flatMap((d): Detail[] => {
      if (d && typeof d === 'object') {
        const o = d as Record<string, unknown>;
        const label = String(o.path ?? o.field ?? o.column ?? '').replace(/^body\./, '');
        const message = String(o.message ?? o.code ?? '');
        return message ? [{ label, message, code: typeof o.code === 'string' ? o.code : undefined }] : [];
      }
      return typeof d === 'string' ? [{ label: '', message: d }] : [];
    });
  }
  if (details && typeof details === 'object') {
    const o = details as Record<string, unknown>;
    if (typeof o.field === 'string') {
      // {field, issue: {code, message}} from a domain rule (NIK, phone), or {field, value}
      const issue = o.issue && typeof o.issue === 'object' ? (o.issue as Record<string, unknown>) : null;
      if (issue)
        return [{ label: o.field, message: String(issue.message ?? ''), code: String(issue.code ?? '') }];
      return [{ label: o.field, message: o.value === undefined ? '' : String(o.value) }];
    }
  }
  if (typeof details === 'string') return [{ label: '', message: details }];
  return [];
}

export function errorText(
  t: (key: string, options?: Record<string, unknown>) => string,
  error: ApiError,
): string {
  return t(`errors:${error.code}`, { defaultValue: error.message });
}

// Domain issue codes (nik_format, phone_invalid, ...) are translated; schema messages are shown as given.
export function detailText(
  t: (key: string, options?: Record<string, unknown>) => string,
  d: { message: string; code?: string },
): string {
  return d.code ? t(`errors:issue.${d.code}`, { defaultValue: d.message }) : d.message;
}

export function fieldLabel(
  t: (key: string, options?: Record<string, unknown>) => string,
  path: string,
): string {
  return path ? t(`fieldLabel.${path.replaceAll('.', '_')}`, { defaultValue: path }) : '';
}

export function ErrorAlert({ error, onRetry }: { error: ApiError | null; onRetry?: () => unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const details = readDetails(error.details);
  const offline = error.code === 'network_error';
  return (
    <Alert
      color={offline ? 'orange' : 'red'}
      variant="light"
      icon={offline ? <IconWifiOff size={18} /> : <IconAlertTriangle size={18} />}
      title={errorText(t, error)}
      role="alert"
    >
      {details.length > 0 && (
        <List size="sm" spacing={2}>
          {details
            .filter((d) => d.message || d.label)
            .map((d) => (
              <List.Item key={`${d.label}:${d.message}`}>
                {d.label ? (
                  <Text span fw={600} size="sm">
                    {fieldLabel(t, d.label)}
                    {d.message ? ': ' : ''}
                  </Text>
                ) : null}
                {detailText(t, d)}
              </List.Item>
            ))}
        </List>
      )}
      {onRetry && (
        <Button size="xs" variant="light" mt="xs" onClick={() => void onRetry()}>
          {t('common.retry')}
        </Button>
      )}
    </Alert>
  );
}

export function useFieldError(error: ApiError | null) {
  const { t } = useTranslation();
  return (field: string): string | undefined => {
    if (!error) return undefined;
    const hit = readDetails(error.details).find((d) => d.label === field);
    if (!hit) return undefined;
    return detailText(t, hit) || errorText(t, error);
  };
}
