-- application_outcomes kept up to date: refresh_application_outcomes(ids) recomputes the rows of
-- the given applications from applications, programs, businesses, follow-ups, answers and aid
-- allocations, with the definitions of DOMAIN.md "Outcomes" (src/domain/outcomes.ts is the
-- oracle; the figures' tests compare the two). Statement-level triggers with transition tables
-- call it once per statement for the applications the statement touched, so a bulk insert of
-- follow-ups or answers costs one set-based refresh, not one per row.
-- The 3 below is newEntrepreneurMonths of src/domain/outcomes.ts.
CREATE OR REPLACE FUNCTION refresh_application_outcomes(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM application_outcomes o WHERE o.application_id = ANY (ids);
  INSERT INTO application_outcomes (application_id, program_id, business_id, status, kecamatan_code, kbli,
    equipped, asked, answered, selling, new_entrepreneur, active, recovered_known, recovered, last_due,
    turnover_before, turnover_after, workers_before, workers_after)
  WITH apps AS (
    SELECT a.id AS application_id, a.program_id, a.business_id, a.status, p.end_date,
      b.kecamatan_code, b.kbli, b.annual_turnover, b.status AS business_status, b.workers AS business_workers
    FROM (SELECT DISTINCT unnest(ids) AS id) i
    JOIN applications a ON a.id = i.id
    JOIN programs p ON p.id = a.program_id
    JOIN businesses b ON b.id = a.business_id
  ),
  fu AS (
    SELECT f.id, f.application_id, f.due_at, g.end_date
    FROM follow_ups f JOIN apps g ON g.application_id = f.application_id
    WHERE g.status = 'completed'
  ),
  -- each follow-up's answer: the latest given (answered twice: the latest wins)
  answer AS (
    SELECT DISTINCT ON (x.follow_up_id) x.follow_up_id, fu.application_id, fu.due_at, fu.end_date,
      x.sales_last_month, x.workers, x.still_producing, x.answered_at, x.id
    FROM follow_up_answers x JOIN fu ON fu.id = x.follow_up_id
    ORDER BY x.follow_up_id, x.answered_at DESC, x.id DESC
  ),
  -- the graduate's latest answer: of the latest follow-up answered
  latest AS (
    SELECT DISTINCT ON (application_id) application_id, sales_last_month, workers, still_producing
    FROM answer ORDER BY application_id, due_at DESC, answered_at DESC, id DESC
  ),
  asked AS (SELECT application_id, max(due_at) AS last_due FROM fu GROUP BY application_id),
  sold_later AS (
    SELECT DISTINCT application_id FROM answer
    WHERE sales_last_month > 0 AND due_at >= end_date + make_interval(months => 3)
  )
  SELECT g.application_id, g.program_id, g.business_id, g.status, g.kecamatan_code, g.kbli,
    (CASE WHEN g.status = 'completed' AND EXISTS (
      SELECT 1 FROM aid_allocations z WHERE z.business_id = g.business_id AND z.program_id = g.program_id
        AND z.status IN ('handed_over', 'received')) THEN 1 ELSE 0 END),
    (CASE WHEN k.application_id IS NULL THEN 0 ELSE 1 END),
    (CASE WHEN l.application_id IS NULL THEN 0 ELSE 1 END),
    (CASE WHEN l.sales_last_month > 0 THEN 1 ELSE 0 END),
    (CASE WHEN (g.annual_turnover = 0 OR g.business_status <> 'aktif') AND s.application_id IS NOT NULL
      THEN 1 ELSE 0 END),
    (CASE WHEN l.still_producing AND l.sales_last_month > 0 THEN 1 ELSE 0 END),
    (CASE WHEN l.application_id IS NOT NULL AND g.annual_turnover > 0 THEN 1 ELSE 0 END),
    (CASE WHEN l.application_id IS NOT NULL AND g.annual_turnover > 0
      AND l.sales_last_month * 12 >= g.annual_turnover THEN 1 ELSE 0 END),
    k.last_due,
    (CASE WHEN l.application_id IS NOT NULL AND g.annual_turnover IS NOT NULL THEN g.annual_turnover END),
    (CASE WHEN l.application_id IS NOT NULL AND g.annual_turnover IS NOT NULL THEN l.sales_last_month * 12 END),
    (CASE WHEN l.application_id IS NOT NULL AND g.business_workers IS NOT NULL THEN g.business_workers END),
    (CASE WHEN l.application_id IS NOT NULL AND g.business_workers IS NOT NULL THEN l.workers END)
  FROM apps g
  LEFT JOIN asked k ON k.application_id = g.application_id
  LEFT JOIN latest l ON l.application_id = g.application_id
  LEFT JOIN sold_later s ON s.application_id = g.application_id;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION application_outcomes_of_applications() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_application_outcomes(array(SELECT id FROM changed));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION application_outcomes_of_follow_ups() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_application_outcomes(array(SELECT DISTINCT application_id FROM changed));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION application_outcomes_of_answers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_application_outcomes(array(
    SELECT DISTINCT f.application_id FROM changed c JOIN follow_ups f ON f.id = c.follow_up_id));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION application_outcomes_of_aid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_application_outcomes(array(
    SELECT DISTINCT a.id FROM changed c JOIN applications a
      ON a.business_id = c.business_id AND a.program_id = c.program_id));
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Only the columns the outcomes read: a business edited for its name or address costs nothing.
CREATE OR REPLACE FUNCTION application_outcomes_of_businesses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_application_outcomes(array(
    SELECT DISTINCT a.id FROM new_rows n JOIN old_rows o ON o.id = n.id
    JOIN applications a ON a.business_id = n.id
    WHERE (n.kecamatan_code, n.kbli, n.annual_turnover, n.status, n.workers)
      IS DISTINCT FROM (o.kecamatan_code, o.kbli, o.annual_turnover, o.status, o.workers)));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION application_outcomes_of_programs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_application_outcomes(array(
    SELECT a.id FROM new_rows n JOIN old_rows o ON o.id = n.id
    JOIN applications a ON a.program_id = n.id
    WHERE n.end_date IS DISTINCT FROM o.end_date));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER application_outcomes_applications_insert AFTER INSERT ON applications
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION application_outcomes_of_applications();
--> statement-breakpoint
CREATE TRIGGER application_outcomes_applications_update AFTER UPDATE ON applications
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION application_outcomes_of_applications();
--> statement-breakpoint
CREATE TRIGGER application_outcomes_follow_ups_insert AFTER INSERT ON follow_ups
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION application_outcomes_of_follow_ups();
--> statement-breakpoint
CREATE TRIGGER application_outcomes_follow_ups_update AFTER UPDATE ON follow_ups
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION application_outcomes_of_follow_ups();
--> statement-breakpoint
CREATE TRIGGER application_outcomes_follow_ups_delete AFTER DELETE ON follow_ups
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION application_outcomes_of_follow_ups();
--> statement-breakpoint
CREATE TRIGGER application_outcomes_answers_insert AFTER INSERT ON follow_up_answers
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION application_outcomes_of_answers();
--> statement-breakpoint
CREATE TRIGGER application_outcomes_answers_update AFTER UPDATE ON follow_up_answers
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION application_outcomes_of_answers();
--> statement-breakpoint
CREATE TRIGGER application_outcomes_answers_delete AFTER DELETE ON follow_up_answers
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION application_outcomes_of_answers();
--> statement-breakpoint
CREATE TRIGGER application_outcomes_aid_insert AFTER INSERT ON aid_allocations
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION application_outcomes_of_aid();
--> statement-breakpoint
CREATE TRIGGER application_outcomes_aid_update AFTER UPDATE ON aid_allocations
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION application_outcomes_of_aid();
--> statement-breakpoint
CREATE TRIGGER application_outcomes_aid_delete AFTER DELETE ON aid_allocations
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION application_outcomes_of_aid();
--> statement-breakpoint
CREATE TRIGGER application_outcomes_businesses_update AFTER UPDATE ON businesses
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION application_outcomes_of_businesses();
--> statement-breakpoint
CREATE TRIGGER application_outcomes_programs_update AFTER UPDATE ON programs
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION application_outcomes_of_programs();
--> statement-breakpoint
-- The applications already recorded.
SELECT refresh_application_outcomes(array(SELECT id FROM applications));
