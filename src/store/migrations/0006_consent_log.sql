-- What a person's consent to be contacted is for, and every change of it
-- with the day alumni recorded it (APPI / GDPR: when and for what purpose).
ALTER TABLE people ADD COLUMN consent_purpose TEXT NOT NULL DEFAULT '';

CREATE TABLE consent_log (
    person      INTEGER NOT NULL REFERENCES people (pk) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    recorded_on TEXT NOT NULL,
    consent     TEXT NOT NULL CHECK (consent IN ('yes', 'no', 'unknown')),
    purpose     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (person, position)
) WITHOUT ROWID;
