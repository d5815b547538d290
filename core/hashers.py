"""Password hashing: Argon2id with OWASP's minimum parameters (docs/performance.md, "Password hashing").

Django's own Argon2 defaults (100 MiB, 8 lanes, about 0.3 s a hash on a 2-core server) make a burst of
logins wait on memory and cores; PBKDF2 with Django's 1,000,000 iterations costs about 0.5 s of CPU a
hash. OWASP's Password Storage Cheat Sheet gives Argon2id with 19 MiB of memory, 2 iterations and one
lane as the minimum configuration: memory-hard (guessing on GPUs costs memory bandwidth, not only
arithmetic) and about 25 ms a hash. The parameters are written into each hash, so raising them later
rehashes every password at its next login (Django's ``must_update``).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id, m=19456 KiB, t=2, p=1 (same ``argon2`` algorithm name: verifies any Argon2 hash)."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
