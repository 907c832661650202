import { Alert, Anchor, Badge, Button, Group, Progress, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCertificate, IconFileTypePdf } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { type Column, DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { currentLanguage } from '../../lib/i18n';
import type { Completion, Program } from '../../lib/types';
import { useAuth } from '../auth/auth';
import { useCompletionQuery, useIssueCertificates } from './queries';

type Row = Completion['items'][number];

export function CompletionTab({ program }: { program: Program }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { data, error, isPending, refetch } = useCompletionQuery(program.id);
  const issuing = useIssueCertificates(program.id);
  const lang = currentLanguage();

  const issue = () =>
    issuing.mutate(undefined, {
      onSuccess: (result) =>
        notifications.show({
          color: 'teal',
          title: t('completion.issuedTitle'),
          message: t('completion.issued', { issued: result.issued, completed: result.completed }),
        }),
    });

  if (isPending) return <Loading />;
  if (!data) return <ErrorAlert error={error} onRetry={refetch} />;

  const passing = data.items.filter((i) => i.completed).length;
  const pending = data.items.filter((i) => i.completed && !i.certificateCode).length;

  const columns: Column<Row>[] = [
    {
      key: 'name',
      header: t('applications.business'),
      primary: true,
      render: (r) => (
        <div>
          <Text fw={600} size="sm" className="break-anywhere">
            {r.ownerName}
          </Text>
          <Text size="xs" c="dimmed">
            {r.businessName}
          </Text>
        </div>
      ),
    },
    {
      key: 'attended',
      nowrap: true,
      header: t('completion.attended'),
      align: 'right',
      render: (r) => (
        <Group gap="xs" wrap="nowrap" justify="flex-end">
          <Progress
            value={Math.round(r.ratio * 100)}
            w={70}
            size="sm"
            color={r.completed ? 'teal' : 'orange'}
            aria-hidden
          />
          <Text size="sm" className="nowrap">
            {t('completion.ofSessions', { attended: r.attended, sessions: data.sessions })}
          </Text>
        </Group>
      ),
    },
    {
      key: 'result',
      nowrap: true,
      header: t('completion.result'),
      render: (r) =>
        r.completed ? (
          <Badge color="teal" variant="light">
            {t('completion.passed')}
          </Badge>
        ) : (
          <Badge color="orange" variant="light">
            {t('completion.notYet')}
          </Badge>
        ),
    },
    {
      key: 'certificate',
      nowrap: true,
      header: t('business.certificate'),
      align: 'right',
      render: (r) =>
        r.certificateCode ? (
          <Group gap="sm" justify="flex-end" wrap="wrap">
            <Anchor
              href={`/sertifikat/${r.certificateCode}?lang=${lang}`}
              target="_blank"
              size="sm"
              data-testid="certificate-link"
            >
              <Group gap={4} wrap="nowrap">
                <IconCertificate size={14} />
                {r.certificateCode}
              </Group>
            </Anchor>
            <Anchor href={`/api/v1/certificates/${r.certificateCode}/pdf`} target="_blank" size="sm">
              <Group gap={4} wrap="nowrap">
                <IconFileTypePdf size={14} />
                PDF
              </Group>
            </Anchor>
          </Group>
        ) : (
          '–'
        ),
    },
  ];

  return (
    <Stack gap="sm">
      <Alert variant="light" color="pulih">
        <Text size="sm">
          {t('completion.rule', {
            percent: Math.round(data.minAttendanceRatio * 100),
            sessions: data.sessions,
          })}
        </Text>
        <Text size="sm" fw={600} data-testid="completion-summary">
          {t('completion.summary', { passing, total: data.items.length })}
        </Text>
      </Alert>
      {can('issueCertificates') && (
        <Group>
          <Button
            leftSection={<IconCertificate size={16} />}
            onClick={issue}
            loading={issuing.isPending}
            disabled={pending === 0}
          >
            {t('completion.issue')}
          </Button>
          <Text size="sm" c="dimmed">
            {pending > 0 ? t('completion.pending', { count: pending }) : t('completion.nonePending')}
          </Text>
        </Group>
      )}
      <ErrorAlert error={issuing.error} />
      <DataTable rows={data.items} columns={columns} rowKey={(r) => r.applicationId} minWidth={720} />
    </Stack>
  );
}
