-- pulih_apply (migration 0031) answers with the application as saved ('row', in the audit
-- log's shape), so that the officer's answer is made without reading the application again
-- (issue 14, point 1: one round trip for the decision and its answer). Otherwise unchanged.
CREATE OR REPLACE FUNCTION pulih_apply(
  p_program uuid,
  p_business uuid,
  p_kecamatan text,
  p_outcome text,
  p_reasons jsonb,
  p_source text,
  p_actor uuid,
  p_id uuid,
  p_token text,
  p_return_existing boolean,
  p_outbox jsonb
) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  found_row applications;
  saved applications;
  decided application_status;
  seat boolean;
  event_id bigint;
  event_kind text;
BEGIN
  SELECT * INTO found_row FROM applications
  WHERE program_id = p_program AND business_id = p_business FOR UPDATE;

  IF found_row.id IS NOT NULL AND found_row.status NOT IN ('ineligible', 'withdrawn') THEN
    IF p_return_existing AND found_row.status_token IS NULL THEN
      UPDATE applications SET status_token = p_token WHERE id = found_row.id
      RETURNING * INTO found_row;
    END IF;
    RETURN jsonb_build_object('outcome', 'existing', 'id', found_row.id, 'status', found_row.status,
      'statusToken', found_row.status_token);
  END IF;
  IF found_row.id IS NOT NULL
     AND (found_row.id <> p_id OR coalesce(found_row.status_token, p_token) <> p_token) THEN
    RETURN jsonb_build_object('outcome', 'stale', 'id', found_row.id, 'statusToken', found_row.status_token);
  END IF;

  IF p_outcome = 'ineligible' THEN
    decided := 'ineligible';
  ELSIF p_outcome = 'pending' THEN
    decided := 'pending';
  ELSE
    UPDATE programs SET enrolled_count = enrolled_count + 1
    WHERE id = p_program AND enrolled_count < capacity;
    seat := FOUND;
    IF seat AND p_kecamatan IS NOT NULL THEN
      UPDATE program_quotas SET taken = taken + 1
      WHERE program_id = p_program AND kecamatan_code = p_kecamatan AND taken < quota;
      IF NOT FOUND AND EXISTS (
        SELECT 1 FROM program_quotas WHERE program_id = p_program AND kecamatan_code = p_kecamatan
      ) THEN
        UPDATE programs SET enrolled_count = enrolled_count - 1 WHERE id = p_program;
        seat := false;
      END IF;
    END IF;
    decided := CASE WHEN seat THEN 'enrolled' ELSE 'waitlisted' END;
  END IF;
  event_kind := CASE decided WHEN 'pending' THEN 'applied' ELSE decided::text END;

  IF found_row.id IS NOT NULL THEN
    UPDATE applications SET status = decided, reasons = p_reasons, source = p_source,
      applied_by = p_actor, score = NULL, status_token = p_token, updated_at = now()
    WHERE id = found_row.id
    RETURNING * INTO saved;
  ELSE
    INSERT INTO applications (id, program_id, business_id, status, reasons, applied_by, source, status_token)
    VALUES (p_id, p_program, p_business, decided, p_reasons, p_actor, p_source, p_token)
    RETURNING * INTO saved;
  END IF;

  INSERT INTO application_events (application_id, kind, from_status, to_status, actor_id)
  VALUES (saved.id, event_kind, found_row.status, saved.status, p_actor)
  RETURNING id INTO event_id;

  INSERT INTO notification_outbox (event_key, channel, recipient, template, language, variables,
    body, status, reason, next_attempt_at, person_id, business_id, application_id, program_id)
  SELECT 'application_event:' || event_id, m.channel, m.recipient, m.template, m.language,
    m.variables, m.body, m.status, m.reason, m.next_attempt_at, m.person_id, m.business_id,
    saved.id, m.program_id
  FROM jsonb_to_recordset(coalesce(p_outbox -> event_kind, '[]'::jsonb)) AS m(channel text,
    recipient text, template text, language text, variables jsonb, body text, status text,
    reason text, next_attempt_at timestamptz, person_id uuid, business_id uuid, program_id uuid)
  ON CONFLICT (event_key, channel, recipient) DO NOTHING;

  INSERT INTO audit_log (actor_id, action, entity, entity_id, before, after)
  VALUES (p_actor, CASE WHEN found_row.id IS NULL THEN 'create' ELSE 'reapply' END, 'application',
    saved.id::text, pulih_application_audit(found_row), pulih_application_audit(saved));

  RETURN jsonb_build_object('outcome', 'applied', 'id', saved.id, 'status', saved.status,
    'statusToken', saved.status_token, 'eventId', event_id, 'row', pulih_application_audit(saved));
END
$$;
