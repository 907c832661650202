import {
  Alert,
  Anchor,
  Button,
  Card,
  Code,
  Collapse,
  Grid,
  Group,
  NumberInput,
  Progress,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RuleGroupType } from 'react-querybuilder';
import { Link, useNavigate, useParams } from 'react-router';
import {
  createProgramBody,
  programType,
  selectionMode,
} from '../../../../src/modules/programs/programs.schema';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { useSchemaForm } from '../../lib/form';
import { formatNumber, percent } from '../../lib/format';
import type { ClauseDescription, Program } from '../../lib/types';
import { useMe } from '../auth/auth';
import { useKecamatan } from '../reference/queries';
import { useRuleDescriptionQuery, useRulePreviewQuery } from '../screening/queries';
import { useProgramFieldsQuery, useProgramQuery, useSaveProgram } from './queries';
import { RuleBuilder } from './RuleBuilder';
import { RuleText } from './RuleText';
import { builderFields, emptyQuery, queryOf, type RuleField, ruleOf } from './rule-query';

type ProgramType = Program['type'];
type Selection = Program['selection'];

type Form = {
  name: string;
  type: ProgramType;
  description: string;
  startDate: string;
  endDate: string;
  applicationDeadline: string;
  venue: string;
  capacity: number | string;
  selection: Selection;
  completionPercent: number | string;
  hours: number | string;
  quotas: Record<string, number | string>;
};

const blank: Form = {
  name: '',
  type: 'training',
  description: '',
  startDate: '',
  endDate: '',
  applicationDeadline: '',
  venue: '',
  capacity: 30,
  selection: 'first_come',
  completionPercent: 80,
  hours: '',
  quotas: {},
};

function formOf(p: Program): Form {
  return {
    name: p.name,
    type: p.type,
    description: p.description ?? '',
    startDate: p.startDate,
    endDate: p.endDate,
    applicationDeadline: p.applicationDeadline ?? '',
    venue: p.venue ?? '',
    capacity: p.capacity,
    selection: p.selection,
    completionPercent: Math.round(p.minAttendanceRatio * 100),
    hours: p.hours ?? '',
    quotas: Object.fromEntries(p.quotas.map((q) => [q.kecamatan, q.quota])),
  };
}

const orNull = (s: string) => (s.trim() ? s.trim() : null);
const numberOr = <T,>(v: number | string, fallback: T) => (typeof v === 'number' ? v : fallback);

// The rule in words and how many businesses it admits, refreshed as the officer builds it.
function useRulePreview(rule: unknown, startDate: string) {
  const [debounced] = useDebouncedValue(JSON.stringify({ rule, startDate }), 400);
  const asked = JSON.parse(debounced) as { rule: unknown; startDate: string };
  const described = useRuleDescriptionQuery(asked.rule).data ?? null;
  const screenable = Boolean(described?.valid && described.screenable);
  const preview = useRulePreviewQuery(asked.rule, asked.startDate, screenable).data ?? null;
  return { described, preview: screenable ? preview : null };
}

