ALTER TYPE "public"."allocation_status" ADD VALUE 'returned';--> statement-breakpoint
ALTER TYPE "public"."allocation_status" ADD VALUE 'written_off';--> statement-breakpoint
CREATE TABLE "aid_handover_items" (
	"handover_id" uuid NOT NULL,
	"allocation_id" uuid NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "aid_handover_items_handover_id_allocation_id_pk" PRIMARY KEY("handover_id","allocation_id")
);
--> statement-breakpoint
CREATE TABLE "aid_monitoring_visits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"handover_id" uuid NOT NULL,
	"allocation_id" uuid,
	"visited_at" date NOT NULL,
	"in_use" boolean NOT NULL,
	"condition" text NOT NULL,
	"note" text,
	"photo" "bytea",
	"photo_type" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "aid_monitoring_visits_condition" CHECK ("aid_monitoring_visits"."condition" in ('baik', 'rusak_ringan', 'rusak_berat', 'hilang'))
);
--> statement-breakpoint
CREATE TABLE "aid_package_items" (
	"package_id" uuid NOT NULL,
	"stock_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "aid_package_items_package_id_stock_id_pk" PRIMARY KEY("package_id","stock_id"),
	CONSTRAINT "aid_package_items_quantity" CHECK ("aid_package_items"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "aid_packages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"name" text NOT NULL,
	"budget_year" integer NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "aid_reallocations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"return_id" uuid NOT NULL,
	"allocation_id" uuid NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "aid_returns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"handover_id" uuid NOT NULL,
	"allocation_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"condition" text NOT NULL,
	"reason" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "aid_returns_kind" CHECK ("aid_returns"."kind" in ('return', 'write_off')),
	CONSTRAINT "aid_returns_condition" CHECK ("aid_returns"."condition" in ('baik', 'rusak_ringan', 'rusak_berat', 'hilang'))
);
--> statement-breakpoint
ALTER TABLE "aid_handovers" ADD COLUMN "recipient_signature" "bytea";--> statement-breakpoint
ALTER TABLE "aid_handovers" ADD COLUMN "officer_signature" "bytea";--> statement-breakpoint
ALTER TABLE "aid_handovers" ADD COLUMN "latitude" double precision;--> statement-breakpoint
ALTER TABLE "aid_handovers" ADD COLUMN "longitude" double precision;--> statement-breakpoint
ALTER TABLE "aid_handovers" ADD COLUMN "client_key" text;--> statement-breakpoint
ALTER TABLE "aid_stock" ADD COLUMN "source" text;--> statement-breakpoint
ALTER TABLE "aid_stock" ADD COLUMN "dpa_code" text;--> statement-breakpoint
ALTER TABLE "aid_handover_items" ADD CONSTRAINT "aid_handover_items_handover_id_aid_handovers_id_fk" FOREIGN KEY ("handover_id") REFERENCES "public"."aid_handovers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_handover_items" ADD CONSTRAINT "aid_handover_items_allocation_id_aid_allocations_id_fk" FOREIGN KEY ("allocation_id") REFERENCES "public"."aid_allocations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_monitoring_visits" ADD CONSTRAINT "aid_monitoring_visits_handover_id_aid_handovers_id_fk" FOREIGN KEY ("handover_id") REFERENCES "public"."aid_handovers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_monitoring_visits" ADD CONSTRAINT "aid_monitoring_visits_allocation_id_aid_allocations_id_fk" FOREIGN KEY ("allocation_id") REFERENCES "public"."aid_allocations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_monitoring_visits" ADD CONSTRAINT "aid_monitoring_visits_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_package_items" ADD CONSTRAINT "aid_package_items_package_id_aid_packages_id_fk" FOREIGN KEY ("package_id") REFERENCES "public"."aid_packages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_package_items" ADD CONSTRAINT "aid_package_items_stock_id_aid_stock_id_fk" FOREIGN KEY ("stock_id") REFERENCES "public"."aid_stock"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_packages" ADD CONSTRAINT "aid_packages_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_packages" ADD CONSTRAINT "aid_packages_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_reallocations" ADD CONSTRAINT "aid_reallocations_return_id_aid_returns_id_fk" FOREIGN KEY ("return_id") REFERENCES "public"."aid_returns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_reallocations" ADD CONSTRAINT "aid_reallocations_allocation_id_aid_allocations_id_fk" FOREIGN KEY ("allocation_id") REFERENCES "public"."aid_allocations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_reallocations" ADD CONSTRAINT "aid_reallocations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_returns" ADD CONSTRAINT "aid_returns_handover_id_aid_handovers_id_fk" FOREIGN KEY ("handover_id") REFERENCES "public"."aid_handovers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_returns" ADD CONSTRAINT "aid_returns_allocation_id_aid_allocations_id_fk" FOREIGN KEY ("allocation_id") REFERENCES "public"."aid_allocations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_returns" ADD CONSTRAINT "aid_returns_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "aid_handover_items_allocation_key" ON "aid_handover_items" USING btree ("allocation_id");--> statement-breakpoint
CREATE INDEX "aid_monitoring_visits_handover_idx" ON "aid_monitoring_visits" USING btree ("handover_id","visited_at");--> statement-breakpoint
CREATE UNIQUE INDEX "aid_packages_org_name_key" ON "aid_packages" USING btree ("organisation_id","budget_year","name");--> statement-breakpoint
CREATE UNIQUE INDEX "aid_reallocations_number_key" ON "aid_reallocations" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "aid_reallocations_return_key" ON "aid_reallocations" USING btree ("return_id");--> statement-breakpoint
CREATE UNIQUE INDEX "aid_returns_number_key" ON "aid_returns" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "aid_returns_allocation_key" ON "aid_returns" USING btree ("allocation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "aid_handovers_client_key" ON "aid_handovers" USING btree ("client_key");--> statement-breakpoint
ALTER TABLE "aid_stock" ADD CONSTRAINT "aid_stock_source" CHECK ("aid_stock"."source" is null or "aid_stock"."source" in ('APBD', 'APBN', 'DAK'));