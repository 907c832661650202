import { Alert, Badge, Button, Card, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle, IconLink, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IdentityReview } from '../../../../src/modules/businesses/businesses.schema';
import { ErrorAlert, errorText } from '../../components/ErrorAlert';
import { PagedFooter } from '../../components/PagedFooter';
import { PageHeader } from '../../components/PageHeader';
import type { ApiError } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import type { Wire } from '../../lib/types';
import { useDecideIdentityReview, useIdentityReviewsQuery } from './identityReviewQueries';

type Review = Wire<IdentityReview>;
type Decision = { review: Review; decision: 'link' | 'dismiss' };

// Businesses a kecamatan officer registered with the NIK of a person of another kecamatan: the
// link waits here for an officer who sees both (issue #15). Linking registers the business for
// that person; dismissing leaves it unregistered. The NIK stays masked, as the API gives it.
export function IdentityReviewsPage() {
  const { t } = useTranslation('registry');
  const list = useIdentityReviewsQuery(20);
  const decide = useDecideIdentityReview();
  const [confirming, setConfirming] = useState<Decision | null>(null);

  const confirm = () => {
    if (!confirming) return;
    const { review, decision } = confirming;
    decide.mutate(
      { id: review.id, decision },
      {
        onSuccess: () => {
          setConfirming(null);
          notifications.show({
            color: decision === 'link' ? 'teal' : 'gray',
            message: t(decision === 'link' ? 'identityReviews.linked' : 'identityReviews.dismissed', {
              business: review.businessName,
              person: review.person.name,
            }),
          });
        },
        onError: (error: ApiError) => {
          setConfirming(null);
          notifications.show({ color: 'red', message: errorText(t, error) });
        },
      },
    );
  };

  return (
    <>
      <PageHeader
        title={t('identityReviews.title')}
        subtitle={t('identityReviews.subtitle')}
        crumbs={[{ label: t('web:registry.title'), to: '/registry' }]}
      />
      <Stack gap="md" maw={900}>
        <ErrorAlert error={list.error} onRetry={list.reload} />
        {!list.loading && !list.error && list.items.length === 0 && (
          <Alert color="gray" icon={<IconInfoCircle size={18} />}>
            {t('identityReviews.empty')}
          </Alert>
        )}
        {list.items.map((review) => (
          <Card key={review.id} withBorder radius="md" padding="md" data-testid="identity-review">
            <Stack gap={6}>
              <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
                <Text fw={600} className="break-anywhere">
                  {review.businessName}
                </Text>
                <Badge variant="light" color="yellow">
                  {review.kecamatanName ?? review.kecamatan}
                </Badge>
              </Group>
              <Text size="sm">
                {t('identityReviews.person')}: {review.person.name}{' '}
                <Text span ff="monospace" size="sm">
                  {review.person.nik}
                </Text>
              </Text>
              <Text size="xs" c="dimmed">
                {t('identityReviews.requested', {
                  who: review.requestedBy ?? t('identityReviews.unknownUser'),
                  when: formatDateTime(review.createdAt),
                })}
              </Text>
              <Group gap="xs" mt={4} wrap="wrap">
                <Button
                  size="xs"
                  leftSection={<IconLink size={16} />}
                  onClick={() => setConfirming({ review, decision: 'link' })}
                >
                  {t('identityReviews.link')}
                </Button>
                <Button
                  size="xs"
                  variant="default"
                  leftSection={<IconX size={16} />}
                  onClick={() => setConfirming({ review, decision: 'dismiss' })}
                >
                  {t('identityReviews.dismiss')}
                </Button>
              </Group>
            </Stack>
          </Card>
        ))}
        <PagedFooter list={list} />
      </Stack>
      <Modal
        opened={confirming !== null}
        onClose={() => setConfirming(null)}
        title={
          confirming?.decision === 'link' ? t('identityReviews.linkTitle') : t('identityReviews.dismissTitle')
        }
        centered
      >
        {confirming && (
          <Text size="sm">
            {t(confirming.decision === 'link' ? 'identityReviews.linkBody' : 'identityReviews.dismissBody', {
              business: confirming.review.businessName,
              person: confirming.review.person.name,
            })}
          </Text>
        )}
        <Group justify="flex-end" mt="md" wrap="wrap">
          <Button variant="default" onClick={() => setConfirming(null)}>
            {t('identityReviews.cancel')}
          </Button>
          <Button
            onClick={confirm}
            loading={decide.isPending}
            color={confirming?.decision === 'dismiss' ? 'red' : undefined}
            data-testid="identity-review-confirm"
          >
            {confirming?.decision === 'link' ? t('identityReviews.link') : t('identityReviews.dismiss')}
          </Button>
        </Group>
      </Modal>
    </>
  );
}
