"""The operators for mistakes people make: each proposes what its name says, and
every mutant it proposes is proven to mean its edit (workshop.authoring.mutation
.generate drops one that does not, so a dropped mutant fails here)."""

from workshop.authoring.mutation import shared
from workshop.authoring.mutation.generate import Mutants, mutants_in
from workshop.authoring.mutation.operators import walk
from workshop.authoring.mutation.source import Source
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


MIDDLEWARE = """class Limit:
    def __init__(self, app, most):
        self.app, self.most = app, most

    async def __call__(self, scope, receive, send):
        ### BEGIN SOLUTION 99.1
        seen = 0
        kind = scope["type"]
        first = await receive()
        total, step = 0, 1

        async def counted():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.most:
                raise ValueError(kind)
            return message

        await self.app(scope, counted, send)
        total += step
        return first, total
        ### STUB
        # pass
        ### END SOLUTION
"""


def test_a_local_that_another_request_can_see_change_is_kept_on_self() -> None:
    """A local read by a nested function, or across an await, moves to `self`;
    one read before anything else can run does not (nothing could tell)."""
    found = {m.label: m for m in mutants(MIDDLEWARE).mutants}
    shared = {label for label in found if label.startswith("shared on self")}
    assert shared == {
        "shared on self: seen → self.seen",
        "shared on self: kind → self.kind",
        "shared on self: first → self.first",
        "shared on self: total → self.total",
        "shared on self: step → self.step",
    }
    region = found["shared on self: seen → self.seen"].region
    assert "self.seen = 0" in region and "self.seen += len" in region
    assert "self.seen > self.most" in region and "nonlocal" not in region


def test_no_local_on_self_outside_a_method_or_for_its_parameters() -> None:
    function = MIDDLEWARE.replace(
        "(self, scope, receive, send)", "(me, scope, receive, send)"
    )
    assert not [x for x in labels(function) if x.startswith("shared on self")]
    assert not [
        x for x in labels(MIDDLEWARE) if "self.scope" in x or "self.message" in x
    ]


def test_a_name_self_cannot_stand_in_for_is_left_alone() -> None:
    caught = MIDDLEWARE.replace(
        "        await self.app(scope, counted, send)\n",
        "        try:\n            await self.app(scope, counted, send)\n"
        "        except ValueError as total:\n            raise total\n",
    )
    assert "shared on self: total → self.total" not in labels(caught)
    assert "shared on self: seen → self.seen" in labels(caught)


def test_every_local_on_self_compiles_and_means_its_edit() -> None:
    """None of the operator's proposals is dropped (generate proves each edit)."""
    source = Source(FileCell("app/x.py", MIDDLEWARE).text())
    proposed = {
        f"{c.operator}: {c.before} → {c.after}"
        for node, path, ancestors in walk(source.tree)
        for c in shared.changes(source, node, path, ancestors)
    }
    assert len(proposed) == 5
    assert proposed <= labels(MIDDLEWARE)


def test_a_local_read_by_the_call_that_waits_stays_local() -> None:
    """`await f(n)` reads n before it waits: no other request sees it change."""
    page = """class Items:
    async def page(self, limit):
        ### BEGIN SOLUTION 99.1
        query = self.select(limit)
        if limit > 9:
            query = query.where(limit)
        return await self.run(query)
        ### STUB
        # pass
        ### END SOLUTION
"""
    assert not [x for x in labels(page) if x.startswith("shared on self")]
    waits = page.replace(
        "return await self.run(query)", "await self.ready()\n        return query"
    )
    assert "shared on self: query → self.query" in labels(waits)
