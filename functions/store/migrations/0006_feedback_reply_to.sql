-- Feedback's reply-to addresses in the one canonical form every address is kept in (trimmed,
-- lower-cased: functions/people/addresses.py), so that a person's export and erasure find them by address.
UPDATE feedback SET reply_to = LOWER(TRIM(reply_to)) WHERE reply_to <> '';
