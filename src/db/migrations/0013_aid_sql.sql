-- Handovers recorded before a BAST could list several items: each lists its one allocation.
INSERT INTO "aid_handover_items" ("handover_id", "allocation_id", "position")
SELECT "id", "allocation_id", 0 FROM "aid_handovers"
ON CONFLICT DO NOTHING;
