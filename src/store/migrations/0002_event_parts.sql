-- Events in parts (一次会 / 二次会), with attendance recorded per part.

CREATE TABLE event_parts (
    event    INTEGER NOT NULL REFERENCES events (pk) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name     TEXT NOT NULL CHECK (name <> ''),
    PRIMARY KEY (event, position),
    UNIQUE (event, name)
) WITHOUT ROWID;

CREATE TABLE part_attendance (
    event    INTEGER NOT NULL,
    part     INTEGER NOT NULL,
    person   INTEGER NOT NULL REFERENCES people (pk) ON DELETE CASCADE,
    PRIMARY KEY (event, part, person),
    FOREIGN KEY (event, part) REFERENCES event_parts (event, position) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX part_attendance_person ON part_attendance (person);
