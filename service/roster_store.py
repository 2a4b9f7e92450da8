"""The roster in Redis: import, the roster actions with their dated history, search, load.

Keys (``{p}`` is the prefix, ``rg`` by default):

- ``{p}:roster:people``       hash laborer_id → the record (JSON: the laborer, tier, status …)
- a record starts with ``{"g":"<digest>"`` of the row last imported (the unchanged test reads
  only that); earlier versions kept the digests in the hash ``{p}:roster:src``, still read
- ``{p}:roster:history``      hash laborer_id → a JSON array of dated entries, one per change
  after the person was created; only ever appended to
- ``{p}:roster:events``       hash event id → the history entry of a person's creation by an
  import, shared by everyone that import created with the same tier and status (the record's
  ``"e"`` names it), so a 100,000-person import writes a handful of entries, not 100,000 (earlier versions kept a list per person at ``{p}:roster:history:<id>``;
  :meth:`RosterStore.history` still reads it first)
- ``{p}:roster:idx:township:<code>`` and ``{p}:roster:idx:village:<code>:<village>`` sets of
  laborer_ids; ``{p}:roster:idx:townships:<district>`` the township codes of a district's people;
  ``{p}:roster:idx:surname:<first character of the name>`` sets of laborer_ids for name
  prefixes (earlier versions kept a sorted set ``{p}:roster:names`` of ``name\\0laborer_id``,
  still read). Tier, status and the rest of a name prefix are matched in the records
  themselves (a search filters on the server), not kept in sets
- ``{p}:roster:version``      incremented by every write that changes a person

Atomicity: an import is ONE MULTI/EXEC transaction (all-or-nothing): the records, the digests,
one Lua call per chunk writing the history entries, the index changes and the version bump
are queued and applied together, so a reader never sees half an import. The transaction
WATCHes the version key, so an action or import landing between our read of the old records
and EXEC makes it retry on fresh data instead of overwriting it. ``--keep-valid`` writes the
valid rows the same way (one transaction); it differs only in what it accepts, not in how it
writes. Each roster action is likewise one WATCHed MULTI/EXEC.

Re-import is a three-way merge: a field the file changed since the last import takes the file's
value; a field the file left alone keeps what an action set (a recorded hire stays 已就业).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import mmap
import operator
import os
import re
import secrets
import socket
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import partial
from itertools import chain
from typing import Any

import hiredis
import orjson
import redis

from features.eligibility import AgeLimits, excluded_reason, is_working_age, no_push_reason
from features.errors import TableError
from features.gazetteer import Gazetteer
from features.idcard import laborer_id as derive_laborer_id
from features.idcard import mask_id_number, mask_phone
from features.laborer import FIELD_AT, LABORER_FIELDS, TIERS, Laborer
from features.roster import (
    ROSTER_COLUMNS,
    RosterPart,
    merge_parts,
    parse_part,
    parse_roster,
    row_texts,
)
from features.tabular import RowError, is_digits, read_columns, table_parts
from features.tiers import TierAssessment, TierAssessor, TierRules, assess_tier, load_tier_rules
from features.verification import REGISTERED_KINDS, StatusAssessor, verify
from service.forked import Child, ChildError, can_fork

_FIELDS = LABORER_FIELDS
_GET_FIELDS = operator.attrgetter(*_FIELDS)
_BIRTH = FIELD_AT["birth_date"]
_NAME = FIELD_AT["name"]
_DISTRICT = FIELD_AT["district"]
_TOWNSHIP_CODE = FIELD_AT["township_code"]
_VILLAGE = FIELD_AT["village"]
_TUPLES = tuple(
    i for i, f in enumerate(fields(Laborer)) if f.name != "extra" and "tuple" in str(f.type)
)
# Field names as the roster's Chinese headers, for history entries ("changes": ["联系电话"]).
_HEADER = {c.key: c.header for c in ROSTER_COLUMNS}
_LID = re.compile(r"^[0-9a-f]{16}$")

# People already on the roster are rewritten by a Lua script that appends to their history on
# the server; its arguments are items joined by \x1e, so that 4,000 people are one call. New
# people and the index changes are plain commands with long argument lists. A transaction is
# packed in C (``_transaction``). Keys are built inside the scripts from the prefix: fine for
# one server (not a cluster).
_LUA_SPLIT = """
local function split(s, sep)
  local t, i = {}, 1
  while true do
    local j = string.find(s, sep, i, true)
    if not j then t[#t + 1] = string.sub(s, i); return t end
    t[#t + 1] = string.sub(s, i, j - 1)
    i = j + 1
  end
end
local function bulk(cmd, key, items)
  local i, n = 1, #items
  while i <= n do
    local j = math.min(i + 3999, n)
    redis.call(cmd, key, unpack(items, i, j))
    i = j + 1
  end
end
"""
# ARGV: prefix ("rg:roster:"), laborer_ids, records, history entries, each joined by \x1e: the
# records of people already on the roster, each with an entry appended to their history.
# (New people are written with plain HSETs: the server does half the work of this script.)
_APPLY_PEOPLE = (
    _LUA_SPLIT
    + """
local p = ARGV[1]
local lids, recs = split(ARGV[2], '\\30'), split(ARGV[3], '\\30')
local hist = split(ARGV[4], '\\30')
local people, histories = {}, {}
for i = 1, #lids do
  local lid = lids[i]
  people[#people + 1] = lid
  people[#people + 1] = recs[i]
  local entries = '[' .. hist[i] .. ']'
  local old = redis.call('HGET', p .. 'history', lid)
  if old then entries = string.sub(old, 1, -2) .. ',' .. hist[i] .. ']' end
  histories[#histories + 1] = lid
  histories[#histories + 1] = entries
end
bulk('HSET', p .. 'people', people)
bulk('HSET', p .. 'history', histories)
return #lids
"""
)
# KEYS[1] a hash, ARGV[1] fields joined by \x1e → their values joined by \x1e ("" if absent).
_HMGET_JOINED = (
    _LUA_SPLIT
    + """
local fields = split(ARGV[1], '\\30')
local values = redis.call('HMGET', KEYS[1], unpack(fields))
for i = 1, #fields do
  if not values[i] then values[i] = '' end
end
return table.concat(values, '\\30')
"""
)
# KEYS: the people hash and the digests hash of earlier versions; ARGV[1] laborer_ids joined by
# \x1e → the digest of each one's last imported row, joined by \x1e ("" if none).
_DIGESTS = (
    _LUA_SPLIT
    + """
local lids = split(ARGV[1], '\\30')
local recs = redis.call('HMGET', KEYS[1], unpack(lids))
local out = {}
for i = 1, #lids do
  local r = recs[i]
  if not r then
    out[i] = ''
  elseif string.sub(r, 1, 6) == '{"g":"' then
    out[i] = string.sub(r, 7, 22)
  else
    out[i] = redis.call('HGET', KEYS[2], lids[i]) or ''
  end
end
return table.concat(out, '\\30')
"""
)
# KEYS[1] the people hash; ARGV[1] laborer_ids joined by \x1e, ARGV[2] and ARGV[3] texts a record
# must contain ("" for none, e.g. '"t":"key"'), ARGV[4] the JSON text (quotes escaped) the
# person's name must start with ("" for any) → the ids of the records that do, joined by \x1e.
_HAVING = (
    _LUA_SPLIT
    + """
local lids = split(ARGV[1], '\\30')
local recs = redis.call('HMGET', KEYS[1], unpack(lids))
local a, b, name, out = ARGV[2], ARGV[3], ARGV[4], {}
for i = 1, #lids do
  local r = recs[i]
  if r and (a == '' or string.find(r, a, 1, true)) and (b == '' or string.find(r, b, 1, true))
    and (name == '' or string.find(r, '"l":["' .. lids[i] .. '","' .. name, 1, true)) then
    out[#out + 1] = lids[i]
  end
end
return table.concat(out, '\\30')
"""
)
# KEYS: the version key and the people hash → {version, every record joined by \x1e}.
_LOAD_ALL = """
return {redis.call('GET', KEYS[1]) or '0', table.concat(redis.call('HVALS', KEYS[2]), '\\30')}
"""
_SEP = "\x1e"
_CONTROL = str.maketrans({"\x1e": " ", "\x1f": " ", "\x00": " "})
_CHUNK = 4000  # unpack() in Lua takes up to about 8,000 values
_ARGS = 20_000  # members per plain command

# DESIGN §4 status changes and what they do to the stored laborer.
STATUS_CHANGES: dict[str, tuple[str, str | None]] = {
    "已就业": ("employment", "已就业"),
    "务农": ("employment", "务农"),
    "无业": ("employment", "无业"),
    "迁出": ("exclusion", "已迁出"),
    "丧失劳动能力": ("exclusion", "完全丧失劳动能力"),
}


class RosterError(ValueError):
    """A roster action that cannot be done; the message is Chinese and says what to do."""


@dataclass(frozen=True, slots=True)
class LaborerRecord:
    """A person as stored: the current laborer, the effective tier and status, and metadata.

    ``tier`` is the effective tier (the override when there is one, else the computed one);
    ``computed_tier`` is what the rule table gave.
    """

    laborer: Laborer
    tier: str
    tier_reasons: tuple[str, ...]
    tier_override: str | None
    status: str
    history_len: int
    computed_tier: str = "general"
    tier_override_reason: str = ""
    confirmation_collected: bool = False
    verified_on: dt.date | None = None
    difficulty_reason: str = ""
    registration_certificate: str = ""
    registration_date: str = ""


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import did, by laborer_id."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """The result of importing one file: whether it was written, the counts and every error."""

    written: bool
    summary: ImportSummary
    errors: list[RowError]
    flagged: dict[str, int]  # no-push reason → people (outside working age, excluded …)
    parts: int = field(default=1, compare=False)  # read in how many parts at once

    def as_json(self) -> dict[str, Any]:
        """The JSON object of ``renggang roster import --json``."""
        s = self.summary
        return {
            "created": s.created,
            "updated": s.updated,
            "unchanged": s.unchanged,
            "rejected": s.rejected,
            "written": self.written,
            "flagged": self.flagged,
            "errors": [e.as_dict() for e in self.errors],
        }


def _as_lists(values: list[Any]) -> list[Any]:
    """Tuple fields as lists, as JSON gives them back, so that values compare equal."""
    for i in _TUPLES:
        values[i] = list(values[i])
    return values


def _laborer_from(values: list[Any], *, fresh: bool = False) -> Laborer:
    """The laborer of a record's stored values (``fresh``: the list may be changed in place)."""
    if not fresh:
        values = list(values)
    values[_BIRTH] = _day(values[_BIRTH])
    for i in _TUPLES:
        items = values[i]
        values[i] = tuple(items) if items else ()
    return Laborer(*values)


_DAYS: dict[str, dt.date] = {}  # ISO text → date: a roster has a few thousand birth dates


def _day(text: str) -> dt.date:
    day = _DAYS.get(text)
    if day is None:
        if len(_DAYS) > 100_000:
            _DAYS.clear()
        day = _DAYS[text] = dt.date.fromisoformat(text)
    return day


def _dumps(obj: Any) -> str:
    """Compact JSON text, non-ASCII kept as is (the same bytes as ``json.dumps`` with
    ``ensure_ascii=False`` and no spaces, which earlier versions stored)."""
    return orjson.dumps(obj).decode("utf-8")


def _by_id(record: LaborerRecord) -> str:
    return record.laborer.laborer_id


def _record_from(raw: bytes | str) -> LaborerRecord:
    data = orjson.loads(raw)
    get = data.get
    tier = data["t"]
    verified = get("d")
    return LaborerRecord(  # positional, in field order: the fastest way to build 100,000
        _laborer_from(data["l"], fresh=True),
        tier,
        tuple(data["tr"]),
        get("to"),
        data["s"],
        data["h"],
        get("tc", tier),
        get("tor", ""),
        get("cc", False),
        _day(verified) if verified else None,
        get("dr", ""),
        get("rc", ""),
        get("rd", ""),
    )


_INDEX_FIELDS = operator.itemgetter(0, _NAME, _DISTRICT, _TOWNSHIP_CODE, _VILLAGE)


@dataclass(frozen=True, slots=True)
class PreparedRows:
    """Valid rows ready to be written: each row's JSON and its digest, its status and, when
    computed ahead, its tier, and the fields the indexes need, column by column.

    ``rows`` (the values themselves) is kept when the rows were prepared in this process;
    rows prepared in a worker process come without them, with their tiers and with their
    records (which hold the JSON, so ``texts`` is then left out: it need not travel twice)
    (:func:`import_roster_file`).
    """

    lids: list[str]
    texts: list[bytes] | None
    digests: list[str]
    assessed: list[tuple[str, str | None]]  # (status, no-push reason)
    names: list[str]
    districts: list[str]
    codes: list[str]
    villages: list[str]
    tiers: list[TierAssessment] | None = None
    rows: Sequence[Sequence[Any]] | None = None
    records: list[bytes] | None = None  # each row's record as stored if the row is new
    events: dict[str, str] | None = None  # the creation entries those records name

    @classmethod
    def of(
        cls,
        rows: Sequence[Sequence[Any]],
        *,
        day: dt.date,
        limits: AgeLimits,
        assessed: Sequence[tuple[str, str | None]] | None = None,
        rules: TierRules | None = None,
        keep_rows: bool = True,
    ) -> PreparedRows:
        """Prepare rows of ``Laborer`` field values; with ``rules``, their tiers too."""
        blake2b = hashlib.blake2b
        texts = row_texts(rows)
        digests = [blake2b(t, digest_size=8).hexdigest() for t in texts]
        if assessed is None:
            assessed = StatusAssessor(day, limits).rows(rows)
        tiers = TierAssessor(day, rules).rows(rows) if rules is not None else None
        columns = list(zip(*map(_INDEX_FIELDS, rows), strict=True)) or [()] * 5
        lids, names, districts, codes, villages = (list(c) for c in columns)
        return cls(
            lids,
            texts,
            digests,
            list(assessed),
            names,
            districts,
            codes,
            villages,
            tiers,
            rows if keep_rows else None,
        )

    def take(self, positions: Sequence[int]) -> PreparedRows:
        """The rows at these positions, given in increasing order (all of them: the rows)."""
        if len(positions) == len(self.lids):
            return self
        pick = operator.itemgetter(*positions) if positions else None

        def some(column: Sequence[Any] | None) -> Any:
            if column is None:
                return None
            if pick is None:
                return []
            return list(pick(column)) if len(positions) > 1 else [pick(column)]

        columns = {f.name: some(getattr(self, f.name)) for f in fields(self) if f.name != "events"}
        records, events = columns["records"], self.events
        if records is not None and events is not None:  # only the events these records name
            columns["events"] = {e: events[e] for e in {_event_of(r) for r in records}}
        return replace(self, **columns)

    def with_records(self, day: dt.date, head: str, event_prefix: str) -> PreparedRows:
        """The rows with their records as stored if new (the rows must have their tiers)."""
        if self.tiers is None:
            raise ValueError("records are built from rows prepared with their tiers")
        records, events = _creation_records(self, self.tiers, day, head, event_prefix)
        return replace(self, texts=None, records=records, events=events)

    def values_at(self, i: int) -> list[Any]:
        """Row ``i``'s values as a list, tuple fields as lists (birth date a date or its text)."""
        if self.rows is not None:
            return _as_lists(list(self.rows[i]))
        if self.texts is not None:
            return orjson.loads(self.texts[i])  # type: ignore[no-any-return]
        return orjson.loads(self.records[i])["l"]  # type: ignore[index,no-any-return]


def _creation_records(
    rows: PreparedRows,
    tiers: Sequence[TierAssessment],
    day: dt.date,
    head: str,
    event_prefix: str,
) -> tuple[list[bytes], dict[str, str]]:
    """The records of rows as new people, and the creation entries (events) they name.

    A record is the row's JSON and a tail that depends only on the tier assessment and the
    status, so the few distinct tails (and history entries) are built once and shared.
    """
    if rows.texts is None:
        raise ValueError("records are built from rows with their JSON texts")
    tails: dict[tuple[int, str], tuple[bytes, bytes]] = {}
    events: dict[str, str] = {}
    records: list[bytes] = []
    iso = day.isoformat()
    for text, digest, tier, (status, _) in zip(
        rows.texts, rows.digests, tiers, rows.assessed, strict=True
    ):
        tail = tails.get((id(tier), status))
        if tail is None:
            event = f"{event_prefix}{len(tails)}"
            meta = {
                "h": 1,
                "tc": tier.tier,
                "t": tier.tier,
                "tr": tier.reasons,
                "s": status,
                "d": iso,
            }
            events[event] = f'{head},"action":"import","status":"{status}","tier":"{tier.tier}"}}'
            tail = tails[(id(tier), status)] = (
                f'","e":"{event}","l":'.encode(),
                b"," + orjson.dumps(meta)[1:],
            )
        records.append(b'{"g":"' + digest.encode() + tail[0] + text + tail[1])
    return records, events


_EVENT_AT = len(b'{"g":"0123456789abcdef","e":"')


def _event_of(record: bytes) -> str:
    """The event id a record built by :func:`_creation_records` names."""
    return record[_EVENT_AT : record.index(b'"', _EVENT_AT)].decode()


def import_head(day: dt.date, actor: str, source: str) -> str:
    """The start of the history entries of one import (the JSON object left open)."""
    now = dt.datetime.now().isoformat(timespec="seconds")
    return _dumps({"day": day.isoformat(), "at": now, "actor": actor, "source": source})[:-1]


class RosterStore:
    """The roster kept in Redis; every write is one transaction and bumps :meth:`version`."""

    def __init__(
        self,
        client: redis.Redis,
        *,
        prefix: str = "rg",
        secret: str,
        limits: AgeLimits | None = None,
        rules: TierRules | None = None,
    ) -> None:
        self.redis = client
        # What the actions use when the caller passes none: the notice's limits, the shipped table.
        self.limits = limits or AgeLimits()
        self.rules = rules or load_tier_rules()
        self.prefix = prefix
        self.secret = secret
        self.people_key = f"{prefix}:roster:people"
        self.src_key = f"{prefix}:roster:src"
        self.version_key = f"{prefix}:roster:version"
        self.names_key = f"{prefix}:roster:names"
        self.histories_key = f"{prefix}:roster:history"
        self.events_key = f"{prefix}:roster:events"
        self._cache: tuple[int, list[LaborerRecord]] | None = None
        self._parsed: dict[tuple[str, int, int], LaborerRecord] = {}

    # -- keys and indexes ------------------------------------------------------------------

    def history_key(self, laborer_id: str) -> str:
        """The list of dated history entries one person had in earlier versions (read only)."""
        return f"{self.prefix}:roster:history:{laborer_id}"

    def index_key(self, kind: str, value: str) -> str:
        """An index set: kind is district, township (code), village, tier or status."""
        return f"{self.prefix}:roster:idx:{kind}:{value}"

    # -- reading ---------------------------------------------------------------------------

    def version(self) -> int:
        """The roster's version: bumps on every change to any person."""
        raw = self.redis.get(self.version_key)
        return int(raw) if raw else 0

    def get(self, laborer_id: str) -> LaborerRecord | None:
        """One person's record, or None."""
        raw = self.redis.hget(self.people_key, laborer_id)
        return None if raw is None else _record_from(raw)

    def resolve(self, person: str) -> str:
        """A laborer_id from a laborer_id or an ID number (the CLI accepts both)."""
        text = person.strip()
        if _LID.match(text):
            return text
        return derive_laborer_id(text, self.secret)

    def load_all(self) -> list[LaborerRecord]:
        """Every person on the roster, in laborer_id order (cached until :meth:`version` changes).

        The records and the version come from one script call, so they agree. A record whose
        stored text has not changed since the last call is reused rather than parsed again, so
        reloading after a few changes costs little more than the transfer.
        """
        version = self.version()
        if self._cache is not None and self._cache[0] == version:
            return self._cache[1]
        raw_version, joined = self.redis.eval(_LOAD_ALL, 2, self.version_key, self.people_key)
        version = int(raw_version or 0)
        texts = joined.decode("utf-8").split(_SEP) if joined else []
        known = self._parsed
        parsed: dict[tuple[str, int, int], LaborerRecord] = {}
        enabled = gc.isenabled()
        gc.disable()  # 100,000 new objects: the cyclic collector would only slow this down
        try:
            for text in texts:
                key = (text[7:23], len(text), hash(text))
                record = known.get(key)
                parsed[key] = record if record is not None else _record_from(text)
            records = sorted(parsed.values(), key=_by_id)
        finally:
            if enabled:
                gc.enable()
        self._parsed = parsed
        self._cache = (version, records)
        return records

    def history(self, laborer_id: str) -> list[dict[str, Any]]:
        """One person's dated history, oldest first."""
        with self.redis.pipeline(transaction=False) as pipe:
            pipe.hget(self.people_key, laborer_id)
            pipe.lrange(self.history_key(laborer_id), 0, -1)  # kept by earlier versions
            pipe.hget(self.histories_key, laborer_id)
            record, legacy, joined = pipe.execute()
        entries = [orjson.loads(e) for e in legacy]
        event = orjson.loads(record).get("e") if record else None
        if event:
            created = self.redis.hget(self.events_key, event)
            if created:
                entries.append(orjson.loads(created))
        return entries + (orjson.loads(joined) if joined else [])

    def search(
        self,
        *,
        district: str | None = None,
        township: str | None = None,
        village: str | None = None,
        q: str | None = None,
        tier: str | None = None,
        status: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[LaborerRecord]:
        """People by district, township code, village, tier, status and a name prefix or id.

        ``village`` needs ``township``. ``q`` is a laborer_id, an ID number or the start of a
        name. Results are in laborer_id order, ``limit`` from ``offset``.
        """
        ids: set[str] | None = None
        if township:
            keys = [self.index_key("township", township)]
            if village:
                keys.append(self.index_key("village", f"{township}:{village}"))
            if district and not self.redis.sismember(
                self.index_key("townships", district), township
            ):
                return []
            ids = {m.decode() for m in self.redis.sinter(keys)}  # type: ignore[union-attr]
        elif district:
            if not self.redis.exists(self.index_key("townships", district)):
                self._index_townships()
            codes = self.redis.smembers(self.index_key("townships", district))
            keys = [self.index_key("township", c.decode()) for c in codes]  # type: ignore[union-attr]
            ids = {m.decode() for m in self.redis.sunion(keys)} if keys else set()  # type: ignore[union-attr]
        if q:
            found = self._query_ids(q.strip())
            ids = found if ids is None else ids & found
        if ids is None:
            ids = {m.decode() for m in self.redis.hkeys(self.people_key)}  # type: ignore[union-attr]
        ordered = sorted(ids)
        if tier or status:
            ordered = self._having(ordered, tier=tier, status=status)
        page = ordered[offset : offset + limit]
        if not page:
            return []
        raws = self.redis.hmget(self.people_key, page)
        return [_record_from(r) for r in raws if r is not None]

    def _index_townships(self) -> None:
        """Write the districts' township sets from the records (rosters of earlier versions)."""
        codes: defaultdict[str, set[str]] = defaultdict(set)
        for record in self.load_all():
            codes[record.laborer.district].add(record.laborer.township_code)
        if codes:
            with self.redis.pipeline() as pipe:
                for district, members in codes.items():
                    pipe.sadd(self.index_key("townships", district), *sorted(members))
                pipe.execute()

    def _having(
        self, lids: list[str], *, tier: str | None = None, status: str | None = None, name: str = ""
    ) -> list[str]:
        """The laborer_ids (in order) whose record has this effective tier and status and whose
        name starts with ``name`` (None and "": any)."""
        needles = (
            f'"t":"{tier}"' if tier else "",
            f'"s":"{status}"' if status else "",
            orjson.dumps(name)[1:-1].decode(),
        )
        out: list[str] = []
        for i in range(0, len(lids), _CHUNK):
            raw = self.redis.eval(
                _HAVING, 1, self.people_key, _SEP.join(lids[i : i + _CHUNK]), *needles
            )
            if raw:
                out.extend(raw.decode("utf-8").split(_SEP))
        return out

    def _query_ids(self, q: str) -> set[str]:
        if _LID.match(q):
            return {q}
        if len(q) == 18 and is_digits(q[:17]):
            return {derive_laborer_id(q, self.secret)}
        surname = self.index_key("surname", _clean(q)[:1])
        found = sorted(m.decode() for m in self.redis.smembers(surname))  # type: ignore[union-attr]
        if len(q) > 1 and found:
            found = self._having(found, name=q)
        start = q.encode("utf-8")  # people indexed by earlier versions, by their whole name
        members: list[bytes] = self.redis.zrangebylex(  # type: ignore[assignment]
            self.names_key, b"[" + start, b"[" + start + b"\xff"
        )
        return {*found, *(m.split(b"\0", 1)[1].decode() for m in members)}

    # -- import ----------------------------------------------------------------------------

    def import_laborers(
        self,
        laborers: Sequence[Laborer],
        *,
        day: dt.date,
        limits: AgeLimits,
        rules: TierRules,
        actor: str = "import",
        source: str = "",
    ) -> ImportSummary:
        """Create or update these people in one transaction; unchanged rows are not touched."""
        return self.import_rows(
            [_GET_FIELDS(lab) for lab in laborers],
            day=day,
            limits=limits,
            rules=rules,
            actor=actor,
            source=source,
        )

    def import_rows(
        self,
        rows: Sequence[Sequence[Any]],
        *,
        day: dt.date,
        limits: AgeLimits,
        rules: TierRules,
        actor: str = "import",
        source: str = "",
        assessed: Sequence[tuple[str, str | None]] | None = None,
    ) -> ImportSummary:
        """:meth:`import_laborers` for rows of ``Laborer`` field values (as parsing gives them).

        ``assessed`` is each row's (status, no-push reason) on ``day`` when the caller has it
        (``StatusAssessor(day, limits).rows(rows)``); it is computed here otherwise.
        """
        prepared = PreparedRows.of(rows, day=day, limits=limits, assessed=assessed)
        return self.import_prepared(
            prepared, day=day, limits=limits, rules=rules, actor=actor, source=source
        )

    def import_prepared(
        self,
        prepared: PreparedRows,
        *,
        day: dt.date,
        limits: AgeLimits,
        rules: TierRules,
        actor: str = "import",
        source: str = "",
        head: str | None = None,
    ) -> ImportSummary:
        """:meth:`import_rows` for rows already prepared (:meth:`PreparedRows.of`); ``head``
        is the :func:`import_head` the rows' records were built with, if they were."""
        lids = prepared.lids
        if len(set(lids)) != len(lids):
            raise ValueError("the same laborer_id twice in one import")
        if head is None:
            head = import_head(day, actor, source)
        client = _patient(self.redis)
        try:
            for _ in range(5):
                try:
                    return self._import(client, prepared, day, limits, rules, head)
                except redis.WatchError:
                    continue
        finally:
            client.connection_pool.disconnect()
        raise RosterError("名册正在被其他操作修改，请稍后重试导入")

    def _import(
        self,
        client: redis.Redis,
        prepared: PreparedRows,
        day: dt.date,
        limits: AgeLimits,
        rules: TierRules,
        head: str,
    ) -> ImportSummary:
        with _StagedImport(self, client, day, limits, rules, head) as staged:
            staged.add(prepared)
            return staged.commit()

    def _digests(self, client: Any, lids: list[str]) -> list[str]:
        """The digest of each person's last imported row ("" for people not on the roster)."""
        out: list[str] = []
        for i in range(0, len(lids), _CHUNK):
            chunk = lids[i : i + _CHUNK]
            raw = client.eval(_DIGESTS, 2, self.people_key, self.src_key, _SEP.join(chunk))
            out.extend(raw.decode("utf-8").split(_SEP))
        return out

    def _hmget_joined(self, client: Any, key: str, fields: list[str]) -> list[str]:
        """HMGET of many fields through Lua, one joined reply per chunk ("" where absent)."""
        out: list[str] = []
        for i in range(0, len(fields), _CHUNK):
            chunk = fields[i : i + _CHUNK]
            raw = client.eval(_HMGET_JOINED, 1, key, _SEP.join(chunk))
            out.extend(raw.decode("utf-8").split(_SEP))
        return out

    # -- the roster actions ----------------------------------------------------------------

    def _act(
        self,
        laborer_id: str,
        change: Callable[[dict[str, Any], Laborer], dict[str, Any]],
        *,
        day: dt.date,
        limits: AgeLimits | None,
        rules: TierRules | None,
        entry: dict[str, Any],
    ) -> LaborerRecord:
        """Apply one action to one person in a WATCHed transaction, with a history entry."""
        limits = limits or self.limits
        rules = rules or self.rules
        for _ in range(5):
            with self.redis.pipeline() as pipe:
                try:
                    pipe.watch(self.version_key)  # type: ignore[no-untyped-call]
                    raw = pipe.hget(self.people_key, laborer_id)
                    if raw is None:
                        raise RosterError("名册中没有此人：请核对人员编号或公民身份号码")
                    old = orjson.loads(raw)
                    current = _laborer_from(old["l"])
                    new = change(dict(old), current)
                    lab_values = new["l"]
                    laborer = _laborer_from(lab_values)
                    _derive(new, laborer, day, limits, assess_tier(laborer, day, rules))
                    new["h"] = old["h"] + 1
                    if "b" not in old and lab_values != old["l"]:
                        new["b"] = old["l"]  # keep what the file said, for the next import
                    if new.get("b") == lab_values:
                        new.pop("b")
                    history = {
                        "day": day.isoformat(),
                        "at": dt.datetime.now().isoformat(timespec="seconds"),
                        **entry,
                        "status": new["s"],
                        "tier": new["t"],
                    }
                    plan = _WritePlan(self)
                    plan.add_person(laborer_id, _dumps(new), _dumps(history), new, old)
                    _transaction(pipe.connection, [*plan.commands(), ["INCR", self.version_key]])
                    return _record_from(_dumps(new))
                except redis.WatchError:
                    continue
        raise RosterError("此人的记录正在被其他操作修改，请稍后重试")

    def record_registration(
        self,
        laborer_id: str,
        *,
        kind: str,
        certificate: str = "",
        day: dt.date,
        actor: str,
        limits: AgeLimits | None = None,
        rules: TierRules | None = None,
    ) -> LaborerRecord:
        """Record a 转移就业登记 / 失业登记 (kind, certificate number, date)."""
        if kind not in REGISTERED_KINDS:
            raise RosterError(f"登记类型“{kind}”无效：应为{'或'.join(REGISTERED_KINDS)}")

        def change(rec: dict[str, Any], lab: Laborer) -> dict[str, Any]:
            rec["l"] = _set(rec["l"], "registration", kind)
            rec["rc"] = certificate
            rec["rd"] = day.isoformat()
            return rec

        entry = {"action": "registration", "actor": actor, "kind": kind, "certificate": certificate}
        return self._act(
            laborer_id,
            change,
            day=day,
            limits=limits,
            rules=rules,
            entry=entry,
        )

    def set_difficulty(
        self,
        laborer_id: str,
        *,
        confirmed: bool,
        reason: str,
        day: dt.date,
        actor: str,
        limits: AgeLimits | None = None,
        rules: TierRules | None = None,
    ) -> LaborerRecord:
        """Confirm (or revoke) the 就业困难人员 status, with the reason."""
        if not reason.strip():
            raise RosterError("请填写认定或撤销就业困难人员的原因")

        def change(rec: dict[str, Any], lab: Laborer) -> dict[str, Any]:
            rec["l"] = _set(rec["l"], "difficulty", confirmed)
            rec["dr"] = reason
            return rec

        entry = {
            "action": "difficulty_confirmed" if confirmed else "difficulty_revoked",
            "actor": actor,
            "reason": reason,
        }
        return self._act(
            laborer_id,
            change,
            day=day,
            limits=limits,
            rules=rules,
            entry=entry,
        )

    def record_confirmation_collected(
        self,
        laborer_id: str,
        *,
        day: dt.date,
        actor: str,
        limits: AgeLimits | None = None,
        rules: TierRules | None = None,
    ) -> LaborerRecord:
        """Record that the signed "暂无就业意愿" confirmation was collected."""

        def change(rec: dict[str, Any], lab: Laborer) -> dict[str, Any]:
            if lab.wants_job:
                raise RosterError("此人有就业意愿，无需收回“暂无就业意愿”签字确认")
            rec["cc"] = True
            return rec

        entry = {"action": "confirmation_collected", "actor": actor}
        return self._act(
            laborer_id,
            change,
            day=day,
            limits=limits,
            rules=rules,
            entry=entry,
        )

    def record_status_change(
        self,
        laborer_id: str,
        *,
        status: str,
        reason: str,
        actor: str,
        day: dt.date,
        limits: AgeLimits | None = None,
        rules: TierRules | None = None,
    ) -> LaborerRecord:
        """Record found work, started farming, lost work, moved away or unable to work."""
        if status not in STATUS_CHANGES:
            raise RosterError(f"状态“{status}”无效：应为{'、'.join(STATUS_CHANGES)}之一")
        name, value = STATUS_CHANGES[status]

        def change(rec: dict[str, Any], lab: Laborer) -> dict[str, Any]:
            rec["l"] = _set(rec["l"], name, value)
            if name == "employment" and value == "已就业":
                rec["l"] = _set(rec["l"], "months_without_work", 0)
            return rec

        entry = {"action": "status", "actor": actor, "change": status, "reason": reason}
        return self._act(
            laborer_id,
            change,
            day=day,
            limits=limits,
            rules=rules,
            entry=entry,
        )

    def override_tier(
        self,
        laborer_id: str,
        *,
        tier: str | None,
        reason: str,
        actor: str,
        day: dt.date,
        limits: AgeLimits | None = None,
        rules: TierRules | None = None,
    ) -> LaborerRecord:
        """Set (or, with ``tier=None``, clear) a counselor's tier override; it wins."""
        if tier is not None and tier not in TIERS:
            raise RosterError(f"帮扶级别“{tier}”无效：应为 general、key 或 special")
        if tier is not None and not reason.strip():
            raise RosterError("调整帮扶级别须填写原因")

        def change(rec: dict[str, Any], lab: Laborer) -> dict[str, Any]:
            if tier is None:
                rec.pop("to", None)
                rec.pop("tor", None)
            else:
                rec["to"] = tier
                rec["tor"] = reason
            return rec

        entry = {"action": "tier_override", "actor": actor, "override": tier, "reason": reason}
        return self._act(
            laborer_id,
            change,
            day=day,
            limits=limits,
            rules=rules,
            entry=entry,
        )


def _event_prefix() -> str:
    """A prefix of event ids no other import uses."""
    return f"{secrets.token_hex(5)}."


def _patient(client: redis.Redis) -> redis.Redis:
    """A client of the same server without a read timeout, for one large transaction.

    redis-py times out a read after 5 s by default; the EXEC of a 100,000-person import can take
    longer on a busy machine, and a timed-out EXEC that the server did apply must not be retried.
    """
    pool = client.connection_pool
    kwargs = dict(pool.connection_kwargs)
    kwargs["socket_timeout"] = None
    return redis.Redis(
        connection_pool=redis.ConnectionPool(connection_class=pool.connection_class, **kwargs)
    )


def _set(values: list[Any], name: str, value: Any) -> list[Any]:
    out = list(values)
    out[FIELD_AT[name]] = value
    return out


def _derive(
    rec: dict[str, Any], laborer: Laborer, day: dt.date, limits: AgeLimits, tier: TierAssessment
) -> None:
    """Fill the computed parts of a record: tier (override wins), reasons, status, day."""
    verification = verify(laborer, day, limits, confirmation_collected=rec.get("cc", False))
    rec["tc"] = tier.tier
    rec["t"] = rec.get("to") or tier.tier
    rec["tr"] = list(tier.reasons)
    rec["s"] = verification.status
    rec["d"] = day.isoformat()


def _clean(text: str) -> str:
    """Text safe in index keys and members: no NUL (it parts a name from its laborer_id in the
    names set) and none of the separators that joined members in earlier versions."""
    if text.isprintable():  # the separators and NUL are not printable: the common case
        return text
    return text.translate(_CONTROL)


class _StagedImport:
    """One import's transaction, planned part by part as the parts come and written at once.

    The version is WATCHed first, so every look-up made for a part sees the roster the
    transaction will change (or the EXEC fails with ``WatchError``); that holds for look-ups
    made on other connections after the WATCH too (a worker's, :func:`_plan_in_worker`). A
    part's writes are packed as soon as it is planned.
    """

    def __init__(
        self,
        store: RosterStore,
        client: redis.Redis,
        day: dt.date,
        limits: AgeLimits,
        rules: TierRules,
        head: str,
    ) -> None:
        self.store, self.day, self.limits, self.head = store, day, limits, head
        self.pipe = client.pipeline()
        self.pipe.watch(store.version_key)  # type: ignore[no-untyped-call]
        self.tier_of = TierAssessor(day, rules)
        self.packed: list[bytes] = []
        self.pending = 0  # replies owed for what :meth:`open` sent
        self.opened = False  # MULTI sent, and no EXEC yet
        self.created = self.updated = self.unchanged = 0

    def __enter__(self) -> _StagedImport:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Let go of the WATCH (and of the connection's state); a transaction opened and not
        committed is dropped with its connection (Redis discards it)."""
        if self.opened and self.pipe.connection is not None:
            self.pipe.connection.disconnect()  # type: ignore[no-untyped-call]
            self.pipe.watching = False
        self.pipe.reset()

    def add(self, prepared: PreparedRows) -> None:
        """Look up, plan and pack one part's rows."""
        plan = _WritePlan(self.store)
        counts = _plan_rows(
            self.store, self.pipe, prepared, plan, self.day, self.limits, self.tier_of, self.head
        )
        self.packed.extend(map(_resp, plan.commands()))
        self.created += counts[0]
        self.updated += counts[1]
        self.unchanged += counts[2]

    def open(self) -> int:
        """Send MULTI and the commands planned so far; the socket the transaction goes on
        (its file descriptor), where a worker may add its own commands next."""
        connection = self.pipe.connection
        if connection is None or connection._sock is None:
            raise redis.ConnectionError("the transaction's connection is not open")
        self.opened = True
        self.pending = _send_opening(connection, self.packed)
        self.packed = []
        return int(connection._sock.fileno())

    def commit(self, worker: _PlannedPart | None = None) -> ImportSummary:
        """Write everything planned, and the commands a ``worker`` sent after :meth:`open`, in
        one MULTI/EXEC (an empty one when nothing changed)."""
        created, updated, unchanged = self.created, self.updated, self.unchanged
        pending = self.pending
        if worker is not None:
            created += worker.created
            updated += worker.updated
            unchanged += worker.unchanged
            pending += worker.queued
        bump = [["INCR", self.store.version_key]] if created or updated else []
        if pending:
            _send_closing(self.pipe.connection, bump, pending)
            self.opened = False
        elif bump:
            _transaction(self.pipe.connection, bump, self.packed)
        return ImportSummary(created, updated, unchanged, 0)


def _plan_rows(
    store: RosterStore,
    client: Any,
    prepared: PreparedRows,
    plan: _WritePlan,
    day: dt.date,
    limits: AgeLimits,
    tier_of: TierAssessor,
    head: str,
) -> tuple[int, int, int]:
    """Look up rows' digests and old records through ``client`` and plan their writes;
    the people (created, updated, unchanged)."""
    lids, digests = prepared.lids, prepared.digests
    old_src = store._digests(client, lids)
    changed = [i for i, d in enumerate(digests) if old_src[i] != d]
    stale = [lids[i] for i in changed if old_src[i]]
    old_records = {
        lid: orjson.loads(raw)
        for lid, raw in zip(
            stale, store._hmget_joined(client, store.people_key, stale), strict=True
        )
        if raw
    }
    created = [i for i in changed if lids[i] not in old_records]
    plan.create(prepared.take(created), _event_prefix(), day, tier_of, head)
    for i in changed:
        old = old_records.get(lids[i])
        if old is not None:
            values = prepared.values_at(i)
            plan.update(old, values, digests[i], day, limits, tier_of, head)
    return len(created), len(changed) - len(created), len(lids) - len(changed)


class _WritePlan:
    """The writes of one transaction: people for the apply script, index changes grouped by key."""

    def __init__(self, store: RosterStore) -> None:
        self.store = store
        self.lids: list[str] = []
        self.recs: list[bytes] = []
        self.hist: list[str] = []
        self.new_people: list[bytes | str] = []  # laborer_id, record, … of people created
        self.events: dict[str, str] = {}  # event id → the creation entry it stands for
        self.add: defaultdict[str, list[str]] = defaultdict(list)
        self.remove: defaultdict[str, list[str]] = defaultdict(list)
        self.names_remove: list[str] = []  # members of the sorted set of earlier versions
        p = f"{store.prefix}:roster:idx:"
        self._township, self._village, self._townships, self._surname = (
            f"{p}township:",
            f"{p}village:",
            f"{p}townships:",
            f"{p}surname:",
        )

    def index_keys(self, values: Sequence[Any]) -> tuple[str, str, str]:
        """The index sets a person with these laborer values belongs to."""
        code = values[_TOWNSHIP_CODE]
        return (
            self._township + code,
            f"{self._village}{code}:{_clean(values[_VILLAGE])}",
            self._surname + _clean(values[_NAME])[:1],
        )

    def index(self, lid: str, new: dict[str, Any], old: dict[str, Any] | None) -> None:
        """Queue the index changes of one person (``old`` None when created)."""
        values = new["l"]
        keys = self.index_keys(values)
        old_keys = self.index_keys(old["l"]) if old is not None else ("", "", "")
        for k, o in zip(keys, old_keys, strict=True):
            if k != o:
                if o:
                    self.remove[o].append(lid)
                self.add[k].append(lid)
        if keys[0] != old_keys[0]:
            self.add[self._townships + values[_DISTRICT]].append(values[_TOWNSHIP_CODE])
        if old is not None and old["l"][_NAME] != values[_NAME]:
            self.names_remove.append(f"{_clean(old['l'][_NAME])}\0{lid}")

    def add_person(
        self, lid: str, rec_json: str, history: str, new: dict[str, Any], old: dict[str, Any]
    ) -> None:
        """One known person's new record, the entry appended to their history, and indexes."""
        self.lids.append(lid)
        self.recs.append(rec_json.encode("utf-8"))
        self.hist.append(history)
        self.index(lid, new, old)

    def create(
        self,
        rows: PreparedRows,
        event_prefix: str,
        day: dt.date,
        tier_of: TierAssessor,
        head: str,
    ) -> None:
        """New people: records (built here unless the rows bring them), indexes, events."""
        if not rows.lids:
            return
        if rows.records is None or rows.events is None:
            tiers = rows.tiers if rows.tiers is not None else tier_of.rows(rows.rows or [])
            records, events = _creation_records(rows, tiers, day, head, event_prefix)
        else:
            records, events = rows.records, rows.events
        self.events.update(events)
        lids = rows.lids
        pairs: list[bytes | str] = [b""] * (2 * len(lids))
        pairs[0::2], pairs[1::2] = lids, records
        self.new_people.extend(pairs)
        add = self.add
        codes = rows.codes
        columns = (
            [self._township + c for c in codes],
            [f"{self._village}{c}:{_clean(v)}" for c, v in zip(codes, rows.villages, strict=True)],
            [self._surname + _clean(name)[:1] for name in rows.names],
        )
        for keys in columns:
            for key, lid in zip(keys, lids, strict=True):
                add[key].append(lid)
        for district, code in set(zip(rows.districts, codes, strict=True)):
            add[self._townships + district].append(code)

    def update(
        self,
        old: dict[str, Any],
        values: list[Any],
        digest: str,
        day: dt.date,
        limits: AgeLimits,
        tier_of: TierAssessor,
        head: str,
    ) -> None:
        """A known person whose row changed: three-way merge, record, indexes, history."""
        if isinstance(values[_BIRTH], dt.date):
            values[_BIRTH] = values[_BIRTH].isoformat()
        current = old["l"]
        base = old.get("b", current)
        merged = [n if n != b else c for n, b, c in zip(values, base, current, strict=True)]
        changes = [
            _HEADER.get(name, name)
            for name, m, c in zip(_FIELDS, merged, current, strict=True)
            if m != c
        ]
        rec = {"g": digest, **{k: v for k, v in old.items() if k not in ("b", "g")}}
        rec["l"] = merged
        if merged != values:
            rec["b"] = values
        laborer = _laborer_from(merged)
        _derive(rec, laborer, day, limits, tier_of(laborer))
        rec["h"] = old["h"] + 1
        history = (
            f'{head},"action":"reimport","changes":{_dumps(changes)},'
            f'"status":"{rec["s"]}","tier":"{rec["t"]}"}}'
        )
        self.add_person(laborer.laborer_id, _dumps(rec), history, rec, old)

    def commands(self) -> Iterator[list[Any]]:
        """The writes, command by command (name and arguments), chunk by chunk."""
        prefix = f"{self.store.prefix}:roster:"
        new, step = self.new_people, 2 * _CHUNK
        for i in range(0, len(new), step):
            yield ["HSET", self.store.people_key, *new[i : i + step]]
        if self.events:
            yield ["HSET", self.store.events_key, *chain.from_iterable(self.events.items())]
        sep = _SEP.encode()
        for i in range(0, len(self.lids), _CHUNK):
            part = slice(i, i + _CHUNK)
            yield [
                "EVAL",
                _APPLY_PEOPLE,
                0,
                prefix,
                _SEP.join(self.lids[part]),
                sep.join(self.recs[part]),
                _SEP.join(self.hist[part]),
            ]
        # The index changes are plain commands: Redis takes long argument lists itself, where
        # a script would first have to split joined members in Lua.
        for command, groups in (("SREM", self.remove), ("SADD", self.add)):
            for key, members in groups.items():
                for i in range(0, len(members), _ARGS):
                    yield [command, key, *members[i : i + _ARGS]]
        for i in range(0, len(self.names_remove), _ARGS):
            yield ["ZREM", self.store.names_key, *self.names_remove[i : i + _ARGS]]


def _resp(args: Sequence[Any]) -> bytes:
    """One command in the Redis protocol (RESP), packed in C however long it is."""
    return hiredis.pack_command(tuple(args))  # type: ignore[no-any-return]


_MULTI, _EXEC = _resp(["MULTI"]), _resp(["EXEC"])


def _transaction(
    connection: Any, commands: list[list[Any]], packed: Sequence[bytes | memoryview] = ()
) -> None:
    """MULTI, the commands (those already ``packed`` first, one command an item) and EXEC,
    sent at once on a connection that WATCHes the version.

    The same transaction a pipeline would send, packed here: redis-py looks at every argument
    in Python before packing, which for 100,000 people costs more than the packing itself.
    Raises ``redis.WatchError`` when a watched key changed, and the first error a command met.
    """
    _send_closing(connection, commands, _send_opening(connection, packed))


def _send_opening(connection: Any, packed: Sequence[bytes | memoryview]) -> int:
    """Send MULTI and ``packed`` commands; the replies owed (+OK, then +QUEUED for each)."""
    connection.send_packed_command([_MULTI, *packed])
    return len(packed) + 1


def _send_closing(connection: Any, commands: list[list[Any]], pending: int) -> None:
    """Send the last ``commands`` and EXEC of a transaction that :func:`_send_opening` began
    (and others may have added to: ``pending`` replies are owed before these), and read the
    replies. Raises ``redis.WatchError`` or the first error a command met."""
    connection.send_packed_command([*map(_resp, commands), _EXEC])
    first: Exception | None = None
    for _ in range(pending + len(commands)):
        try:
            connection.read_response()
        except redis.ResponseError as exc:
            first = first or exc
    try:
        replies = connection.read_response()  # EXECABORT after a queueing error
    except redis.ResponseError:
        if first is not None:
            raise first from None
        raise
    if replies is None:
        raise redis.WatchError("the roster changed during the import")
    for reply in replies:
        if isinstance(reply, Exception):
            raise reply


def import_roster_file(
    store: RosterStore,
    data: bytes,
    filename: str,
    *,
    as_of: dt.date,
    limits: AgeLimits,
    rules: TierRules,
    gazetteer: Gazetteer,
    keep_valid: bool = False,
    actor: str = "import",
    parallel: bool | None = None,
) -> ImportOutcome:
    """Read, validate and (unless refused) write a roster file: all-or-nothing by default.

    A large file (``parallel`` None: a CSV from 1 MiB, an ``.xlsx`` from 4 MiB, about 5,000 and
    40,000 rows) is read and checked in two parts at once, the
    second in a forked worker process, where the process may fork (:func:`can_fork`);
    ``parallel`` False never, True whenever it can. The outcome is the same either way.
    """
    enabled = gc.isenabled()
    gc.disable()  # many small objects and no cycles: the cyclic collector only costs time here
    try:
        head = import_head(as_of, actor, filename)
        if parallel is None:
            parallel = len(data) >= (_PARALLEL_XLSX if data[:2] == b"PK" else _PARALLEL_BYTES)
        readers = table_parts(data, filename, 2) if parallel and can_fork() else []
        if len(readers) > 1:
            job = _PartJob(store, as_of, limits, rules, gazetteer, keep_valid, head)
            outcome = _import_in_parts(job, readers)
            if outcome is not None:
                return outcome
        try:
            table = read_columns(data, filename)
        except TableError as exc:
            return ImportOutcome(False, ImportSummary(), [RowError(1, "", "", str(exc))], {})
        parsed = parse_roster(
            table, secret=store.secret, as_of=as_of, limits=limits, gazetteer=gazetteer
        )
        del table
        rejected = parsed.rejected_rows
        if (parsed.errors and not keep_valid) or not parsed.rows:
            return ImportOutcome(False, ImportSummary(rejected=rejected), parsed.errors, {})
        prepared = PreparedRows.of(parsed.values, day=as_of, limits=limits)
        summary = store.import_prepared(
            prepared, day=as_of, limits=limits, rules=rules, actor=actor, source=filename, head=head
        )
        return ImportOutcome(
            True,
            ImportSummary(summary.created, summary.updated, summary.unchanged, rejected),
            parsed.errors,
            flagged_of(prepared.assessed),
        )
    finally:
        if enabled:
            gc.enable()


# Below these a file is read in one part: a worker would cost more than it saves. An .xlsx
# holds about twice the rows of a CSV of the same size, and its sheet is unpacked before the
# cut, in one process: at 20,000 rows (2 MiB) parts and one part are even (1.45 s against
# 1.51 s, on a quiet machine), so it is cut from about 40,000.
_PARALLEL_BYTES = 1 << 20
_PARALLEL_XLSX = 4 << 20
_Reader = Callable[[], Any]  # a part's table, in whichever form table_parts reads it


def _import_in_parts(job: _PartJob, readers: Sequence[_Reader]) -> ImportOutcome | None:
    """:func:`import_roster_file` of a file read in two parts, the second in a forked worker;
    None when the file is to be read in one part after all (nothing is written): a part could
    not be read, the worker failed, one person is on a row of each part and the later one must
    be left out, or the roster changed during the import.

    The version is WATCHed before the fork. Each process then reads, checks and prepares its
    part (JSON, digests, statuses, tiers, the records of new people, with the history
    ``head``), looks its people up and plans their writes (:func:`_plan_rows`). The parent
    opens the transaction with its own writes and gives the worker its turn, and the worker
    writes its packed commands on the same socket and sends back only its part's check, its
    counts and statuses and how many commands it wrote (:func:`_plan_in_worker`).
    :func:`features.roster.merge_parts` joins the checks; when the whole file is acceptable
    the parent sends EXEC, else drops the connection (and the transaction with it).
    """
    client = _patient(job.store.redis)
    staged = _StagedImport(  # WATCH, before the fork
        job.store, client, job.as_of, job.limits, job.rules, job.head
    )
    refused = mmap.mmap(-1, 1)  # shared with the worker: 1 once the first part refuses the file
    wait, turn = os.pipe()  # the parent gives the worker its turn on the socket through it
    child: Child[_PlannedPart] | None = None
    try:
        child = Child(partial(_plan_in_worker, job, client, readers[1], refused, (wait, turn)))
        os.close(wait)
        wait = -1
        part, rows = job.read(readers[0])
        if rows is None:
            refused[0] = 1  # the worker need not prepare or plan its part
        else:
            staged.add(rows)
            socket_number = staged.open()
            with contextlib.suppress(BrokenPipeError):  # a worker gone: its result says so
                os.write(turn, socket_number.to_bytes(4, "little"))  # the worker's turn
        os.close(turn)  # without a turn given, the worker reads the end: no turn
        turn = -1
        theirs = child.result()
        parsed = merge_parts([part, theirs.part])
        rejected = parsed.rejected_rows
        if (parsed.errors and not job.keep_valid) or not parsed.rows:
            return ImportOutcome(False, ImportSummary(rejected=rejected), parsed.errors, {}, 2)
        if rows is None or not theirs.planned:  # a part with errors refused the file above
            return None
        if len(parsed.rows) != len(part.rows) + len(theirs.part.rows):
            return None  # a person on two rows, the later one left out: planned as it came
        summary = staged.commit(theirs)
    except (ChildError, TableError, redis.WatchError):
        return None
    finally:
        staged.close()
        client.connection_pool.disconnect()
        if child is not None:
            child.cancel()
        refused.close()
        for end in (wait, turn):
            if end >= 0:
                os.close(end)
    return ImportOutcome(
        True,
        ImportSummary(summary.created, summary.updated, summary.unchanged, rejected),
        parsed.errors,
        flagged_of([*rows.assessed, *theirs.assessed]),
        2,
    )


@dataclass(frozen=True, slots=True)
class _PlannedPart:
    """What a worker sends back of its part: the check (without the values) and, unless the
    file is refused (``planned`` False: nothing prepared), each valid row's
    (status, no-push reason), the people it creates, updates and leaves alone, and how many
    commands it wrote into the parent's transaction (``queued``: the replies owed for them);
    a part planned and given no turn comes back with ``planned`` False."""

    part: RosterPart
    assessed: list[tuple[str, str | None]] = field(default_factory=list)
    planned: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    queued: int = 0  # commands it added to the parent's transaction


@dataclass(frozen=True, slots=True)
class _PartJob:
    """What either process of an import in parts reads, checks, prepares and plans with."""

    store: RosterStore
    as_of: dt.date
    limits: AgeLimits
    rules: TierRules
    gazetteer: Gazetteer
    keep_valid: bool
    head: str

    def read(
        self, read: _Reader, refused: mmap.mmap | None = None
    ) -> tuple[RosterPart, PreparedRows | None]:
        """One part read, checked and prepared with its tiers and the records of new people
        (not prepared, None, when its errors or the other part's, said in ``refused``, refuse
        the whole file)."""
        day = self.as_of
        part = parse_part(read(), secret=self.store.secret, as_of=day, gazetteer=self.gazetteer)
        if (not self.keep_valid and (part.errors or part.header_errors)) or (
            refused and refused[0]
        ):
            return part.without_values(), None
        rows = PreparedRows.of(
            part.values, day=day, limits=self.limits, rules=self.rules, keep_rows=False
        )
        return part.without_values(), rows.with_records(day, self.head, _event_prefix())


def _plan_in_worker(
    job: _PartJob,
    client: redis.Redis,
    read: _Reader,
    refused: mmap.mmap,
    turn: tuple[int, int],
) -> _PlannedPart:
    """The worker's part read, looked up, planned and packed (run in the forked child), and
    its commands added to the parent's transaction, on the parent's socket, when the parent
    gives it the turn.

    ``client`` is the parent's: its connection pool sees that the process is another one
    (redis-py compares the pid) and opens a connection of its own for the look-ups, so the
    parent's watching connection is not used through it, nor closed. ``refused`` is set by
    the parent when its part refuses the file: then this part is only checked. The parent
    sends MULTI and its own commands, then gives the turn: the socket's number through the
    pipe ``turn`` (its ends: this one reads, the parent writes). The worker writes its
    commands on after the parent's, and the parent reads every reply and sends EXEC once the
    worker's result says how many it sent (the 30 MB of a 50,000-row part go from here to
    Redis, not through the parent). A pipe closed without a number (the parent's part refused
    the file, or the parent died) means no turn.
    """
    wait, give = turn
    os.close(give)  # the parent's end: when the parent closes its own, the read ends
    part, rows = job.read(read, refused)
    if rows is None or refused[0]:
        return _PlannedPart(part)  # the file is refused: nothing to plan
    plan = _WritePlan(job.store)
    tier_of = TierAssessor(job.as_of, job.rules)
    try:
        counts = _plan_rows(job.store, client, rows, plan, job.as_of, job.limits, tier_of, job.head)
    finally:
        client.connection_pool.disconnect()  # the worker's own connection only
    packed = [_resp(c) for c in plan.commands()]
    given = os.read(wait, 4)
    if len(given) < 4:
        return _PlannedPart(part, rows.assessed)
    socket_number = int.from_bytes(given, "little")
    connection = socket.socket(fileno=socket_number)  # the parent's, inherited by the fork
    try:
        for command in packed:
            connection.sendall(command)
    finally:
        connection.detach()  # the descriptor stays open: it is the parent's connection
    return _PlannedPart(part, rows.assessed, True, *counts, len(packed))


def flagged_of(assessed: Sequence[tuple[str, str | None]]) -> dict[str, int]:
    """People who need no pushes, by reason (outside working age, excluded, employed …).

    ``assessed`` is each row's (status, no-push reason), as ``StatusAssessor.rows`` gives it.
    """
    counts = Counter(reason for _, reason in assessed)
    counts.pop(None, None)
    return dict(counts)  # type: ignore[arg-type]


def profile_json(
    record: LaborerRecord, day: dt.date, limits: AgeLimits, *, full_id: bool = False
) -> dict[str, Any]:
    """DESIGN §4 "a person" as JSON; the ID number and phone masked unless ``full_id``."""
    lab = record.laborer
    verification = verify(lab, day, limits, confirmation_collected=record.confirmation_collected)
    return {
        "laborer_id": lab.laborer_id,
        "name": lab.name,
        "id_number": lab.id_number if full_id else mask_id_number(lab.id_number),
        "phone": lab.phone if full_id else (mask_phone(lab.phone) if lab.phone else ""),
        "district": lab.district,
        "township": lab.township,
        "township_code": lab.township_code,
        "village": lab.village,
        "sex": lab.sex,
        "age": lab.age_on(day),
        "working_age": is_working_age(lab, day, limits),
        "excluded": excluded_reason(lab, day, limits),
        "no_push_reason": no_push_reason(lab, day, limits),
        "hukou": lab.hukou,
        "education": lab.education,
        "employment": lab.employment,
        "wants_job": lab.wants_job,
        "registration": lab.registration,
        "registration_needed": verification.registration_needed,
        "status": verification.status,
        "status_note": verification.note,
        "difficulty_candidate": verification.difficulty_candidate,
        "confirmation_pending": verification.confirmation_pending,
        "tier": record.tier,
        "computed_tier": record.computed_tier,
        "tier_reasons": list(record.tier_reasons),
        "tier_override": record.tier_override,
        "tier_override_reason": record.tier_override_reason,
        "difficulty": lab.difficulty,
        "desired_jobs": list(lab.desired_jobs),
        "skills": list(lab.skills),
        "certificates": list(lab.certificates),
        "max_commute_min": lab.max_commute_min,
        "accepts_lodging": lab.accepts_lodging,
        "family": list(lab.family),
        "months_without_work": lab.months_without_work,
        "history_len": record.history_len,
    }


__all__ = [
    "STATUS_CHANGES",
    "ImportOutcome",
    "ImportSummary",
    "LaborerRecord",
    "PreparedRows",
    "RosterError",
    "RosterStore",
    "flagged_of",
    "import_head",
    "import_roster_file",
    "profile_json",
]
