import {
  ActionIcon,
  Button,
  Card,
  Grid,
  Group,
  Image,
  NumberInput,
  Select,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconCamera, IconTrash } from '@tabler/icons-react';
import { type ChangeEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { productCategories } from '../../../../src/domain/enums';
import { createProductBody, maxPhotosPerProduct } from '../../../../src/modules/catalog/catalog.schema';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ApiError } from '../../lib/api';
import { useSchemaForm } from '../../lib/form';
import { type PhotoUpload, preparePhoto } from '../../lib/image';
import type { ProductItem } from '../../lib/types';
import { useRemoveProductPhoto, useSaveProduct } from './queries';

export function ProductForm({
  businessId,
  product,
  onDone,
}: {
  businessId: string;
  product: ProductItem | null;
  onDone: (saved: boolean) => void;
}) {
  const { t, i18n } = useTranslation();
  const { t: tc } = useTranslation('curation');
  const { t: tcat } = useTranslation('catalog');
  const removePhoto = useRemoveProductPhoto();
  const [photos, setPhotos] = useState(product?.photos ?? []);
  const [photo, setPhoto] = useState<PhotoUpload | null>(null);
  const [photoName, setPhotoName] = useState('');
  const [photoError, setPhotoError] = useState<ApiError | null>(null);
  const save = useSaveProduct();
  const { form, onSubmit, showServerErrors } = useSchemaForm({
    schema: createProductBody,
    initialValues: {
      name: product?.name ?? '',
      description: product?.description ?? '',
      price: (product?.price ?? '') as number | string,
      unit: product?.unit ?? '',
      published: product?.published ?? true,
      category: product?.category ?? 'lainnya',
    },
    toBody: (v) => ({
      businessId,
      name: v.name.trim(),
      description: v.description.trim() || null,
      price: typeof v.price === 'number' ? v.price : Number.NaN,
      unit: v.unit.trim() || null,
      published: v.published,
      category: v.category,
    }),
  });
  const fileRef = useRef<HTMLInputElement>(null);
  const cardRef = useRef<HTMLFormElement>(null);

  // The form opens above the list; bring it into view when "Ubah" was tapped further down.
  useEffect(() => {
    cardRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, []);

  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.currentTarget.files?.[0];
    if (!file) return;
    setPhotoError(null);
    try {
      setPhoto(await preparePhoto(file));
      setPhotoName(file.name);
    } catch {
      setPhotoError(new ApiError(415, 'unsupported_media', file.type));
    }
  };

  // An edit leaves the product with its business: the update body has none.
  const submit = onSubmit(({ businessId: _, ...fields }) =>
    save.mutate(
      product
        ? { id: product.id, body: fields, photo }
        : { id: null, body: { ...fields, businessId }, photo },
      { onSuccess: () => onDone(true), onError: showServerErrors },
    ),
  );

  return (
    <Card withBorder radius="md" padding="md" component="form" onSubmit={submit} ref={cardRef}>
      <Title order={3} size="h5" mb="sm">
        {product ? t('products.edit') : t('products.add')}
      </Title>
      <ErrorAlert error={photoError ?? save.error ?? removePhoto.error} />
      <Grid gap="sm">
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput label={t('products.name')} required {...form.getInputProps('name')} />
        </Grid.Col>
        <Grid.Col span={{ base: 7, sm: 3 }}>
          <NumberInput
            label={t('products.price')}
            required
            prefix="Rp "
            thousandSeparator={i18n.language === 'en' ? ',' : '.'}
            decimalSeparator={i18n.language === 'en' ? '.' : ','}
            allowDecimal={false}
            allowNegative={false}
            {...form.getInputProps('price')}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 5, sm: 3 }}>
          <TextInput
            label={t('products.unit')}
            placeholder={t('products.unitPlaceholder')}
            {...form.getInputProps('unit')}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Select
            label={tc('category')}
            data={productCategories.map((c) => ({ value: c, label: tcat(`categories.${c}`) }))}
            allowDeselect={false}
            {...form.getInputProps('category')}
          />
        </Grid.Col>
        <Grid.Col span={12}>
          <Textarea
            label={t('products.description')}
            autosize
            minRows={2}
            {...form.getInputProps('description')}
          />
        </Grid.Col>
        {photos.length > 0 && (
          <Grid.Col span={12}>
            <Text size="sm" fw={500} mb={4}>
              {tc('photos', { count: photos.length })}
            </Text>
            <Group gap="xs">
              {photos.map((p, i) => (
                <div key={p.key} style={{ position: 'relative' }}>
                  <Image src={p.thumbnailUrl} alt="" w={96} h={72} radius="sm" fit="cover" />
                  <ActionIcon
                    size="sm"
                    color="red"
                    variant="filled"
                    style={{ position: 'absolute', top: 2, right: 2 }}
                    aria-label={tc('removePhoto', { n: i + 1 })}
                    loading={removePhoto.isPending && removePhoto.variables?.key === p.key}
                    onClick={() =>
                      product &&
                      removePhoto.mutate(
                        { id: product.id, key: p.key },
                        { onSuccess: (saved) => setPhotos(saved.photos) },
                      )
                    }
                  >
                    <IconTrash size={12} />
                  </ActionIcon>
                </div>
              ))}
            </Group>
          </Grid.Col>
        )}
        <Grid.Col span={12}>
          <input
            ref={fileRef}
            id="product-photo"
            type="file"
            accept="image/*"
            capture="environment"
            onChange={(e) => void pick(e)}
            style={{ position: 'absolute', width: 1, height: 1, opacity: 0, overflow: 'hidden' }}
            aria-label={t('products.photo')}
          />
          <Group gap="sm">
            <Button
              variant="light"
              leftSection={<IconCamera size={16} />}
              onClick={() => fileRef.current?.click()}
              disabled={photos.length >= maxPhotosPerProduct}
            >
              {photo
                ? t('products.changePhoto')
                : photos.length > 0
                  ? tc('addPhoto')
                  : t('products.addPhoto')}
            </Button>
            {photoName && (
              <Text size="xs" c="dimmed" className="break-anywhere">
                {photoName}
              </Text>
            )}
          </Group>
        </Grid.Col>
        <Grid.Col span={12}>
          <Switch
            label={t('products.publishedHelp')}
            {...form.getInputProps('published', { type: 'checkbox' })}
          />
        </Grid.Col>
      </Grid>
      <Group mt="md">
        <Button type="submit" loading={save.isPending}>
          {t('common.save')}
        </Button>
        <Button variant="subtle" onClick={() => onDone(false)}>
          {t('common.cancel')}
        </Button>
      </Group>
    </Card>
  );
}
