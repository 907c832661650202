import { Card, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { type ReactNode, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';

export type Column<T> = {
  key: string;
  header: ReactNode;
  render: (row: T) => ReactNode;
  // the card title on a phone
  primary?: boolean;
  align?: 'left' | 'right' | 'center';
  hideOnPhone?: boolean;
  // keep the cell on one line in the table (badges, dates, codes)
  nowrap?: boolean;
  // width of the column in the table, for cells whose content would otherwise crowd the others
  width?: number | string;
  // on a phone card: 'row' puts label and value side by side, 'block' the value under its label
  phoneLayout?: 'row' | 'block';
};

// Mantine's `sm` breakpoint, as hiddenFrom/visibleFrom="sm" below.
const narrowQuery = '(max-width: 48em)';
const watchNarrow = (changed: () => void) => {
  const query = window.matchMedia(narrowQuery);
  query.addEventListener('change', changed);
  return () => query.removeEventListener('change', changed);
};
const isNarrow = () => window.matchMedia(narrowQuery).matches;
// Drawn by the server (web/src/ssr.tsx), and in the browser's render that hydrates that, the
// width is not known: both forms are drawn and the stylesheet shows the one that fits. React
// then renders again with the width (the same form stays, nothing moves).
const unknownWidth = () => null;

const isEmpty = (node: ReactNode) => node === null || node === undefined || node === false || node === '';

type Props<T> = {
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
  empty?: ReactNode;
  caption?: string;
  minWidth?: number;
  // phones get cards; wide numeric tables can opt into horizontal scrolling instead
  phone?: 'cards' | 'scroll';
};

// A table on a desktop; on a phone, one card per row (label: value), so nothing needs
// sideways scrolling on a 360 px screen.
export function DataTable<T>({
  rows,
  columns,
  rowKey,
  empty,
  caption,
  minWidth = 640,
  phone = 'cards',
}: Props<T>) {
  const { t } = useTranslation();
  const narrow = useSyncExternalStore(watchNarrow, isNarrow, unknownWidth);
  if (rows.length === 0) {
    return (
      <Text c="dimmed" size="sm" py="md" ta="center">
        {empty ?? t('common.empty')}
      </Text>
    );
  }
  if (phone !== 'cards' || narrow === false) return table(columns, rows, rowKey, minWidth, caption);
  const primary = columns.find((c) => c.primary) ?? columns[0];
  const rest = columns.filter((c) => c !== primary && !c.hideOnPhone);
  const cards = (
    <Stack gap="xs" aria-label={caption} hiddenFrom={narrow === null ? 'sm' : undefined}>
      {rows.map((row) => (
        <Card key={rowKey(row)} withBorder padding="sm" radius="md">
          {primary && <div>{primary.render(row)}</div>}
          <Stack gap={4} mt={6}>
            {rest.map((c) => {
              const content = c.render(row);
              if (isEmpty(content)) return null;
              if (c.phoneLayout === 'block') {
                return (
                  <div key={c.key}>
                    <Text size="xs" c="dimmed">
                      {c.header}
                    </Text>
                    <div
                      style={{
                        minWidth: 0,
                        overflowWrap: 'anywhere',
                        fontSize: 'var(--mantine-font-size-sm)',
                      }}
                    >
                      {content}
                    </div>
                  </div>
                );
              }
              return (
                <Group key={c.key} justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
                  <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                    {c.header}
                  </Text>
                  <div
                    style={{
                      textAlign: 'right',
                      minWidth: 0,
                      overflowWrap: 'anywhere',
                      fontSize: 'var(--mantine-font-size-sm)',
                    }}
                  >
                    {content}
                  </div>
                </Group>
              );
            })}
          </Stack>
        </Card>
      ))}
    </Stack>
  );
  if (narrow) return cards;
  return (
    <>
      {cards}
      {table(columns, rows, rowKey, minWidth, caption, 'sm')}
    </>
  );
}

function table<T>(
  columns: Column<T>[],
  rows: T[],
  rowKey: (row: T) => string,
  minWidth: number,
  caption: string | undefined,
  visibleFrom?: 'sm',
) {
  return (
    <Paper withBorder radius="md" style={{ overflow: 'hidden' }} visibleFrom={visibleFrom}>
      <Table.ScrollContainer minWidth={minWidth} type="native">
        <Table striped highlightOnHover verticalSpacing="xs" aria-label={caption}>
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => (
                <Table.Th
                  key={c.key}
                  style={{ textAlign: c.align ?? 'left', whiteSpace: 'nowrap', width: c.width }}
                >
                  {c.header}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={rowKey(row)}>
                {columns.map((c) => (
                  <Table.Td
                    key={c.key}
                    style={{ textAlign: c.align ?? 'left', whiteSpace: c.nowrap ? 'nowrap' : undefined }}
                  >
                    {c.render(row)}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
