CREATE TABLE "application_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "application_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"application_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"actor_id" uuid,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "exclusion_entries" (
	"list_id" uuid NOT NULL,
	"nik" text NOT NULL,
	"note" text,
	CONSTRAINT "exclusion_entries_list_id_nik_pk" PRIMARY KEY("list_id","nik"),
	CONSTRAINT "exclusion_entries_nik_digits" CHECK ("exclusion_entries"."nik" ~ '^[0-9]{16}$')
);
--> statement-breakpoint
CREATE TABLE "exclusion_lists" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"source" text,
	"entries" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "exclusion_lists_kind" CHECK ("exclusion_lists"."kind" in ('asn', 'deceased', 'already_aided', 'other'))
);
--> statement-breakpoint
CREATE TABLE "program_quotas" (
	"program_id" uuid NOT NULL,
	"kecamatan_code" text NOT NULL,
	"quota" integer NOT NULL,
	"taken" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "program_quotas_program_id_kecamatan_code_pk" PRIMARY KEY("program_id","kecamatan_code"),
	CONSTRAINT "program_quotas_within" CHECK ("program_quotas"."taken" between 0 and "program_quotas"."quota")
);
--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "source" text DEFAULT 'officer' NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "score" numeric(14, 4);--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "status_token" text;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "priority_rule" jsonb;--> statement-breakpoint
ALTER TABLE "application_events" ADD CONSTRAINT "application_events_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_events" ADD CONSTRAINT "application_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exclusion_entries" ADD CONSTRAINT "exclusion_entries_list_id_exclusion_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."exclusion_lists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exclusion_lists" ADD CONSTRAINT "exclusion_lists_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_quotas" ADD CONSTRAINT "program_quotas_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "application_events_application_idx" ON "application_events" USING btree ("application_id","at");--> statement-breakpoint
CREATE INDEX "exclusion_entries_nik_idx" ON "exclusion_entries" USING btree ("nik");--> statement-breakpoint
CREATE UNIQUE INDEX "exclusion_lists_name_key" ON "exclusion_lists" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "applications_status_token_key" ON "applications" USING btree ("status_token");--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_source" CHECK ("applications"."source" in ('officer', 'owner', 'public'));