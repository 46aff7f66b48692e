-- The hashes of erased people under more than one salt: this store's own
-- (`erased_salt`), and those a JSON file exported from another store brings
-- (a store rebuilt from its backup keeps leaving its erased people out).
-- Still no data about anyone: a salt and one-way hashes.

CREATE TABLE erased_hashes (
    salt BLOB NOT NULL CHECK (length(salt) = 16),
    key BLOB NOT NULL CHECK (length(key) = 32),
    PRIMARY KEY (salt, key)
) WITHOUT ROWID;

INSERT INTO erased_hashes (salt, key)
    SELECT (SELECT salt FROM erased_salt), key FROM erased_keys;

DROP TABLE erased_keys;
