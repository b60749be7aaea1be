-- Member search by name (issue 5): the lower-cased name's characters, for `@>` before ILIKE.
CREATE INDEX "member_name_chars_idx" ON "member" USING gin (string_to_array(lower("name"), null));--> statement-breakpoint
-- The planner weighs a common character (张: 1 name in 28) against a rare one by the statistics of
-- the index expression, which exist only after an ANALYZE; autovacuum would take its time on a
-- large table that is seldom written.
ANALYZE "member";
