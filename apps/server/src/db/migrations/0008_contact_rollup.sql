CREATE TABLE "member_sign" (
	"member_id" uuid PRIMARY KEY NOT NULL,
	"last_contact_on" date,
	"last_reached_on" date,
	"last_org_life_on" date,
	"last_dues_on" date
);
--> statement-breakpoint
ALTER TABLE "member_sign" ADD CONSTRAINT "member_sign_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Recomputes the four dates of the given members from their rows (exact after any insert,
-- update or delete). The rows are locked first, then read with a fresh snapshot (read committed:
-- each statement of a plpgsql function takes its own), so two transactions writing contacts of
-- one member cannot leave the older one's figures behind.
CREATE FUNCTION member_sign_refresh(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO member_sign (member_id)
    SELECT DISTINCT m.id FROM unnest(ids) AS u(id) JOIN member m ON m.id = u.id
    ON CONFLICT (member_id) DO NOTHING;
  PERFORM 1 FROM member_sign WHERE member_id = ANY (ids) ORDER BY member_id FOR UPDATE;
  UPDATE member_sign s SET
    last_contact_on = (SELECT max(c.contacted_on) FROM contact c WHERE c.member_id = s.member_id),
    last_reached_on = (SELECT max(c.contacted_on) FROM contact c
                        WHERE c.member_id = s.member_id AND c.reached),
    last_org_life_on = (SELECT max(p.on_date) FROM participation p
                         WHERE p.member_id = s.member_id AND p.kind = 'org_life'),
    last_dues_on = (SELECT max(p.on_date) FROM participation p
                     WHERE p.member_id = s.member_id AND p.kind = 'dues')
   WHERE s.member_id = ANY (ids);
END $$;
--> statement-breakpoint
-- The whole table from scratch: after this migration, a bulk load with triggers off (the bench
-- generator) and a restore (backups leave derived tables out).
CREATE FUNCTION member_sign_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM member_sign;
  INSERT INTO member_sign (member_id, last_contact_on, last_reached_on, last_org_life_on, last_dues_on)
  SELECT member_id, max(contact_on), max(reached_on), max(org_life_on), max(dues_on)
    FROM (
      SELECT member_id, max(contacted_on) AS contact_on,
             max(contacted_on) FILTER (WHERE reached) AS reached_on,
             NULL::date AS org_life_on, NULL::date AS dues_on
        FROM contact GROUP BY member_id
      UNION ALL
      SELECT member_id, NULL, NULL,
             max(on_date) FILTER (WHERE kind = 'org_life'), max(on_date) FILTER (WHERE kind = 'dues')
        FROM participation GROUP BY member_id
    ) x
   GROUP BY member_id;
END $$;
--> statement-breakpoint
CREATE FUNCTION member_sign_after_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM member_sign_refresh(ARRAY(SELECT DISTINCT member_id FROM changed));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION member_sign_after_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM member_sign_refresh(ARRAY(SELECT DISTINCT member_id FROM gone));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION member_sign_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM member_sign_refresh(ARRAY(SELECT member_id FROM changed UNION SELECT member_id FROM gone));
  RETURN NULL;
END $$;
--> statement-breakpoint
-- One refresh per statement, over the members it touched (a bulk insert of 50,000 contacts is
-- one refresh, not 50,000).
CREATE TRIGGER contact_member_sign_insert AFTER INSERT ON contact
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION member_sign_after_new();
--> statement-breakpoint
CREATE TRIGGER contact_member_sign_update AFTER UPDATE ON contact
  REFERENCING OLD TABLE AS gone NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION member_sign_after_update();
--> statement-breakpoint
CREATE TRIGGER contact_member_sign_delete AFTER DELETE ON contact
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION member_sign_after_old();
--> statement-breakpoint
CREATE TRIGGER participation_member_sign_insert AFTER INSERT ON participation
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION member_sign_after_new();
--> statement-breakpoint
CREATE TRIGGER participation_member_sign_update AFTER UPDATE ON participation
  REFERENCING OLD TABLE AS gone NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION member_sign_after_update();
--> statement-breakpoint
CREATE TRIGGER participation_member_sign_delete AFTER DELETE ON participation
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION member_sign_after_old();
--> statement-breakpoint
SELECT member_sign_rebuild();
