import type { AppContext } from '../../lib/context.ts';
import type { Actor } from '../../policies.ts';
import { listAidOfBusiness } from '../aid/aid.service.ts';
import { getBusinessItem } from '../businesses/businesses.service.ts';
import { listProductsOfBusiness } from '../catalog/catalog.service.ts';
import { listApplicationsOfBusiness } from '../programs/programs.service.ts';

// The business page read model: one business with its applications, aid and products. It sits
// above the modules it composes, so that businesses does not import aid, catalog and programs
// (which all import businesses).
export async function getBusinessDetail(ctx: AppContext, actor: Actor, id: string) {
  const item = await getBusinessItem(ctx, actor, id);
  const applications = await listApplicationsOfBusiness(ctx, id);
  const aid = await listAidOfBusiness(ctx, id);
  const products = await listProductsOfBusiness(ctx, id);
  return { ...item, applications, aid, products };
}
