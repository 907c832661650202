import {
  Anchor,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  Select,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { complaintStatuses } from '../../../../src/modules/complaints/complaints.schema';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, formatDateTime } from '../../lib/format';
import {
  type ComplaintFull,
  useAddComplaintNote,
  useComplaintOfficersQuery,
  useComplaintQuery,
  useUpdateComplaint,
} from './queries';
import { statusColor } from './status';

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{children}</Text>
    </div>
  );
}

function Handling({ complaint }: { complaint: ComplaintFull }) {
  const { t } = useTranslation('complaints');
  const update = useUpdateComplaint(complaint.id);
  const officers = useComplaintOfficersQuery();
  const [answer, setAnswer] = useState(complaint.answer ?? '');
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Select
          label={t('detail.assign')}
          placeholder={t('list.unassigned')}
          searchable
          data={(officers.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
          value={complaint.assignedTo}
          onChange={(v) => update.mutate({ assignedTo: v ?? null })}
          data-testid="complaint-assign"
        />
        <Select
          label={t('detail.changeStatus')}
          allowDeselect={false}
          data={complaintStatuses.map((s) => ({ value: s, label: t(`statuses.${s}`) }))}
          value={complaint.status}
          onChange={(v) => v && v !== complaint.status && update.mutate({ status: v as 'baru' })}
        />
        <Textarea
          label={t('detail.answer')}
          description={t('detail.answerHint')}
          autosize
          minRows={3}
          value={answer}
          onChange={(e) => setAnswer(e.currentTarget.value)}
        />
        <Group>
          <Button
            onClick={() => update.mutate({ answer: answer.trim() })}
            loading={update.isPending}
            disabled={answer.trim().length < 3 || answer.trim() === complaint.answer}
          >
            {t('detail.sendAnswer')}
          </Button>
        </Group>
        <ErrorAlert error={update.error} />
      </Stack>
    </Card>
  );
}

function Notes({ complaint }: { complaint: ComplaintFull }) {
  const { t } = useTranslation('complaints');
  const add = useAddComplaintNote(complaint.id);
  const [text, setText] = useState('');
  return (
    <Card withBorder>
      <Title order={3} size="h5">
        {t('detail.notes')}
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {t('detail.notesHint')}
      </Text>
      <Stack gap="xs">
        {complaint.notes.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('detail.noNotes')}
          </Text>
        )}
        {complaint.notes.map((n) => (
          <div key={n.id}>
            <Text size="xs" c="dimmed">
              {n.authorName} · {formatDateTime(n.createdAt)}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {n.text}
            </Text>
          </div>
        ))}
        <Textarea autosize minRows={2} value={text} onChange={(e) => setText(e.currentTarget.value)} />
        <Group>
          <Button
            variant="light"
            disabled={!text.trim()}
            loading={add.isPending}
            onClick={() => add.mutate(text.trim(), { onSuccess: () => setText('') })}
          >
            {t('detail.addNote')}
          </Button>
        </Group>
        <ErrorAlert error={add.error} />
      </Stack>
    </Card>
  );
}

export function ComplaintPage() {
  const { t } = useTranslation('complaints');
  const { id } = useParams();
  const { data: c, error, isPending, refetch } = useComplaintQuery(id);
  return (
    <>
      <PageHeader
        title={t('detail.title', { code: c?.code ?? '' })}
        actions={
          <Button variant="default" component={Link} to="/complaints">
            {t('detail.back')}
          </Button>
        }
      />
      <ErrorAlert error={error} onRetry={refetch} />
      {isPending && <Loading />}
      {c && (
        <Grid>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Stack gap="sm">
              <Card withBorder>
                <Group justify="space-between" mb="xs">
                  <Badge color={statusColor[c.status]} size="lg">
                    {t(`statuses.${c.status}`)}
                  </Badge>
                  {c.overdue && <Badge color="red">{t('list.overdue')}</Badge>}
                </Group>
                <Stack gap={6}>
                  <Field label={t('list.name')}>{c.name}</Field>
                  <Field label={t('detail.phone')}>{c.phone ?? '–'}</Field>
                  <Field label={t('detail.channel')}>{t(`channels.${c.channel}`)}</Field>
                  <Field label={t('detail.received')}>{formatDateTime(c.createdAt)}</Field>
                  <Field label={t('detail.due')}>{formatDate(c.dueDate)}</Field>
                  {c.programName && <Field label={t('detail.program')}>{c.programName}</Field>}
                  {c.businessId && (
                    <Field label={t('detail.business')}>
                      <Anchor component={Link} to={`/registry/${c.businessId}`}>
                        {c.businessName}
                      </Anchor>
                    </Field>
                  )}
                  {c.laporRef && <Field label={t('detail.laporRef')}>{c.laporRef}</Field>}
                  <Field label={t('detail.message')}>
                    <span style={{ whiteSpace: 'pre-wrap' }} data-testid="complaint-message">
                      {c.message}
                    </span>
                  </Field>
                  <Anchor href={`/pengaduan/${c.code}`} target="_blank" size="sm">
                    {t('detail.publicPage')}
                  </Anchor>
                </Stack>
              </Card>
              {c.messages.length > 0 && (
                <Card withBorder>
                  <Title order={3} size="h5" mb="xs">
                    {t('detail.messages')}
                  </Title>
                  {c.messages.map((m) => (
                    <Group key={`${m.channel}-${m.createdAt}`} justify="space-between" gap="xs">
                      <Text size="sm">
                        {m.channel} · {t(`detail.messageStatus.${m.status}`)} · {formatDateTime(m.createdAt)}
                      </Text>
                      {m.clickToChatUrl && (
                        <Button
                          size="xs"
                          variant="light"
                          component="a"
                          href={m.clickToChatUrl}
                          target="_blank"
                          rel="noopener noreferrer"
                        >
                          {t('detail.sendByHand')}
                        </Button>
                      )}
                    </Group>
                  ))}
                </Card>
              )}
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Stack gap="sm">
              <Handling key={c.updatedAt} complaint={c} />
              <Notes complaint={c} />
            </Stack>
          </Grid.Col>
        </Grid>
      )}
    </>
  );
}
