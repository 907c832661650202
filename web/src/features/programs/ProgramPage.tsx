import {
  Badge,
  Button,
  Card,
  Collapse,
  Grid,
  Group,
  List,
  Progress,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { formatDateRange, formatNumber, percent } from '../../lib/format';
import type { Program } from '../../lib/types';
import { useAuth } from '../auth/auth';
import { FollowUpsTab } from '../outcomes/FollowUpsTab';
import { ActivityReportTab } from '../reports/ActivityReportTab';
import { CompletionTab } from '../training/CompletionTab';
import { SessionsTab } from '../training/SessionsTab';
import { ApplicantsTab } from './ApplicantsTab';
import { ApplyTab } from './ApplyTab';
import { EligibilityRule, RawRule } from './EligibilityRule';
import { FeedbackTab } from './FeedbackTab';
import { ProgramCardBody } from './ProgramsPage';
import { useArchiveProgram, useProgramQuery } from './queries';
import { SelectionPanel } from './SelectionPanel';
import { CopyWaveButton, WaveLinks } from './Waves';

const tabs = [
  'details',
  'applicants',
  'apply',
  'selection',
  'sessions',
  'completion',
  'feedback',
  'followUps',
  'report',
] as const;
type Tab = (typeof tabs)[number];

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500} component="div">
        {children}
      </Text>
    </div>
  );
}

function Details({ program }: { program: Program }) {
  const { t } = useTranslation();
  const [showRaw, { toggle }] = useDisclosure(false);
  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Card withBorder radius="md" padding="md">
          <Title order={3} size="h5" mb="xs">
            {t('program.eligibility')}
          </Title>
          <EligibilityRule clauses={program.eligibilityDescription} />
          <UnstyledButton onClick={toggle} mt="sm" aria-expanded={showRaw}>
            <Group gap={4}>
              {showRaw ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
              <Text size="xs" c="dimmed">
                {t('program.showRule')}
              </Text>
            </Group>
          </UnstyledButton>
          <Collapse expanded={showRaw}>
            <RawRule rule={program.eligibility} />
          </Collapse>
        </Card>
        {program.selection === 'priority' && program.priorityRule.length > 0 && (
          <Card withBorder radius="md" padding="md" mt="md">
            <Title order={3} size="h5" mb="xs">
              {t('program.priority')}
            </Title>
            <List type="ordered" size="sm" spacing={4}>
              {program.priorityRule.map((c) => (
                <List.Item key={c.field}>
                  {t(`priority.${c.field}.${c.direction}`, {
                    defaultValue: t(`priority.generic.${c.direction}`, { subject: t(`subject.${c.field}`) }),
                  })}
                </List.Item>
              ))}
            </List>
            <Text size="xs" c="dimmed" mt={4}>
              {t('program.priorityTies')}
            </Text>
          </Card>
        )}
        {program.quotas.length > 0 && (
          <Card withBorder radius="md" padding="md" mt="md">
            <Title order={3} size="h5" mb="xs">
              {t('program.quotas')}
            </Title>
            <Stack gap={6}>
              {program.quotas.map((q) => (
                <div key={q.kecamatan}>
                  <Group justify="space-between" gap="xs">
                    <Text size="sm">{q.kecamatanName ?? q.kecamatan}</Text>
                    <Text size="sm" c="dimmed">
                      {t('program.quotaTaken', { taken: q.taken, quota: q.quota })}
                    </Text>
                  </Group>
                  <Progress value={percent(q.taken, q.quota)} size="sm" aria-hidden />
                </div>
              ))}
            </Stack>
          </Card>
        )}
        {program.description && (
          <Card withBorder radius="md" padding="md" mt="md">
            <Title order={3} size="h5" mb="xs">
              {t('program.description')}
            </Title>
            <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
              {program.description}
            </Text>
          </Card>
        )}
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Card withBorder radius="md" padding="md">
          <ProgramCardBody program={program} />
          <SimpleGrid cols={2} spacing="sm" mt="md">
            <Fact label={t('program.capacity')}>{formatNumber(program.capacity)}</Fact>
            <Fact label={t('program.enrolled')}>{formatNumber(program.enrolled)}</Fact>
            <Fact label={t('program.waitlisted')}>{formatNumber(program.waitlisted)}</Fact>
            <Fact label={t('program.completed')}>{formatNumber(program.completed)}</Fact>
            <Fact label={t('program.selection')}>{t(`selection.${program.selection}`)}</Fact>
            <Fact label={t('program.minAttendance')}>{Math.round(program.minAttendanceRatio * 100)}%</Fact>
            {program.hours !== null && (
              <Fact label={t('program.hours')}>{t('program.hoursValue', { count: program.hours })}</Fact>
            )}
            <Fact label={t('program.organisation')}>{program.organisation.name}</Fact>
          </SimpleGrid>
        </Card>
      </Grid.Col>
    </Grid>
  );
}

