import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { type Language, setLanguage } from '../lib/i18n';

const choices: Language[] = ['id', 'en'];

// Two radio buttons drawn as a segmented control by styles.css (.language-switch). Mantine's
// SegmentedControl measures the page to slide its indicator (a forced layout on every render
// and resize) on the first screen of every visit, sign-in and the dashboard alike.
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const current: Language = i18n.language === 'en' ? 'en' : 'id';
  return (
    <div className="language-switch" role="radiogroup" aria-label={t('language.label')}>
      {choices.map((lang) => (
        <span key={lang}>
          <input
            type="radio"
            id={`${id}-${lang}`}
            name={`${id}-language`}
            value={lang}
            checked={current === lang}
            onChange={() => setLanguage(lang)}
          />
          <label htmlFor={`${id}-${lang}`}>
            <span title={t(`language.${lang}`)}>{lang.toUpperCase()}</span>
          </label>
        </span>
      ))}
    </div>
  );
}
