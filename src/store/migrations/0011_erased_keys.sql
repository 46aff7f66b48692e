-- People erased on request (`alumni forget`) stay erased: a later import of
-- a file that still lists them (next month's HR export, an old backup's
-- JSON) leaves them out. What is kept is no data about them, only a salted
-- one-way hash (SHA-256) of each key an import finds a person by: their id,
-- each email, their name with each joined date. The salt is this store's
-- own, so that the hashes match nothing outside it.

CREATE TABLE erased_keys (
    key BLOB PRIMARY KEY CHECK (length(key) = 32)
) WITHOUT ROWID;

CREATE TABLE erased_salt (
    salt BLOB NOT NULL CHECK (length(salt) = 16)
);

INSERT INTO erased_salt (salt) VALUES (randomblob(16));
