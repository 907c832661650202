import { Button, Card, Grid, Group, NumberInput, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Column, DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PagedFooter } from '../../components/PagedFooter';
import { formatDateTime, formatNumber } from '../../lib/format';
import type { Application, Program } from '../../lib/types';
import { useAuth } from '../auth/auth';
import { useApplicationsQuery, useFeedbackQuery, useSaveScores } from './queries';

// The program's ratings (given by participants from their status link) and the pre/post test
// scores, which the officer enters here per participant.

const show = (v: number | null) => (v === null ? '–' : formatNumber(v));

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div data-testid={testId}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} fz="lg">
        {value}
      </Text>
    </div>
  );
}

function ScoreRow({ programId, application }: { programId: string; application: Application }) {
  const { t } = useTranslation();
  const [pre, setPre] = useState<number | string>(application.preTestScore ?? '');
  const [post, setPost] = useState<number | string>(application.postTestScore ?? '');
  const save = useSaveScores(programId);
  const value = (v: number | string) => (v === '' ? null : Number(v));
  const changed =
    value(pre) !== (application.preTestScore ?? null) || value(post) !== (application.postTestScore ?? null);
  return (
    <Stack gap={4}>
      <Group gap="xs" wrap="nowrap" align="flex-end">
        <NumberInput
          label={t('feedback.pre')}
          min={0}
          max={100}
          clampBehavior="strict"
          allowDecimal={false}
          value={pre}
          onChange={setPre}
          w={90}
          size="xs"
        />
        <NumberInput
          label={t('feedback.post')}
          min={0}
          max={100}
          clampBehavior="strict"
          allowDecimal={false}
          value={post}
          onChange={setPost}
          w={90}
          size="xs"
        />
        <Button
          size="xs"
          variant="light"
          disabled={!changed}
          loading={save.isPending}
          onClick={() =>
            save.mutate({
              applicationId: application.id,
              preTestScore: value(pre),
              postTestScore: value(post),
            })
          }
        >
          {t('feedback.save')}
        </Button>
      </Group>
      <ErrorAlert error={save.error} />
    </Stack>
  );
}

export function FeedbackTab({ program }: { program: Program }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const feedback = useFeedbackQuery(program.id);
  const participants = useApplicationsQuery(can('recordAttendance') ? program.id : null, { limit: 100 });
  const rows = participants.items.filter((a) => a.status === 'enrolled' || a.status === 'completed');
  const f = feedback.data;
  const columns: Column<Application>[] = [
    {
      key: 'business',
      header: t('feedback.participant'),
      primary: true,
      render: (a) => (
        <div>
          <Text fw={600} size="sm" className="break-anywhere">
            {a.business.name}
          </Text>
          <Text size="xs" c="dimmed">
            {a.business.ownerName}
          </Text>
        </div>
      ),
    },
    {
      key: 'scores',
      header: t('feedback.scores'),
      render: (a) => <ScoreRow key={a.id} programId={program.id} application={a} />,
    },
  ];
  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Card withBorder radius="md" padding="md">
          <Title order={3} size="h5" mb="sm">
            {t('feedback.title')}
          </Title>
          <ErrorAlert error={feedback.error} onRetry={feedback.refetch} />
          {feedback.isPending && <Loading />}
          {f && (
            <Stack gap="md">
              <SimpleGrid cols={2} spacing="sm">
                <Figure
                  label={t('feedback.rating')}
                  value={f.ratingAverage === null ? '–' : `${formatNumber(f.ratingAverage)} / 5`}
                  testId="feedback-rating"
                />
                <Figure label={t('feedback.ratingCount')} value={formatNumber(f.ratingCount)} />
                <Figure label={t('feedback.preAverage')} value={show(f.preTestAverage)} />
                <Figure label={t('feedback.postAverage')} value={show(f.postTestAverage)} />
                <Figure
                  label={t('feedback.gain')}
                  value={f.gain === null ? '–' : `${f.gain > 0 ? '+' : ''}${formatNumber(f.gain)}`}
                />
                <Figure label={t('feedback.scored')} value={formatNumber(f.scored)} />
              </SimpleGrid>
              <div>
                <Text fw={600} size="sm" mb={4}>
                  {t('feedback.remarks')}
                </Text>
                {f.remarks.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    {t('feedback.noRemarks')}
                  </Text>
                ) : (
                  <Stack gap="xs">
                    {f.remarks.map((r, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: remarks carry no id and are shown once, in order
                      <Card key={i} withBorder padding="xs" radius="sm">
                        <Text size="sm">“{r.remark}”</Text>
                        <Text size="xs" c="dimmed">
                          {'★'.repeat(r.rating)} · {formatDateTime(r.at)}
                        </Text>
                      </Card>
                    ))}
                  </Stack>
                )}
              </div>
              <Text size="xs" c="dimmed">
                {t('feedback.howToRate')}
              </Text>
            </Stack>
          )}
        </Card>
      </Grid.Col>
      {can('recordAttendance') && (
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder radius="md" padding="md">
            <Title order={3} size="h5" mb="sm">
              {t('feedback.scoresTitle')}
            </Title>
            <ErrorAlert error={participants.error} />
            <DataTable
              rows={rows}
              columns={columns}
              rowKey={(a) => a.id}
              empty={t('feedback.noParticipants')}
            />
            {participants.items.length > 0 && <PagedFooter list={participants} label={t('feedback.more')} />}
          </Card>
        </Grid.Col>
      )}
    </Grid>
  );
}
