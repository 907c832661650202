-- Duplicate detection reads the name key from people.name_key, a stored generated column: its
-- expression is nameKeySql() of src/domain/dedup.ts (adding it rewrites the people table once).
-- The review queue (dedup_candidates) is filled by the background job of kind 'dedup'.
CREATE TABLE "dedup_candidates" (
	"person_a" uuid NOT NULL,
	"person_b" uuid NOT NULL,
	"score" double precision NOT NULL,
	"nik_distance" integer NOT NULL,
	"nik_transposed" boolean NOT NULL,
	"name_relation" text NOT NULL,
	"name_similarity" double precision NOT NULL,
	"name_distance" integer NOT NULL,
	"name_length" integer NOT NULL,
	"shorter_name_tokens" integer NOT NULL,
	"name_frequency" integer NOT NULL,
	"birth_date_agreement" text NOT NULL,
	"sex_agreement" text NOT NULL,
	"same_phone" boolean NOT NULL,
	"same_address" boolean NOT NULL,
	"same_kelurahan" boolean NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dedup_candidates_person_a_person_b_pk" PRIMARY KEY("person_a","person_b"),
	CONSTRAINT "dedup_candidates_order" CHECK ("dedup_candidates"."person_a" < "dedup_candidates"."person_b"),
	CONSTRAINT "dedup_candidates_name_relation" CHECK ("dedup_candidates"."name_relation" in ('same', 'reordered', 'subset', 'similar')),
	CONSTRAINT "dedup_candidates_agreements" CHECK ("dedup_candidates"."birth_date_agreement" in ('same', 'different', 'unknown') and "dedup_candidates"."sex_agreement" in ('same', 'different', 'unknown'))
);
--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "name_key" text GENERATED ALWAYS AS (coalesce(nullif(regexp_replace(regexp_replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(regexp_replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace((' ' || replace(regexp_replace(regexp_replace(case when regexp_replace(regexp_replace(regexp_replace(regexp_replace(lower("name"), ',.*$', '', 'g'), '[''`’‘]', '', 'g'), '\s+', ' ', 'g'), '^ ?((h|hj|haji|hajah|hajjah|ibu|bu|bapak|bpk|bp|pak|sdr|sdri|sdra|saudara|saudari|dr|drs|dra|ir|prof|ust|ustad|ustadz|ustaz|ustadzah|ustazah|kh|tn|ny|nn|nyonya|tuan|nona|alm|almh|almarhum|almarhumah|ns)(\. ?| ))+', '', 'g') ~ '[.]|(spd|spdi|spdsd|sei|shi|sag|skom|ssos|ssi|sip|sikom|skm|skep|sked|sfarm|spt|stp|shut|ssn|sds|sth|shum|spsi|skes|sak|str|amd|amdkeb|amdkep|amdkes|amdak|amdkom|amd|amdkeb|amdkep|ama|amapd|mpd|msi|mag|mkes|mkom|msc|mhum|mak|mba|mba|phd|bsc|apt) ?$' then regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(lower("name"), ',.*$', '', 'g'), '[''`’‘]', '', 'g'), '\s+', ' ', 'g'), '^ ?((h|hj|haji|hajah|hajjah|ibu|bu|bapak|bpk|bp|pak|sdr|sdri|sdra|saudara|saudari|dr|drs|dra|ir|prof|ust|ustad|ustadz|ustaz|ustadzah|ustazah|kh|tn|ny|nn|nyonya|tuan|nona|alm|almh|almarhum|almarhumah|ns)(\. ?| ))+', '', 'g'), '( (s\.\s?pd|spd|s\.\s?pd\.\s?i|spdi|s\.\s?pd\.\s?sd|spdsd|s\.\s?e|s\.\s?e\.\s?i|sei|s\.\s?h|s\.\s?h\.\s?i|shi|s\.\s?t|s\.\s?ag|sag|s\.\s?kom|skom|s\.\s?sos|ssos|s\.\s?si|ssi|s\.\s?ip|sip|s\.\s?i\.\s?kom|sikom|s\.\s?km|skm|s\.\s?kep|skep|s\.\s?ked|sked|s\.\s?farm|sfarm|s\.\s?p|s\.\s?pt|spt|s\.\s?tp|stp|s\.\s?hut|shut|s\.\s?sn|ssn|s\.\s?ds|sds|s\.\s?th|sth|s\.\s?hum|shum|s\.\s?psi|spsi|s\.\s?kes|skes|s\.\s?ak|sak|s\.\s?tr|str|a\.\s?md|amd|a\.\s?md\.\s?keb|amdkeb|a\.\s?md\.\s?kep|amdkep|a\.\s?md\.\s?kes|amdkes|a\.\s?md\.\s?ak|amdak|a\.\s?md\.\s?kom|amdkom|amd|amd\.\s?keb|amdkeb|amd\.\s?kep|amdkep|a\.\s?ma|ama|a\.\s?ma\.\s?pd|amapd|m\.\s?m|m\.\s?pd|mpd|m\.\s?si|msi|m\.\s?h|m\.\s?t|m\.\s?ag|mag|m\.\s?kes|mkes|m\.\s?kom|mkom|m\.\s?sc|msc|m\.\s?a|m\.\s?e|m\.\s?hum|mhum|m\.\s?ak|mak|m\.\s?b\.\s?a|mba|mba|ph\.\s?d|phd|b\.\s?a|b\.\s?sc|bsc|apt)\.?)+ ?$', '', 'g') else regexp_replace(regexp_replace(regexp_replace(regexp_replace(lower("name"), ',.*$', '', 'g'), '[''`’‘]', '', 'g'), '\s+', ' ', 'g'), '^ ?((h|hj|haji|hajah|hajjah|ibu|bu|bapak|bpk|bp|pak|sdr|sdri|sdra|saudara|saudari|dr|drs|dra|ir|prof|ust|ustad|ustadz|ustaz|ustadzah|ustazah|kh|tn|ny|nn|nyonya|tuan|nona|alm|almh|almarhum|almarhumah|ns)(\. ?| ))+', '', 'g') end, '[^a-z]+', ' ', 'g'), '^ +| +$', '', 'g'), ' ', '  ') || ' '), 'oe', 'u'), 'dj', 'j'), 'tj', 'c'), 'sj', 's'), 'ch', 'kh'), 'kh', 'h'), 'sy', 's'), 'th', 't'), 'dh', 'd'), 'ph', 'f'), 'q', 'k'), 'y ', 'i '), '([a-z])\1+', '\1', 'g'), ' mohamad ', ' muhamad '), ' muhamed ', ' muhamad '), ' mohamed ', ' muhamad '), ' muhamat ', ' muhamad '), ' mohamat ', ' muhamad '), ' mukhamad ', ' muhamad '), ' mokhamad ', ' muhamad '), ' mukhamat ', ' muhamad '), ' muhammad ', ' muhamad '), ' mohd ', ' muhamad '), ' muhd ', ' muhamad '), ' muh ', ' muhamad '), ' moh ', ' muhamad '), ' mhd ', ' muhamad '), ' md ', ' muhamad '), ' m  ', ' muhamad  '), ' akhmad ', ' ahmad '), ' ahmed ', ' ahmad '), ' ahmat ', ' ahmad '), ' akhmat ', ' ahmad '), ' achmad ', ' ahmad '), ' abd ', ' abdul '), ' abdol ', ' abdul '), ' nor ', ' nur '), ' nurul ', ' nur '), ' johanes ', ' yohanes '), ' yohanis ', ' yohanes '), ' johanis ', ' yohanes '), ' yusup ', ' yusuf '), ' jusuf ', ' yusuf '), ' +', ' ', 'g'), '^ | $', '', 'g'), ''), btrim(regexp_replace(lower("name"), '[^a-z]+', ' ', 'g')))) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "dedup_candidates" ADD CONSTRAINT "dedup_candidates_person_a_people_id_fk" FOREIGN KEY ("person_a") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dedup_candidates" ADD CONSTRAINT "dedup_candidates_person_b_people_id_fk" FOREIGN KEY ("person_b") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dedup_candidates_page_idx" ON "dedup_candidates" USING btree ((-"score"),"person_a","person_b");--> statement-breakpoint
CREATE INDEX "dedup_candidates_person_b_idx" ON "dedup_candidates" USING btree ("person_b");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_one_queued_dedup_key" ON "jobs" USING btree ("kind") WHERE "jobs"."kind" = 'dedup' and "jobs"."status" = 'queued' and "jobs"."started_at" is null;--> statement-breakpoint
CREATE INDEX "people_merged_into_idx" ON "people" USING btree ("merged_into","id") WHERE "people"."merged_into" is not null;