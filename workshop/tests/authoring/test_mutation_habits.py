"""The operators for mistakes people make: each proposes what its name says, and
every mutant it proposes is proven to mean its edit (workshop.authoring.mutation
.generate drops one that does not, so a dropped mutant fails here)."""

from workshop.authoring.mutation.generate import Mutants, mutants_in
from workshop.authoring.notebooks import FileCell

EXERCISE = "99.1"

REGION = """import ipaddress
import re

SAFE = re.compile(r"[a-z]{1,8}\\Z")


def client(hops, trusted, sent, size, low, high):
    ### BEGIN SOLUTION 99.1
    if not all(h in trusted for h in hops):
        return None
    if not sent.startswith("id-"):
        return None
    if SAFE.fullmatch(sent) is None:
        return None
    if low <= size <= high:
        size = 0
    if size > high:
        size = high
    for hop in reversed(hops):
        address = ipaddress.ip_address(hop)
    return address
    ### STUB
    # pass
    ### END SOLUTION
"""


def mutants(body: str) -> Mutants:
    return mutants_in(FileCell("app/x.py", body), EXERCISE)


def labels(body: str) -> set[str]:
    return {m.label for m in mutants(body).mutants}


def test_each_habit_is_proposed() -> None:
    found = labels(REGION)
    assert {
        "first only: all(h in trusted for h in hops) → all(list((h in trusted for h in hops))[:1])",
        "prefix match: SAFE.fullmatch(sent) → SAFE.match(sent)",
        "prefix match: SAFE.fullmatch(sent) → SAFE.search(sent)",
        'contains: not sent.startswith("id-") → ("id-" not in sent)',
        "upper bound dropped: low <= size <= high → low <= size",
        "last two: reversed(hops) → list(reversed(hops))[-2:]",
        "IPv4 only: ip_address → IPv4Address",
        "elif chain: if size > high: → elif size > high:",
    } - found == set()


def test_no_elif_after_an_if_that_leaves() -> None:
    """`if a: return` then `if b:` is the same code with `elif`: no mutant."""
    found = labels(REGION)
    assert not [x for x in found if x.startswith("elif chain: if SAFE")]
    assert not [x for x in found if x.startswith("elif chain: if not sent")]


def test_a_regex_end_outside_the_region_is_left_alone() -> None:
    assert not [label for label in labels(REGION) if label.startswith("end of text")]
    inside = REGION.replace(
        "    if low <= size",
        '    if re.search(r"^x\\Z", sent):\n        return None\n    if low <= size',
    )
    assert "end of text: r\"^x\\Z\" → '^x$'" in labels(inside)


def test_every_proposal_is_a_mutant_that_compiles() -> None:
    found = mutants(REGION)
    assert found.mutants and not found.dropped
