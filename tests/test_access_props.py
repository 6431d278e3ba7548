"""Property tests of the TLP 2.0 access rules: the pure rule, the SQL clause and derived objects agree,
and none of them lets through what the rules forbid."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pantau.model.markings import TLP
from pantau.services.access import (
    RESTRICTIVENESS,
    Marking,
    Viewer,
    derived_view,
    may_see,
    most_restrictive,
    visible,
)
from pantau.storage.share_tables import releases

ORGS = [1, 2, 3, 4]
GROUPS = [10, 11]
USERS = list(range(100, 106))


@dataclass(frozen=True)
class World:
    user_org: dict[int, int]
    members: frozenset[int]  # member organisations
    group_orgs: dict[int, frozenset[int]]
    objects: list[Marking]

    def viewer(self, user: int, role: str = "viewer") -> Viewer:
        org = self.user_org[user]
        groups = frozenset(g for g, orgs in self.group_orgs.items() if org in orgs)
        return Viewer(user_id=user, org_id=org, role=role, group_ids=groups, is_member=org in self.members)  # type: ignore[arg-type]


def oracle(w: World, user: int, m: Marking) -> bool:
    """The issue's rules, written out a second time, independently of `may_see`."""
    org = w.user_org[user]
    if m.tlp == TLP.CLEAR:
        return True
    if m.tlp == TLP.GREEN:
        return org in w.members or org == m.owner_org
    if m.tlp == TLP.AMBER:
        in_group = any(org in w.group_orgs[g] for g in m.release_groups)
        return org == m.owner_org or org in m.release_orgs or in_group
    if m.tlp == TLP.AMBER_STRICT:
        return org == m.owner_org
    return user in m.release_users


def subsets(xs: list[int]) -> st.SearchStrategy[frozenset[int]]:
    return st.frozensets(st.sampled_from(xs), max_size=len(xs))


markings = st.builds(
    Marking,
    owner_org=st.sampled_from(ORGS),
    tlp=st.sampled_from(list(TLP)),
    release_orgs=subsets(ORGS),
    release_groups=subsets(GROUPS),
    release_users=subsets(USERS),
)

worlds = st.builds(
    World,
    user_org=st.fixed_dictionaries({u: st.sampled_from(ORGS) for u in USERS}),
    members=subsets(ORGS),
    group_orgs=st.fixed_dictionaries({g: subsets(ORGS) for g in GROUPS}),
    objects=st.lists(markings, min_size=1, max_size=12),
)


@given(worlds)
def test_may_see_follows_the_rules(w: World) -> None:
    for user in USERS:
        v = w.viewer(user)
        for m in w.objects:
            got = may_see(v, m.owner_org, m.tlp, m.release_orgs, m.release_groups, m.release_users)
            assert got == oracle(w, user, m), (user, m)


@given(worlds)
def test_derived_objects_expose_only_visible_evidence(w: World) -> None:
    for user in USERS:
        v = w.viewer(user)
        shown = derived_view(v, w.objects)
        allowed = [m for m in w.objects if oracle(w, user, m)]
        if not allowed:
            assert shown is None  # the derived object does not exist for this viewer
        else:
            assert shown == allowed
    # the derived object's own marking is at least as strict as every piece of evidence
    top = most_restrictive(m.tlp for m in w.objects)
    assert all(RESTRICTIVENESS[top] >= RESTRICTIVENESS[m.tlp] for m in w.objects)


def test_system_viewer_and_role_rights() -> None:
    assert may_see(Viewer.system(), 1, TLP.RED)
    v = Viewer(user_id=1, org_id=1, role="viewer")
    assert not v.can_write() and not v.is_admin()
    assert Viewer(user_id=1, org_id=1, role="analyst").can_write()
    # a non-member guest organisation sees CLEAR, and GREEN only of its own
    guest = Viewer(user_id=5, org_id=9, is_member=False)
    assert may_see(guest, 1, "TLP:CLEAR") and not may_see(guest, 1, TLP.GREEN)
    assert may_see(guest, 9, TLP.GREEN)
    # RED is for named users, not for the owner organisation
    assert not may_see(Viewer(user_id=2, org_id=1), 1, TLP.RED, release_orgs=[1])


# ---------------------------------------------------------------- the SQL clause agrees

probe_md = sa.MetaData()
probe = sa.Table(
    "access_probe", probe_md,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("org_id", sa.Integer, nullable=False),
    sa.Column("marking", sa.String(16), nullable=False),
)


def _engines() -> list:
    out = [pytest.param("sqlite", id="sqlite")]
    out.append(pytest.param(
        "postgres", id="postgres",
        marks=[pytest.mark.postgres, pytest.mark.skipif(
            not os.environ.get("PANTAU_TEST_POSTGRES_URL"), reason="PANTAU_TEST_POSTGRES_URL not set")],
    ))
    return out


@pytest.fixture(scope="module", params=_engines())
def probe_engine(request):
    if request.param == "sqlite":
        engine = sa.create_engine("sqlite://")
        schema = None
    else:
        engine = sa.create_engine(os.environ["PANTAU_TEST_POSTGRES_URL"])
        schema = f"access_{uuid.uuid4().hex[:10]}"
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        engine = engine.execution_options(schema_translate_map={None: schema})
    release_copy = releases.to_metadata(probe_md) if "releases" not in probe_md.tables else probe_md.tables["releases"]
    probe_md.create_all(engine, tables=[probe, release_copy])
    yield engine
    if schema:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(w=worlds)
def test_sql_clause_agrees_with_may_see(probe_engine, w: World) -> None:
    rel = probe_md.tables["releases"]
    with probe_engine.begin() as conn:
        conn.execute(rel.delete())
        conn.execute(probe.delete())
        conn.execute(probe.insert(), [
            {"id": i, "org_id": m.owner_org, "marking": m.tlp.value} for i, m in enumerate(w.objects, 1)
        ])
        rows = []
        for i, m in enumerate(w.objects, 1):
            rows += [{"org_id": str(o), "group_id": None, "user_id": None} for o in m.release_orgs]
            rows += [{"org_id": None, "group_id": str(g), "user_id": None} for g in m.release_groups]
            rows += [{"org_id": None, "group_id": None, "user_id": str(u)} for u in m.release_users]
            for r in rows[len(rows) - len(m.release_orgs) - len(m.release_groups) - len(m.release_users):]:
                r.update(object_kind="access_probe", object_id=str(i))
        if rows:
            conn.execute(rel.insert(), rows)
        for user in USERS:
            v = w.viewer(user)
            where = visible(probe, v, releases=rel)
            got = {r for (r,) in conn.execute(sa.select(probe.c.id).where(where))}
            want = {i for i, m in enumerate(w.objects, 1) if oracle(w, user, m)}
            assert got == want, (user, v)
            count = conn.execute(sa.select(sa.func.count()).select_from(probe).where(where)).scalar()
            assert count == len(want)
        everything = conn.execute(sa.select(sa.func.count()).select_from(probe).where(
            visible(probe, Viewer.system(), releases=rel))).scalar()
        assert everything == len(w.objects)