function QuotaTable({
  form,
  setQuota,
}: {
  form: Form;
  setQuota: (kecamatan: string, value: number | string) => void;
}) {
  const { t } = useTranslation('rules');
  const kecamatan = useKecamatan();
  const total = Object.values(form.quotas).reduce<number>(
    (sum, q) => sum + (typeof q === 'number' ? q : 0),
    0,
  );
  const capacity = numberOr(form.capacity, 0);
  return (
    <Stack gap="xs">
      <Text size="xs" c="dimmed">
        {t('editor.quotasHelp')}
      </Text>
      <Table withTableBorder verticalSpacing={4} maw={420}>
        <Table.Tbody>
          {kecamatan.map((k) => (
            <Table.Tr key={k.code}>
              <Table.Td>
                <Text size="sm">{k.name}</Text>
              </Table.Td>
              <Table.Td w={140}>
                <NumberInput
                  size="xs"
                  min={0}
                  max={1_000_000}
                  aria-label={`${t('editor.quota')} ${k.name}`}
                  value={form.quotas[k.code] ?? ''}
                  onChange={(v) => setQuota(k.code, v)}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm" c={total > capacity ? 'red' : 'dimmed'}>
        {total > capacity
          ? t('editor.quotasOver')
          : t('editor.quotasTotal', { total: formatNumber(total), capacity: formatNumber(capacity) })}
      </Text>
    </Stack>
  );
}

function Editor({ program, fields }: { program: Program | null; fields: RuleField[] }) {
  const { t } = useTranslation('rules');
  const { t: tw } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const initial = useMemo(() => (program ? queryOf(program.eligibility, fields) : null), [program, fields]);
  const [query, setQuery] = useState<RuleGroupType>(initial?.query ?? emptyQuery);
  // A rule the builder cannot show whole stays as it is until the officer rebuilds it.
  const [keepStored, setKeepStored] = useState(initial ? !initial.complete : false);
  const [showJson, { toggle: toggleJson }] = useDisclosure(false);
  const rule = keepStored && program ? program.eligibility : ruleOf(query, fields);
  const save = useSaveProgram(program?.id ?? null);
  const schemaForm = useSchemaForm({
    schema: createProgramBody,
    initialValues: program ? formOf(program) : blank,
    toBody: (v: Form) => {
      const quotas = Object.entries(v.quotas)
        .filter(([, q]) => typeof q === 'number')
        .map(([kecamatan, quota]) => ({ kecamatan, quota: quota as number }));
      return {
        name: v.name.trim(),
        type: v.type,
        description: orNull(v.description),
        capacity: numberOr(v.capacity, 0),
        selection: v.selection,
        startDate: v.startDate,
        endDate: v.endDate,
        applicationDeadline: orNull(v.applicationDeadline),
        venue: orNull(v.venue),
        eligibility: rule,
        minAttendanceRatio: numberOr(v.completionPercent, 80) / 100,
        hours: numberOr(v.hours, null),
        ...(program || quotas.length > 0 ? { quotas } : {}),
      };
    },
    fields: { minAttendanceRatio: 'completionPercent' },
    messages: { endDate: t('editor.datesOrder'), quotas: t('editor.quotasOver') },
  });
  const form = schemaForm.form.values;
  const errors = schemaForm.form.errors;
  const error = save.error;
  const { described, preview } = useRulePreview(rule, form.startDate);

  const set = <K extends keyof Form & string>(key: K, value: Form[K]) =>
    schemaForm.form.setFieldValue(key, value as never);
  const datesWrong = form.startDate !== '' && form.endDate !== '' && form.endDate < form.startDate;
  const quotaList = Object.entries(form.quotas)
    .filter(([, q]) => typeof q === 'number')
    .map(([kecamatan, quota]) => ({ kecamatan, quota: quota as number }));
  const quotaTotal = quotaList.reduce((sum, q) => sum + q.quota, 0);
  const quotasOver = quotaTotal > numberOr(form.capacity, 0);

  // An edit keeps the program's type: the update body has none.
  const submit = schemaForm.onSubmit(({ type, ...body }) =>
    save.mutate(program ? body : { ...body, type }, {
      onSuccess: (saved) => {
        notifications.show({ color: 'teal', message: t('editor.saved') });
        void navigate(`/programs/${saved.id}`);
      },
      onError: schemaForm.showServerErrors,
    }),
  );

  const clauses: ClauseDescription[] = described?.valid ? described.clauses : [];
  const maxCount = Math.max(1, ...(preview?.byKecamatan.map((k) => k.eligible) ?? [1]));

  return (
    <form onSubmit={submit} noValidate>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Card withBorder radius="md" padding="md">
            <Title order={3} size="h5" mb="sm">
              {t('editor.details')}
            </Title>
            <Stack gap="sm">
              <TextInput
                label={t('editor.name')}
                required
                value={form.name}
                onChange={(e) => set('name', e.currentTarget.value)}
                error={errors.name}
                data-testid="program-name"
              />
              <div>
                <Text size="sm" fw={500} mb={4}>
                  {t('editor.type')}
                </Text>
                <SegmentedControl
                  fullWidth
                  disabled={program !== null}
                  value={form.type}
                  onChange={(v) => set('type', v as ProgramType)}
                  data={programType.options.map((v) => ({
                    value: v,
                    label: tw(`programType.${v}`),
                  }))}
                />
              </div>
              <Textarea
                label={t('editor.description')}
                autosize
                minRows={2}
                value={form.description}
                onChange={(e) => set('description', e.currentTarget.value)}
              />
              <TextInput
                label={t('editor.organiser')}
                value={program?.organisation.name ?? me.organisation?.name ?? ''}
                readOnly
                variant="filled"
              />
              <Group grow align="flex-start">
                <TextInput
                  type="date"
                  label={t('editor.startDate')}
                  required
                  value={form.startDate}
                  onChange={(e) => set('startDate', e.currentTarget.value)}
                  error={errors.startDate}
                />
                <TextInput
                  type="date"
                  label={t('editor.endDate')}
                  required
                  value={form.endDate}
                  onChange={(e) => set('endDate', e.currentTarget.value)}
                  error={datesWrong ? t('editor.datesOrder') : errors.endDate}
                />
              </Group>
              <TextInput
                type="date"
                label={t('editor.applicationDeadline')}
                description={t('editor.applicationDeadlineHint')}
                value={form.applicationDeadline}
                onChange={(e) => set('applicationDeadline', e.currentTarget.value)}
                error={errors.applicationDeadline}
              />
              <TextInput
                label={t('editor.venue')}
                value={form.venue}
                onChange={(e) => set('venue', e.currentTarget.value)}
              />
              <Group grow align="flex-start">
                <NumberInput
                  label={t('editor.capacity')}
                  required
                  min={1}
                  max={1_000_000}
                  value={form.capacity}
                  onChange={(v) => set('capacity', v)}
                  error={errors.capacity}
                />
                <NumberInput
                  label={t('editor.hours')}
                  min={1}
                  max={1000}
                  value={form.hours}
                  onChange={(v) => set('hours', v)}
                />
              </Group>
              <div>
                <Text size="sm" fw={500} mb={4}>
                  {t('editor.selection')}
                </Text>
                <SegmentedControl
                  fullWidth
                  value={form.selection}
                  onChange={(v) => set('selection', v as Selection)}
                  data={selectionMode.options.map((v) => ({
                    value: v,
                    label: tw(`selection.${v}`),
                  }))}
                />
              </div>
              <NumberInput
                label={t('editor.completion')}
                min={1}
                max={100}
                suffix=" %"
                value={form.completionPercent}
                onChange={(v) => set('completionPercent', v)}
              />
            </Stack>
          </Card>
          <Card withBorder radius="md" padding="md" mt="md">
            <Title order={3} size="h5" mb="sm">
              {t('editor.quotas')}
            </Title>
            <QuotaTable form={form} setQuota={(k, v) => set('quotas', { ...form.quotas, [k]: v })} />
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Card withBorder radius="md" padding="md">
            <Title order={3} size="h5" mb={4}>
              {t('editor.eligibility')}
            </Title>
            <Text size="xs" c="dimmed" mb="sm">
              {t('editor.eligibilityHelp')}
            </Text>
            {keepStored ? (
              <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} mb="sm">
                <Text size="sm">{t('editor.notInBuilder')}</Text>
                <Code block mt="xs">
                  {JSON.stringify(program?.eligibility, null, 2)}
                </Code>
                <Button size="xs" variant="light" mt="xs" onClick={() => setKeepStored(false)}>
                  {t('editor.rebuild')}
                </Button>
              </Alert>
            ) : (
              <RuleBuilder fields={fields} query={query} onChange={setQuery} />
            )}
            <Card withBorder radius="sm" padding="sm" mt="md" bg="var(--mantine-color-gray-0)">
              <Text size="xs" c="dimmed" fw={600} tt="uppercase" mb={4}>
                {t('editor.preview')}
              </Text>
              {described && !described.valid ? (
                <Text size="sm" c="red">
                  {described.issues.map((i) => i.message).join('; ')}
                </Text>
              ) : (
                <RuleText clauses={clauses} />
              )}
              {described?.valid && !described.screenable && (
                <Text size="sm" c="orange" mt="xs">
                  {t('editor.notScreenable')}
                </Text>
              )}
              {preview && (
                <Stack gap={4} mt="sm" data-testid="rule-preview">
                  <Text size="sm" fw={600}>
                    {t('editor.matches', { count: preview.total, n: formatNumber(preview.total) })}
                  </Text>
                  {preview.byKecamatan.slice(0, 8).map((k) => (
                    <Group key={k.kecamatan} gap="xs" wrap="nowrap">
                      <Text size="xs" w={120} truncate>
                        {k.kecamatanName ?? k.kecamatan}
                      </Text>
                      <Progress
                        value={percent(k.eligible, maxCount)}
                        size="sm"
                        style={{ flex: 1 }}
                        aria-hidden
                      />
                      <Text size="xs" w={60} ta="right">
                        {formatNumber(k.eligible)}
                      </Text>
                    </Group>
                  ))}
                </Stack>
              )}
              <UnstyledButton onClick={toggleJson} mt="sm" aria-expanded={showJson}>
                <Group gap={4}>
                  {showJson ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
                  <Text size="xs" c="dimmed">
                    {t('editor.showJson')}
                  </Text>
                </Group>
              </UnstyledButton>
              <Collapse expanded={showJson}>
                <Code block data-testid="rule-json">
                  {JSON.stringify(rule, null, 2)}
                </Code>
              </Collapse>
            </Card>
          </Card>
        </Grid.Col>
      </Grid>
      <Stack gap="sm" mt="md">
        <ErrorAlert error={error} />
        <Group justify="flex-end">
          <Anchor component={Link} to={program ? `/programs/${program.id}` : '/programs'} size="sm">
            {t('editor.cancel')}
          </Anchor>
          <Button
            type="submit"
            loading={save.isPending}
            disabled={datesWrong || quotasOver}
            data-testid="program-save"
          >
            {program ? t('editor.save') : t('editor.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

// /programs/new and /programs/:id/edit
export function ProgramEditor() {
  const { t } = useTranslation('rules');
  const { t: tw } = useTranslation();
  const { id } = useParams();
  const fieldsApi = useProgramFieldsQuery();
  const programApi = useProgramQuery(id);
  const fields = useMemo(
    () => (fieldsApi.data ? builderFields(fieldsApi.data.fields, t) : null),
    [fieldsApi.data, t],
  );
  const error = fieldsApi.error ?? programApi.error;
  const program = id ? (programApi.data ?? null) : null;
  return (
    <>
      <PageHeader
        title={id ? t('editor.titleEdit') : t('editor.titleNew')}
        subtitle={t('editor.subtitle')}
        crumbs={[
          { label: tw('programs.title'), to: '/programs' },
          ...(program ? [{ label: program.name, to: `/programs/${program.id}` }] : []),
        ]}
      />
      {error ? (
        <ErrorAlert
          error={error}
          onRetry={() => (fieldsApi.error ? fieldsApi.refetch() : programApi.refetch())}
        />
      ) : !fields || (id && !program) ? (
        <Loading />
      ) : (
        <Editor key={program?.id ?? 'new'} program={program} fields={fields} />
      )}
    </>
  );
}
