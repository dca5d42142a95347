"""Exit codes, defined once: scripts rely on them."""
OK = 0  #: no error findings (validate), scored (score), all sent or unchanged (publish)
FINDINGS = 1  #: error findings (validate/audit), some datasets skipped or failed (publish)
USAGE = 2  #: bad usage, unreadable input, unreachable server
