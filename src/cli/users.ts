import type { Command } from 'commander';
import type { AppContext } from '../lib/context.ts';
import { createUserBody } from '../modules/users/users.schema.ts';
import {
  createUser,
  getAdministratorActor,
  listUsers,
  resetPasswordByUsername,
  setActiveByUsername,
} from '../modules/users/users.service.ts';
import type { Role } from '../policies.ts';

// `pulih users …`: accounts from the command line, for an office without a working admin
// login (a forgotten password) or a script. Acts as the administrator; each change is audited.
export function registerUsers(program: Command, open: () => Promise<AppContext>) {
  const users = program.command('users').description('create, list, disable users and reset passwords');

  const run = async (data: string | undefined, work: (ctx: AppContext) => Promise<void>) => {
    if (data) program.setOptionValue('data', data);
    const ctx = await open();
    try {
      await work(ctx);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      console.error(`${typeof code === 'string' ? `${code}: ` : ''}${(error as Error).message}`);
      process.exitCode = 1;
    } finally {
      await ctx.database.close();
    }
  };

  users
    .command('add <username>')
    .description('create a user; prints a one-time password to change at first login')
    .requiredOption('--role <role>', 'admin, program_officer, kecamatan_officer, sopd_officer or owner')
    .option('--name <name>', 'display name (default: the username)')
    .option('--kecamatan <code>', 'kecamatan code of a kecamatan officer, e.g. 62.71.02')
    .option('--organisation <id>', 'organisation id (an SOPD officer’s SOPD)')
    .option('--person <id>', 'the registry person an owner account is for')
    .option('--data <dir>', 'PGlite data folder')
    .action(
      async (
        username: string,
        options: {
          role: string;
          name?: string;
          kecamatan?: string;
          organisation?: string;
          person?: string;
          data?: string;
        },
      ) =>
        run(options.data, async (ctx) => {
          const parsed = createUserBody.safeParse({
            username,
            name: options.name ?? username,
            role: options.role as Role,
            kecamatan: options.kecamatan,
            organisationId: options.organisation,
            personId: options.person,
          });
          if (!parsed.success) {
            for (const issue of parsed.error.issues)
              console.error(`${issue.path.join('.')}: ${issue.message}`);
            process.exitCode = 1;
            return;
          }
          const user = await createUser(ctx, await getAdministratorActor(ctx.db), parsed.data);
          console.log(
            `Created ${user.username} (${user.role}). One-time password: ${user.temporaryPassword}`,
          );
        }),
    );

  users
    .command('list')
    .description('every user, with role, scope and state')
    .option('--json', 'print JSON')
    .option('--data <dir>', 'PGlite data folder')
    .action(async (options: { json?: boolean; data?: string }) =>
      run(options.data, async (ctx) => {
        const all = [];
        let cursor: string | undefined;
        do {
          const page = await listUsers(ctx, { limit: 200, cursor });
          all.push(...page.items);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        if (options.json) {
          console.log(JSON.stringify(all, null, 2));
          return;
        }
        for (const u of all) {
          const scope = u.kecamatan ?? u.organisation?.name ?? u.personName ?? '';
          console.log(
            `${u.username.padEnd(20)} ${u.role.padEnd(18)} ${(u.active ? 'active' : 'disabled').padEnd(9)} ${scope}`,
          );
        }
      }),
    );

  users
    .command('disable <username>')
    .description('disable a user; their sessions and tokens end at once')
    .option('--data <dir>', 'PGlite data folder')
    .action(async (username: string, options: { data?: string }) =>
      run(options.data, async (ctx) => {
        await setActiveByUsername(ctx, await getAdministratorActor(ctx.db), username, false);
        console.log(`Disabled ${username}.`);
      }),
    );

  users
    .command('enable <username>')
    .description('enable a disabled user again')
    .option('--data <dir>', 'PGlite data folder')
    .action(async (username: string, options: { data?: string }) =>
      run(options.data, async (ctx) => {
        await setActiveByUsername(ctx, await getAdministratorActor(ctx.db), username, true);
        console.log(`Enabled ${username}.`);
      }),
    );

  users
    .command('reset-password <username>')
    .description('a new one-time password; the user chooses their own at the next login')
    .option('--data <dir>', 'PGlite data folder')
    .action(async (username: string, options: { data?: string }) =>
      run(options.data, async (ctx) => {
        const { temporaryPassword } = await resetPasswordByUsername(
          ctx,
          await getAdministratorActor(ctx.db),
          username,
        );
        console.log(`New one-time password for ${username}: ${temporaryPassword}`);
      }),
    );
}
