UPDATE messages SET read_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
WHERE id = (SELECT id FROM messages WHERE read_at IS NULL ORDER BY created_at LIMIT 1);
