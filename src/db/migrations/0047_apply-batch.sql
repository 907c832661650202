-- Group commit of applications (issue 14, point 1). A decision holds its program's row lock
-- from the seat until its commit has reached the disk, so a burst of single decisions
-- (pulih_apply, one transaction each) is served one fsync at a time. pulih_apply_many decides
-- the applications that queued up in one process while its previous statement was running,
-- in their order of arrival, each exactly as pulih_apply decides it alone (it calls it), and
-- commits them together: one lock hold and one flush for the lot.
-- p_calls: an array of pulih_apply's arguments by name (programId, businessId, kecamatan,
-- outcome, reasons, source, actorId, id, statusToken, returnExisting, outbox); the answer, an
-- array of pulih_apply's answers in the same order.
-- An item can fail: a request in another process put the same business in first (unique
-- violation), or a withdrawal of the same application took its locks the other way round
-- (deadlock). With p_each_alone each item runs in a block of its own, undone alone and answered
-- with its error ('error': SQLSTATE, constraint, message) while the others stand. That block is
-- a subtransaction per item, which about doubles the function's time, so the caller first
-- sends a batch without it (an error then undoes the whole statement) and only a batch that
-- failed again with it.
CREATE OR REPLACE FUNCTION pulih_apply_many(p_calls jsonb, p_each_alone boolean) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  c jsonb;
  answer jsonb;
  answers jsonb := '[]'::jsonb;
  err_state text;
  err_constraint text;
  err_message text;
BEGIN
  FOR c IN SELECT e.value FROM jsonb_array_elements(p_calls) WITH ORDINALITY AS e(value, n) ORDER BY e.n LOOP
    IF NOT p_each_alone THEN
      answer := pulih_apply((c ->> 'programId')::uuid, (c ->> 'businessId')::uuid, c ->> 'kecamatan',
        c ->> 'outcome', c -> 'reasons', c ->> 'source', (c ->> 'actorId')::uuid, (c ->> 'id')::uuid,
        c ->> 'statusToken', (c ->> 'returnExisting')::boolean, c -> 'outbox');
    ELSE
      BEGIN
        answer := pulih_apply((c ->> 'programId')::uuid, (c ->> 'businessId')::uuid, c ->> 'kecamatan',
          c ->> 'outcome', c -> 'reasons', c ->> 'source', (c ->> 'actorId')::uuid, (c ->> 'id')::uuid,
          c ->> 'statusToken', (c ->> 'returnExisting')::boolean, c -> 'outbox');
      EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS err_state = RETURNED_SQLSTATE, err_constraint = CONSTRAINT_NAME,
          err_message = MESSAGE_TEXT;
        answer := jsonb_build_object('outcome', 'error', 'code', err_state,
          'constraint', nullif(err_constraint, ''), 'message', err_message);
      END;
    END IF;
    answers := answers || jsonb_build_array(answer);
  END LOOP;
  RETURN answers;
END
$$;
