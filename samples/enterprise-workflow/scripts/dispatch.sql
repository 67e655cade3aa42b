UPDATE messages SET read_at = now()
WHERE id = (SELECT id FROM messages WHERE read_at IS NULL ORDER BY created_at LIMIT 1);
