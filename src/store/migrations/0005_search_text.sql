-- Each person's searchable text, normalized (NFKC, case, kana, romaji), so
-- that the search index loads without normalizing a million names again.
-- Derived data: written with the person; alumni fills in what is NULL, and
-- empties the column when its normalization changed (search_version).
ALTER TABLE people ADD COLUMN search BLOB;
CREATE INDEX people_search_missing ON people (pk) WHERE search IS NULL;
CREATE TABLE search_version (version INTEGER NOT NULL);
-- The People list's order (the reading, normalized; else the name), so the
-- first page can be shown before everyone is loaded.
ALTER TABLE people ADD COLUMN sort_key TEXT;
CREATE INDEX people_sort_key ON people (sort_key, pk);
