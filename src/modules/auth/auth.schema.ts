import { z } from 'zod';

export const roleSchema = z.enum(['admin', 'program_officer', 'kecamatan_officer', 'sopd_officer', 'owner']);

export const loginBody = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
});

export const meResponse = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    role: roleSchema,
    organisation: z.object({ id: z.uuid(), name: z.string(), regionCode: z.string().nullable() }).nullable(),
    personId: z.uuid().nullable(),
    capabilities: z.array(z.string()),
  })
  .meta({ id: 'Me' });

export type LoginBody = z.infer<typeof loginBody>;
export type Me = z.infer<typeof meResponse>;
