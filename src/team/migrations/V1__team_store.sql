-- badiya's team store: the shared corpus of a team of analysts.
-- Roles are cluster-wide: badiya_reader may look and export, badiya_editor
-- may also change. Analysts log in as their own roles, members of one of them.
CREATE EXTENSION IF NOT EXISTS postgis;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'badiya_reader') THEN
    CREATE ROLE badiya_reader NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'badiya_editor') THEN
    CREATE ROLE badiya_editor NOLOGIN IN ROLE badiya_reader;
  END IF;
END
$$;

-- Documents, whole; one row per text (its SHA-256 makes ingest idempotent).
CREATE TABLE documents (
  hash text PRIMARY KEY,
  id text NOT NULL,
  kind text NOT NULL,
  raw text NOT NULL,
  added_by text NOT NULL DEFAULT current_user,
  added_at timestamptz NOT NULL DEFAULT now()
);

-- Every change any analyst made, in the order the server took them: the
-- team's history. Nothing is updated or deleted here.
CREATE TABLE changes (
  seq bigserial PRIMARY KEY,
  client text NOT NULL,
  client_seq bigint NOT NULL,
  author text NOT NULL DEFAULT current_user,
  at timestamptz NOT NULL DEFAULT now(),
  kind text NOT NULL CHECK (kind IN ('edit', 'undo', 'annotation', 'place', 'meta', 'document')),
  key text NOT NULL,
  -- The last change the client had seen when it made this one.
  base bigint NOT NULL DEFAULT 0,
  body jsonb NOT NULL,
  UNIQUE (client, client_seq)
);
CREATE INDEX changes_key ON changes (kind, key);

-- The incidents as the team sees them (extracted, then corrected), for
-- spatial questions in PostGIS and for other GIS tools.
CREATE TABLE incidents (
  id text PRIMARY KEY,
  document text,
  event_type text,
  event_date text,
  place text,
  geo_precision integer,
  -- Located only to a country, a governorate or a whole line: no point to measure from.
  area_level boolean NOT NULL,
  geog geography(Point, 4326),
  body jsonb NOT NULL,
  digest text NOT NULL,
  written_by text NOT NULL DEFAULT current_user,
  written_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incidents_geog ON incidents USING gist (geog);

CREATE FUNCTION badiya_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('badiya_changes', NEW.seq::text);
  RETURN NEW;
END
$$;
CREATE TRIGGER changes_notify AFTER INSERT ON changes
  FOR EACH ROW EXECUTE FUNCTION badiya_notify_change();

-- An editor writes changes in its own name only.
ALTER TABLE changes ENABLE ROW LEVEL SECURITY;
CREATE POLICY changes_read ON changes FOR SELECT USING (true);
CREATE POLICY changes_own ON changes FOR INSERT TO badiya_editor
  WITH CHECK (author = current_user);

GRANT USAGE ON SCHEMA public TO badiya_reader;
GRANT SELECT ON documents, changes, incidents, refinery_schema_history TO badiya_reader;
GRANT INSERT ON documents, changes TO badiya_editor;
GRANT INSERT, UPDATE, DELETE ON incidents TO badiya_editor;
GRANT USAGE ON SEQUENCE changes_seq_seq TO badiya_editor;