export function ProgramPage() {
  const { t } = useTranslation();
  const { id = '', tab: tabParam } = useParams();
  const navigate = useNavigate();
  const { can } = useAuth();
  const { data: program, error, isPending, refetch } = useProgramQuery(id);
  const archive = useArchiveProgram(id ?? '');

  if (isPending) return <Loading />;
  if (!program) return <ErrorAlert error={error} onRetry={refetch} />;

  const staff = can('readParticipants');
  const training = program.type === 'training';
  const visible: Record<Tab, boolean> = {
    details: true,
    applicants: can('readApplications'),
    apply: can('apply'),
    selection: can('decideApplications'),
    sessions: training,
    completion: training && staff,
    feedback: training && staff,
    followUps: training && can('followUpGraduates'),
    report: can('readReports'),
  };
  const tab: Tab = tabs.find((x) => x === tabParam && visible[x]) ?? 'details';

  return (
    <>
      <PageHeader
        title={program.name}
        subtitle={
          <>
            {program.organisation.name} · {formatDateRange(program.startDate, program.endDate)}
          </>
        }
        crumbs={[{ label: t('programs.title'), to: '/programs' }]}
        actions={
          <Group gap="xs">
            <Badge variant="light">{t(`programType.${program.type}`)}</Badge>
            {program.archivedAt && (
              <Badge color="gray" variant="outline">
                {t('program.archived')}
              </Badge>
            )}
            {can('revealPersonalData') && (
              <Button component={Link} to={`/programs/${id}/screening`} variant="light" size="xs">
                {t('program.screening')}
              </Button>
            )}
            {can('writePrograms') && <CopyWaveButton program={program} />}
            {can('writePrograms') && (
              <Button component={Link} to={`/programs/${id}/edit`} variant="default" size="xs">
                {t('program.edit')}
              </Button>
            )}
            {can('writePrograms') && (
              <Button
                variant="subtle"
                color="gray"
                size="xs"
                loading={archive.isPending}
                onClick={() => archive.mutate(!program.archivedAt)}
              >
                {program.archivedAt ? t('program.unarchive') : t('program.archive')}
              </Button>
            )}
          </Group>
        }
      />
      <WaveLinks program={program} />
      <Tabs
        value={tab}
        onChange={(value) => {
          if (value)
            void navigate(`/programs/${id}${value === 'details' ? '' : `/${value}`}`, { replace: true });
        }}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          {tabs
            .filter((x) => visible[x])
            .map((x) => (
              <Tabs.Tab key={x} value={x} px={{ base: 'xs', sm: 'md' }}>
                {t(`program.tab.${x}`)}
              </Tabs.Tab>
            ))}
        </Tabs.List>
        <Tabs.Panel value="details">
          <Details program={program} />
        </Tabs.Panel>
        {visible.applicants && (
          <Tabs.Panel value="applicants">
            <ApplicantsTab program={program} />
          </Tabs.Panel>
        )}
        {visible.apply && (
          <Tabs.Panel value="apply">
            <ApplyTab program={program} />
          </Tabs.Panel>
        )}
        {visible.selection && (
          <Tabs.Panel value="selection">
            <SelectionPanel program={program} />
          </Tabs.Panel>
        )}
        {visible.sessions && (
          <Tabs.Panel value="sessions">
            <SessionsTab program={program} />
          </Tabs.Panel>
        )}
        {visible.feedback && (
          <Tabs.Panel value="feedback">
            <FeedbackTab program={program} />
          </Tabs.Panel>
        )}
        {visible.completion && (
          <Tabs.Panel value="completion">
            <CompletionTab program={program} />
          </Tabs.Panel>
        )}
        {visible.followUps && (
          <Tabs.Panel value="followUps">
            <FollowUpsTab program={program} />
          </Tabs.Panel>
        )}
        {visible.report && (
          <Tabs.Panel value="report">
            <ActivityReportTab programId={program.id} />
          </Tabs.Panel>
        )}
      </Tabs>
    </>
  );
}
