-- What other formats carried that has no field of its own (e.g. a vCard's
-- unknown properties), kept per person so that export can give it back.

CREATE TABLE extras (
    person   INTEGER NOT NULL REFERENCES people (pk) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    line     TEXT NOT NULL,
    PRIMARY KEY (person, position)
) WITHOUT ROWID;
