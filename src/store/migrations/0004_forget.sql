-- When someone asks to be forgotten, their invitations leave only counts:
-- the past event's head count still adds up, nobody can be named.

CREATE TABLE anonymous_invitations (
    event  INTEGER NOT NULL REFERENCES events (pk) ON DELETE CASCADE,
    status TEXT NOT NULL
           CHECK (status IN ('invited', 'accepted', 'declined', 'maybe', 'attended', 'no_show')),
    count  INTEGER NOT NULL CHECK (count > 0),
    PRIMARY KEY (event, status)
) WITHOUT ROWID;
