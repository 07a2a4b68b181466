"""pytest plugin for the mutation run (``make mutation`` loads it with ``-p``): hypothesis draws the
same examples on every run (derandomize), keeps no example database and has no deadline, so that a
mutant is killed by what it computes, not by a slow or lucky draw under mutmut's trampolines."""
from hypothesis import settings

settings.register_profile("mutation", derandomize=True, database=None, deadline=None)
settings.load_profile("mutation")
