"""For whoever writes the lessons: from `solutions/` to everything derived from it.

notebooks (read and write notebook files, find their file cells) and regions
(solution regions) feed the fold (the managed files at any point of the course);
build, verify and execute keep `notebooks/`, the managed files and the stored
outputs in step with `solutions/`; sandbox and nbval_suite run it all in copies.
"""
