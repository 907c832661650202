-- An application is decided while its program's row is locked, and the outcomes triggers ran
-- inside that lock: the full refresh of a new application, and a refresh on every update of
-- its program (each seat taken bumps programs.enrolled_count). Both did work that cannot
-- change a figure:
-- - a new application that is not completed has no follow-ups, no answers and no equipment
--   counted yet, so its row is all zeros but for where it is; it is written directly (a
--   completed one, as a restore or the demo writes, still takes the full refresh);
-- - the programs' trigger reads only end_date, so it fires only when end_date changes, per row.
CREATE OR REPLACE FUNCTION application_outcomes_of_new_applications() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO application_outcomes (application_id, program_id, business_id, status, kecamatan_code, kbli,
    equipped, asked, answered, selling, new_entrepreneur, active, recovered_known, recovered)
  SELECT c.id, c.program_id, c.business_id, c.status, b.kecamatan_code, b.kbli, 0, 0, 0, 0, 0, 0, 0, 0
  FROM changed c JOIN businesses b ON b.id = c.business_id
  WHERE c.status <> 'completed';
  IF EXISTS (SELECT 1 FROM changed WHERE status = 'completed') THEN
    PERFORM refresh_application_outcomes(array(SELECT id FROM changed WHERE status = 'completed'));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
DROP TRIGGER application_outcomes_applications_insert ON applications;
--> statement-breakpoint
CREATE TRIGGER application_outcomes_applications_insert AFTER INSERT ON applications
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION application_outcomes_of_new_applications();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION application_outcomes_of_program_end() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_application_outcomes(array(SELECT a.id FROM applications a WHERE a.program_id = NEW.id));
  RETURN NULL;
END
$$;
--> statement-breakpoint
DROP TRIGGER application_outcomes_programs_update ON programs;
--> statement-breakpoint
DROP FUNCTION application_outcomes_of_programs();
--> statement-breakpoint
CREATE TRIGGER application_outcomes_programs_update AFTER UPDATE OF end_date ON programs
  FOR EACH ROW WHEN (OLD.end_date IS DISTINCT FROM NEW.end_date)
  EXECUTE FUNCTION application_outcomes_of_program_end();
