-- business_counts kept by statement triggers on businesses: each statement adds its new rows'
-- counts and takes away its old rows', per kecamatan, in kecamatan order (two imports in
-- parallel lock the rows in the same order, so they wait for each other rather than deadlock).
CREATE OR REPLACE FUNCTION business_counts_add(delta_rows jsonb) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO business_counts AS c (kecamatan_code, businesses, covid_impacted)
  SELECT d.k, d.n, d.covid
  FROM jsonb_to_recordset(delta_rows) AS d(k text, n int, covid int)
  WHERE d.n <> 0 OR d.covid <> 0
  ORDER BY d.k
  ON CONFLICT (kecamatan_code) DO UPDATE
    SET businesses = c.businesses + excluded.businesses, covid_impacted = c.covid_impacted + excluded.covid_impacted;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION business_counts_of_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM business_counts_add(coalesce((SELECT jsonb_agg(jsonb_build_object('k', k, 'n', n, 'covid', covid))
    FROM (SELECT kecamatan_code AS k, count(*) AS n, count(*) FILTER (WHERE covid_impacted) AS covid
          FROM new_rows GROUP BY kecamatan_code) s), '[]'::jsonb));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION business_counts_of_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM business_counts_add(coalesce((SELECT jsonb_agg(jsonb_build_object('k', k, 'n', -n, 'covid', -covid))
    FROM (SELECT kecamatan_code AS k, count(*) AS n, count(*) FILTER (WHERE covid_impacted) AS covid
          FROM old_rows GROUP BY kecamatan_code) s), '[]'::jsonb));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION business_counts_of_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM business_counts_add(coalesce((SELECT jsonb_agg(jsonb_build_object('k', k, 'n', n, 'covid', covid))
    FROM (SELECT k, sum(n)::int AS n, sum(covid)::int AS covid FROM (
            SELECT kecamatan_code AS k, 1 AS n, (CASE WHEN covid_impacted THEN 1 ELSE 0 END) AS covid FROM new_rows
            UNION ALL
            SELECT kecamatan_code, -1, (CASE WHEN covid_impacted THEN -1 ELSE 0 END) FROM old_rows) u
          GROUP BY k) s), '[]'::jsonb));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER business_counts_insert AFTER INSERT ON businesses
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION business_counts_of_insert();
--> statement-breakpoint
CREATE TRIGGER business_counts_delete AFTER DELETE ON businesses
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION business_counts_of_delete();
--> statement-breakpoint
CREATE TRIGGER business_counts_update AFTER UPDATE ON businesses
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION business_counts_of_update();
--> statement-breakpoint
INSERT INTO business_counts (kecamatan_code, businesses, covid_impacted)
SELECT kecamatan_code, count(*), count(*) FILTER (WHERE covid_impacted) FROM businesses GROUP BY kecamatan_code;
