import { Alert, Anchor, Badge, Button, Group, List, Modal, Progress, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCertificate, IconFileTypePdf, IconFileZip, IconIdBadge2 } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Column, DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { currentLanguage } from '../../lib/i18n';
import type { Completion, Program } from '../../lib/types';
import { useAuth } from '../auth/auth';
import { useCertificatePreviewQuery, useCompletionQuery, useIssueCertificates } from './queries';

// Before issuing: who gets a certificate and who does not, and why; then one confirmation.
function IssueConfirmation({
  programId,
  opened,
  onClose,
}: {
  programId: string;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { t: tt } = useTranslation('training');
  const preview = useCertificatePreviewQuery(programId, opened);
  const issuing = useIssueCertificates(programId);
  const data = preview.data;
  const receive = data?.items.filter((i) => i.outcome === 'issue') ?? [];
  const below = data?.items.filter((i) => i.outcome === 'below_rule') ?? [];
  const has = data?.items.filter((i) => i.outcome === 'has_certificate') ?? [];
  const percent = Math.round((data?.minAttendanceRatio ?? 0) * 100);
  const issue = () =>
    issuing.mutate(undefined, {
      onSuccess: (result) => {
        notifications.show({
          color: 'teal',
          title: t('completion.issuedTitle'),
          message: t('completion.issued', { issued: result.issued, completed: result.completed }),
        });
        onClose();
      },
    });
  return (
    <Modal opened={opened} onClose={onClose} title={tt('issueTitle')} size="lg" centered>
      {preview.isPending ? (
        <Loading />
      ) : !data ? (
        <ErrorAlert error={preview.error} onRetry={preview.refetch} />
      ) : (
        <Stack gap="sm" data-testid="issue-preview">
          <Text size="sm">{tt('issueLead')}</Text>
          {data.totalLessonHours !== null && (
            <Text size="sm" c="dimmed">
              {tt('totalJp', { count: data.totalLessonHours })}
            </Text>
          )}
          {!data.open && (
            <Alert color="orange" variant="light" data-testid="issue-not-open">
              {tt('notOpen', {
                when: data.lastSessionEndsAt ? new Date(data.lastSessionEndsAt).toLocaleString() : '',
              })}
            </Alert>
          )}
          <div>
            <Text fw={600} size="sm" c="teal.8">
              {tt('receives', { count: receive.length })}
            </Text>
            <List size="sm" spacing={2} data-testid="preview-receive">
              {receive.map((i) => (
                <List.Item key={i.applicationId}>
                  {i.ownerName} — {tt('attendedOf', { attended: i.attended, sessions: i.sessions })}
                </List.Item>
              ))}
            </List>
          </div>
          {below.length > 0 && (
            <div>
              <Text fw={600} size="sm" c="orange.8">
                {tt('notReceives', { count: below.length })}
              </Text>
              <List size="sm" spacing={2} data-testid="preview-below">
                {below.map((i) => (
                  <List.Item key={i.applicationId}>
                    {i.ownerName} — {tt('belowRule', { attended: i.attended, sessions: i.sessions, percent })}
                  </List.Item>
                ))}
              </List>
            </div>
          )}
          {has.length > 0 && (
            <Text size="sm" c="dimmed">
              {tt('hasCertificate', { count: has.length })}
            </Text>
          )}
          <ErrorAlert error={issuing.error} />
          <Button
            leftSection={<IconCertificate size={16} />}
            onClick={issue}
            loading={issuing.isPending}
            disabled={!data.open || receive.length === 0}
            data-testid="confirm-issue"
          >
            {receive.length > 0 ? tt('confirmIssue', { count: receive.length }) : tt('nothingToIssue')}
          </Button>
        </Stack>
      )}
    </Modal>
  );
}

type Row = Completion['items'][number];

export function CompletionTab({ program }: { program: Program }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { t: tt } = useTranslation('training');
  const { data, error, isPending, refetch } = useCompletionQuery(program.id);
  const [confirming, setConfirming] = useState(false);
  const lang = currentLanguage();

  if (isPending) return <Loading />;
  if (!data) return <ErrorAlert error={error} onRetry={refetch} />;

  const passing = data.items.filter((i) => i.completed).length;
  const pending = data.items.filter((i) => i.completed && !i.certificateStatus).length;
  const certified = data.items.filter((i) => i.certificateStatus === 'valid').length;

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
        r.certificateStatus === 'revoked' ? (
          <Badge color="red" variant="light">
            {tt('revoked')}
          </Badge>
        ) : r.completed || r.certificateCode ? (
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
      <Group gap="md" wrap="wrap" data-testid="class-documents">
        {can('recordAttendance') && (
          <Anchor href={`/api/v1/programs/${program.id}/invitation-cards.pdf`} target="_blank" size="sm">
            <Group gap={4} wrap="nowrap">
              <IconIdBadge2 size={14} />
              {tt('invitationCards')}
            </Group>
          </Anchor>
        )}
        {certified > 0 && (
          <>
            <Anchor
              href={`/api/v1/programs/${program.id}/certificates.pdf`}
              target="_blank"
              size="sm"
              data-testid="all-certificates-pdf"
            >
              <Group gap={4} wrap="nowrap">
                <IconFileTypePdf size={14} />
                {tt('allCertificatesPdf')}
              </Group>
            </Anchor>
            <Anchor
              href={`/api/v1/programs/${program.id}/certificates.zip`}
              size="sm"
              data-testid="all-certificates-zip"
            >
              <Group gap={4} wrap="nowrap">
                <IconFileZip size={14} />
                {tt('allCertificatesZip')}
              </Group>
            </Anchor>
          </>
        )}
      </Group>
      {can('issueCertificates') && (
        <Group>
          <Button
            leftSection={<IconCertificate size={16} />}
            onClick={() => setConfirming(true)}
            disabled={pending === 0}
            data-testid="issue-certificates"
          >
            {t('completion.issue')}
          </Button>
          <Text size="sm" c="dimmed">
            {pending > 0 ? t('completion.pending', { count: pending }) : t('completion.nonePending')}
          </Text>
        </Group>
      )}
      <IssueConfirmation programId={program.id} opened={confirming} onClose={() => setConfirming(false)} />
      <DataTable rows={data.items} columns={columns} rowKey={(r) => r.applicationId} minWidth={720} />
    </Stack>
  );
}
