-- The day the person gave the answer a consent log entry records, when
-- known (a row's consent_date, the TUI's consent date), beside the day
-- alumni recorded it: an import of an old answer is logged on the day it
-- was imported, stating when the answer was given. NULL: not stated.
ALTER TABLE consent_log ADD COLUMN stated_on TEXT;
