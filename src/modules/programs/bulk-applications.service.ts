// Bulk enrolment: a whole class in one request. Each business is judged and put in exactly
// as a single application (enterApplication, one statement each, so seats, quotas and the
// waitlist are taken by the same conditional updates and concurrent requests race as single
// applications do), in the order the request lists them, with one result per business.

import { accessibleIds } from '../../access/access.service.ts';
import type { AppContext } from '../../lib/context.ts';
import { AppError, fail, uniqueViolation } from '../../lib/errors.ts';
import { type Actor, can } from '../../policies.ts';
import { enterApplication } from './applications.service.ts';
import { getProgram } from './programs.queries.ts';
import type { BulkApplicationResult } from './programs.schema.ts';
import { explainEligibility, factsFor } from './programs.service.ts';

export async function applyInBulk(
  ctx: AppContext,
  actor: Actor,
  programId: string,
  businessIds: readonly string[],
): Promise<{ results: BulkApplicationResult[] }> {
  const program = (await getProgram(ctx.db, programId)) ?? fail('not_found');
  if (program.program.archivedAt) fail('program_archived');
  // Out of the actor's scope and absent are one answer: not_found (nothing leaks).
  const reachable = await accessibleIds(ctx, actor, 'readBusinesses', [...new Set(businessIds)]);
  const source = can(actor, 'applyOnBehalf') ? 'officer' : 'owner';
  const done = new Map<string, BulkApplicationResult>();
  const results: BulkApplicationResult[] = [];
  for (const businessId of businessIds) {
    const earlier = done.get(businessId);
    if (earlier) {
      // Listed twice: the second is the application the first made (or failed to make).
      results.push({ ...earlier, error: 'duplicate_in_request' });
      continue;
    }
    const result = reachable.has(businessId)
      ? await applyOne(ctx, actor, program.program, businessId, source)
      : { businessId, status: 'not_found' as const, error: 'not_found' };
    done.set(businessId, result);
    results.push(result);
  }
  return { results };
}

async function applyOne(
  ctx: AppContext,
  actor: Actor,
  program: NonNullable<Awaited<ReturnType<typeof getProgram>>>['program'],
  businessId: string,
  source: 'officer' | 'owner',
): Promise<BulkApplicationResult> {
  try {
    const facts = await factsFor(ctx, businessId, program.startDate);
    const eligibility = explainEligibility(program.eligibility, facts);
    const submitted = await enterApplication(ctx.db, actor, {
      program,
      businessId,
      kecamatan: facts.kecamatan,
      eligibility,
      source,
      returnExisting: true,
    });
    if (submitted.alreadyApplied)
      return {
        businessId,
        status: 'already_applied',
        applicationId: submitted.id,
        applicationStatus: submitted.status,
        error: 'already_applied',
      };
    return {
      businessId,
      status: submitted.status as BulkApplicationResult['status'],
      applicationId: submitted.id,
      ...(submitted.status === 'ineligible'
        ? { reasons: eligibility.clauses.filter((c) => !c.passed).map((c) => c.description) }
        : {}),
    };
  } catch (error) {
    // A concurrent request put the same business in first: answered as already applied.
    if (uniqueViolation(error) === 'applications_program_business_key')
      return { businessId, status: 'already_applied', error: 'already_applied' };
    if (error instanceof AppError) return { businessId, status: 'failed', error: error.code };
    throw error;
  }
}
