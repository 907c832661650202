import { Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function Logo({ size = 28 }: { size?: number }) {
  const { t } = useTranslation();
  return (
    <Group gap={8} wrap="nowrap">
      <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
        <rect width="32" height="32" rx="7" fill="var(--mantine-color-pulih-7)" />
        <path
          d="M9 23V9h7.5a5 5 0 0 1 0 10H13v4z"
          fill="none"
          stroke="#fff"
          strokeWidth="2.6"
          strokeLinejoin="round"
        />
        <circle cx="23" cy="22" r="2.4" fill="#f2b632" />
      </svg>
      <div style={{ lineHeight: 1.1 }}>
        <Text fw={700} size="md" c="pulih.8">
          Pulih
        </Text>
        <Text size="10px" c="dimmed" visibleFrom="xs">
          {t('app.tagline')}
        </Text>
      </div>
    </Group>
  );
}
