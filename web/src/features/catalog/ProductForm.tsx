import {
  Button,
  Card,
  Grid,
  Group,
  NumberInput,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconCamera } from '@tabler/icons-react';
import { type ChangeEvent, type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, useFieldError } from '../../components/ErrorAlert';
import { ApiError, api } from '../../lib/api';
import { type PhotoUpload, preparePhoto } from '../../lib/image';
import type { CreateProductBody, ProductItem, UpdateProductBody } from '../../lib/types';

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
  const [name, setName] = useState(product?.name ?? '');
  const [description, setDescription] = useState(product?.description ?? '');
  const [price, setPrice] = useState<number | string>(product?.price ?? '');
  const [unit, setUnit] = useState(product?.unit ?? '');
  const [published, setPublished] = useState(product?.published ?? true);
  const [photo, setPhoto] = useState<PhotoUpload | null>(null);
  const [photoName, setPhotoName] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const fieldError = useFieldError(error);
  const cardRef = useRef<HTMLFormElement>(null);

  // The form opens above the list; bring it into view when "Ubah" was tapped further down.
  useEffect(() => {
    cardRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, []);

  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.currentTarget.files?.[0];
    if (!file) return;
    setError(null);
    try {
      setPhoto(await preparePhoto(file));
      setPhotoName(file.name);
    } catch {
      setError(new ApiError(415, 'unsupported_media', file.type));
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const fields = {
      name: name.trim(),
      description: description.trim() || null,
      price: typeof price === 'number' ? price : 0,
      unit: unit.trim() || null,
      published,
    };
    try {
      const saved = product
        ? await api<ProductItem>(`/products/${product.id}`, {
            method: 'PATCH',
            body: fields satisfies UpdateProductBody,
          })
        : await api<ProductItem>('/products', {
            method: 'POST',
            body: { ...fields, businessId } satisfies CreateProductBody,
          });
      if (photo) await api<ProductItem>(`/products/${saved.id}/photo`, { method: 'PUT', body: photo });
      onDone(true);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'unknown_error', String(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder radius="md" padding="md" component="form" onSubmit={submit} ref={cardRef}>
      <Title order={3} size="h5" mb="sm">
        {product ? t('products.edit') : t('products.add')}
      </Title>
      <ErrorAlert error={error} />
      <Grid gap="sm">
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput
            label={t('products.name')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={fieldError('name')}
          />
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
            value={price}
            onChange={setPrice}
            error={fieldError('price')}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 5, sm: 3 }}>
          <TextInput
            label={t('products.unit')}
            placeholder={t('products.unitPlaceholder')}
            value={unit}
            onChange={(e) => setUnit(e.currentTarget.value)}
          />
        </Grid.Col>
        <Grid.Col span={12}>
          <Textarea
            label={t('products.description')}
            autosize
            minRows={2}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
        </Grid.Col>
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
            >
              {product?.photoUrl || photo ? t('products.changePhoto') : t('products.addPhoto')}
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
            checked={published}
            onChange={(e) => setPublished(e.currentTarget.checked)}
          />
        </Grid.Col>
      </Grid>
      <Group mt="md">
        <Button type="submit" loading={busy}>
          {t('common.save')}
        </Button>
        <Button variant="subtle" onClick={() => onDone(false)}>
          {t('common.cancel')}
        </Button>
      </Group>
    </Card>
  );
}
