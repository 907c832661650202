import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type Language, setLanguage } from '../lib/i18n';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('language.label')}
      value={i18n.language === 'en' ? 'en' : 'id'}
      onChange={(value) => setLanguage(value as Language)}
      data={[
        { value: 'id', label: <span title={t('language.id')}>ID</span> },
        { value: 'en', label: <span title={t('language.en')}>EN</span> },
      ]}
    />
  );
}
