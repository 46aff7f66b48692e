-- A forgotten person's attendance of an event's parts stays as a count per
-- part (named as the event names it), as their replies do in
-- anonymous_invitations: the 一次会 and 二次会 head counts still add up.

CREATE TABLE anonymous_attendance (
    event INTEGER NOT NULL REFERENCES events (pk) ON DELETE CASCADE,
    part  TEXT NOT NULL,
    count INTEGER NOT NULL CHECK (count > 0),
    PRIMARY KEY (event, part)
) WITHOUT ROWID;
