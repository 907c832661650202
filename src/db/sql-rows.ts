import type { SQLWrapper } from 'drizzle-orm';
import type { DbOrTx } from './client.ts';

// Raw SQL (`db.execute`) answers with the driver's own result: node-postgres' QueryResult and
// PGlite's Results both carry the rows in `rows`, but `Db` is typed over drizzle's generic
// PgQueryResultHKT, so the result is `unknown` to the compiler. This is the one place that says
// what it is; the row type is the caller's claim about its own select list.

export function rowsOf<T>(result: unknown): T[] {
  const rows =
    typeof result === 'object' && result !== null ? (result as { rows?: unknown }).rows : undefined;
  if (!Array.isArray(rows)) throw new Error('a raw SQL result without rows');
  return rows as T[];
}

export async function queryRows<T>(db: DbOrTx, query: SQLWrapper): Promise<T[]> {
  return rowsOf<T>(await db.execute(query));
}

// The first row, or undefined when the statement gave none.
export async function queryRow<T>(db: DbOrTx, query: SQLWrapper): Promise<T | undefined> {
  return (await queryRows<T>(db, query))[0];
}
