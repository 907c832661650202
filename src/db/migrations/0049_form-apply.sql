-- The public form's application in two round trips, as an officer's (issue 14, point 1): the
-- person of the NIK is found in the same statement as everything the application is judged on.
-- This function finds the applicant and names the business the rest of the statement reads:
-- the one asked for, or the only one, among the businesses the form lists, and only when the
-- phone number matches. A wrong NIK or phone therefore reads no business at all, as an
-- unknown NIK does, and costs what it costs.
--
-- The phone comparison follows normalizePhone (src/domain/phone.ts): separators out, then the
-- country code or the trunk zero. `p_phone` is the typed number as normalizePhone made it
-- (+62 and a valid national part), so equality also means the stored one is valid. The server
-- compares the two again itself and decides; where this comparison and the server's disagree
-- (a stored number with a separator only the server strips), no business is named and the
-- server reads it on its own round trip.
CREATE OR REPLACE FUNCTION pulih_form_application(p_program_id uuid, p_nik text, p_phone text,
    p_business_id uuid) RETURNS TABLE (applicant json, business_id uuid)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_applicant json := pulih_form_applicant(p_program_id, p_nik);
  v_compact text := regexp_replace(v_applicant->'person'->>'phone', '[[:space:].()-]', '', 'g');
  v_national text;
  v_business uuid;
BEGIN
  v_national := CASE
    WHEN v_compact LIKE '+62%' THEN regexp_replace(substr(v_compact, 4), '^0', '')
    WHEN v_compact LIKE '62%' THEN regexp_replace(substr(v_compact, 3), '^0', '')
    WHEN v_compact LIKE '0%' THEN substr(v_compact, 2)
    ELSE v_compact END;
  IF '+62' || v_national = p_phone THEN
    SELECT (e->>'id')::uuid INTO v_business
      FROM json_array_elements(v_applicant->'businesses') e
      WHERE CASE WHEN p_business_id IS NULL THEN json_array_length(v_applicant->'businesses') = 1
        ELSE e->>'id' = p_business_id::text END
      LIMIT 1;
  END IF;
  RETURN QUERY SELECT v_applicant, v_business;
END
$$;
