import { Button, Center } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Paged } from '../lib/query';
import { Loading } from './Loading';

// Under a paged list: a loader while a page comes, else "load more" while there is more.
export function PagedFooter({ list, label }: { list: Paged<unknown>; label?: string }) {
  const { t } = useTranslation();
  if (list.loading) return <Loading />;
  if (!list.hasMore) return null;
  return (
    <Center>
      <Button variant="light" onClick={list.loadMore}>
        {label ?? t('common.loadMore')}
      </Button>
    </Center>
  );
}
