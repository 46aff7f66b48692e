-- The first schema. Tables are named plainly so that the sqlite3 shell is usable:
--   SELECT p.id, p.name, s.joined, s.department FROM people p JOIN stints s ON s.person = p.pk;
-- Every record has a stable text `id` (p-42) used by the CLI and the JSON format,
-- and an integer `pk` that child tables reference (compact, and bulk inserts append).
-- Dates are ISO text (YYYY-MM-DD); `position` keeps the order the coordinator gave.

CREATE TABLE people (
    pk             INTEGER PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL CHECK (name <> ''),
    reading        TEXT NOT NULL DEFAULT '',
    nickname       TEXT NOT NULL DEFAULT '',
    company        TEXT NOT NULL DEFAULT '',
    title          TEXT NOT NULL DEFAULT '',
    location       TEXT NOT NULL DEFAULT '',
    notes          TEXT NOT NULL DEFAULT '',
    consent        TEXT NOT NULL DEFAULT 'unknown' CHECK (consent IN ('yes', 'no', 'unknown')),
    consent_date   TEXT,
    closeness      TEXT NOT NULL DEFAULT 'in_touch'
                   CHECK (closeness IN ('close', 'in_touch', 'distant', 'lost')),
    last_contacted TEXT
);

-- Emails, phones and links.
CREATE TABLE contacts (
    person   INTEGER NOT NULL REFERENCES people (pk) ON DELETE CASCADE,
    kind     TEXT NOT NULL CHECK (kind IN ('email', 'phone', 'link')),
    position INTEGER NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (person, kind, position)
) WITHOUT ROWID;

CREATE TABLE tags (
    person   INTEGER NOT NULL REFERENCES people (pk) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    tag      TEXT NOT NULL,
    PRIMARY KEY (person, position)
) WITHOUT ROWID;

-- Tenures: one row per period at the company.
CREATE TABLE stints (
    person     INTEGER NOT NULL REFERENCES people (pk) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    joined     TEXT,
    left       TEXT,
    department TEXT NOT NULL DEFAULT '',
    role       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (person, position),
    CHECK (joined IS NULL OR left IS NULL OR left >= joined)
) WITHOUT ROWID;

CREATE TABLE cohorts (
    pk   INTEGER PRIMARY KEY,
    id   TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE cohort_members (
    cohort   INTEGER NOT NULL REFERENCES cohorts (pk) ON DELETE CASCADE,
    person   INTEGER NOT NULL REFERENCES people (pk) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (cohort, person)
) WITHOUT ROWID;
CREATE INDEX cohort_members_person ON cohort_members (person);

CREATE TABLE events (
    pk    INTEGER PRIMARY KEY,
    id    TEXT NOT NULL UNIQUE,
    name  TEXT NOT NULL,
    date  TEXT,
    venue TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT ''
);

CREATE TABLE invitations (
    event    INTEGER NOT NULL REFERENCES events (pk) ON DELETE CASCADE,
    person   INTEGER NOT NULL REFERENCES people (pk) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    status   TEXT NOT NULL DEFAULT 'invited'
             CHECK (status IN ('invited', 'accepted', 'declined', 'maybe', 'attended', 'no_show')),
    PRIMARY KEY (event, person)
) WITHOUT ROWID;
CREATE INDEX invitations_person ON invitations (person);

-- Generated ids (p-42) are never reused: the next number per prefix only grows.
CREATE TABLE id_sequence (
    prefix TEXT PRIMARY KEY NOT NULL,
    next   INTEGER NOT NULL
);
INSERT INTO id_sequence (prefix, next) VALUES ('p', 1), ('c', 1), ('e', 1);
