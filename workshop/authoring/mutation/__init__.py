"""`workshop mutants`: how many plausible wrong answers each exercise check catches.

`operators` proposes small mistakes in a solution's code, `generate` turns them
into mutants of one exercise's region, `run` checks each in a job forked from
the grading zygote, `cache` keeps the outcomes, `allowed` reads the mutants
explained by hand, and `table` says it all for authors.
"""
