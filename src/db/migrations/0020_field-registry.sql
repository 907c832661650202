CREATE TABLE "registration_visits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"registration_id" uuid NOT NULL,
	"client_key" text NOT NULL,
	"officer_id" uuid NOT NULL,
	"visited_at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"business_exists" boolean NOT NULL,
	"owner_met" boolean NOT NULL,
	"nik_seen" boolean NOT NULL,
	"latitude" double precision,
	"longitude" double precision,
	"note" text,
	"photo" "bytea",
	"photo_type" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "registration_visits_outcome" CHECK ("registration_visits"."outcome" in ('terverifikasi', 'perlu_perbaikan', 'ditolak'))
);
--> statement-breakpoint
CREATE TABLE "registrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"source" text NOT NULL,
	"status" text DEFAULT 'menunggu_verifikasi' NOT NULL,
	"nik" text NOT NULL,
	"name" text NOT NULL,
	"sex" "sex" NOT NULL,
	"birth_date" date NOT NULL,
	"phone" text NOT NULL,
	"address" text NOT NULL,
	"region_code" text NOT NULL,
	"kecamatan_code" text NOT NULL,
	"business_name" text NOT NULL,
	"kbli" text,
	"kbli_version" smallint,
	"annual_turnover" bigint,
	"workers" integer,
	"covid_impacted" boolean,
	"photo" "bytea",
	"photo_type" text,
	"consent_version" text NOT NULL,
	"consent_at" timestamp with time zone NOT NULL,
	"match_person_id" uuid,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"officer_note" text,
	"business_id" uuid,
	"client_key" text,
	"created_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "registrations_nik_digits" CHECK ("registrations"."nik" ~ '^[0-9]{16}$'),
	CONSTRAINT "registrations_status" CHECK ("registrations"."status" in ('menunggu_verifikasi', 'perlu_perbaikan', 'terverifikasi', 'ditolak')),
	CONSTRAINT "registrations_source" CHECK ("registrations"."source" in ('public', 'officer')),
	CONSTRAINT "registrations_amounts" CHECK (coalesce("registrations"."annual_turnover", 0) >= 0 and coalesce("registrations"."workers", 0) >= 0)
);
--> statement-breakpoint
ALTER TABLE "registration_visits" ADD CONSTRAINT "registration_visits_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration_visits" ADD CONSTRAINT "registration_visits_officer_id_users_id_fk" FOREIGN KEY ("officer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_match_person_id_people_id_fk" FOREIGN KEY ("match_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "registration_visits_client_key" ON "registration_visits" USING btree ("client_key");--> statement-breakpoint
CREATE INDEX "registration_visits_registration_idx" ON "registration_visits" USING btree ("registration_id","visited_at");--> statement-breakpoint
CREATE UNIQUE INDEX "registrations_token_key" ON "registrations" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "registrations_client_key" ON "registrations" USING btree ("client_key") WHERE "registrations"."client_key" is not null;--> statement-breakpoint
CREATE INDEX "registrations_queue_idx" ON "registrations" USING btree ("kecamatan_code","status","created_at","id");