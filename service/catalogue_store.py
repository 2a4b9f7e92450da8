"""The post catalogue in Redis: posts, hires, states, the change feed, agreements, controls.

Keys (``{p}`` is the prefix, ``rg`` by default):

- ``{p}:cat:posts``     hash post_id → ``<created_on> <updated_on> <JSON>``: the two dates
  (ISO, 21 characters) and the canonical JSON of what the uploader wrote, so that an unchanged
  row is found by comparing text
- ``{p}:cat:hires``     hash post_id → hires recorded (an upload never touches it)
- ``{p}:cat:state``     hash post_id → ``closed`` / ``expired`` (absent: open)
- ``{p}:cat:version``   the catalogue version, bumped once by every change (posts, agreements,
  controls), so that a reader (the matcher's index) can cache on it
- ``{p}:cat:feed``      the change feed, a stream whose entry ids are ``<version>-<n>``: every
  change to a post (created, updated, hired, filled, closed, expired) in the same atomic write
  as the change itself; :meth:`CatalogueStore.changes_since` reads it from a version or an entry id
- ``{p}:cat:agreements`` hash agreement_id → JSON; ``{p}:cat:controls`` hash employer → JSON,
  with every control change logged to the stream ``{p}:cat:control_log``

Writes that belong together run in one Lua script (a hire, a close, an expiry) or, for an
upload, one MULTI/EXEC that WATCHes the version it was computed against (optimistic
concurrency: a hire recorded during an upload makes the upload recompute).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import json
import operator
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import orjson
import redis

from catalogue.agreements import agreement_as_dict, agreement_from_dict
from catalogue.controls import EmployerControl
from catalogue.errors import PostStateError, UnknownPostError
from catalogue.models import CONTENT_FIELDS, Agreement, Post, post_state
from catalogue.upload import UploadResult, parse_posts
from features.gazetteer import Gazetteer
from features.tabular import RowError, Table, is_digits, read_table

_CONTENT = CONTENT_FIELDS
_content_values = operator.attrgetter(*_CONTENT)
_RETRIES = 20


# KEYS: posts, state, version, feed. ARGV: new state, event, actor, day, post ids…
# Marks each post not already in that state (nor closed); returns {version or 0, marked}.
_MARK = """
local v = false
local n = 0
for i = 5, #ARGV do
  local id = ARGV[i]
  local raw = redis.call('HGET', KEYS[1], id)
  if raw then
    local cur = redis.call('HGET', KEYS[2], id)
    if cur ~= ARGV[1] and cur ~= 'closed' then
      if not v then v = redis.call('INCR', KEYS[3]) end
      n = n + 1
      redis.call('HSET', KEYS[2], id, ARGV[1])
      redis.call('XADD', KEYS[4], v .. '-' .. n, 'event', ARGV[2], 'post_id', id,
                 'uploader', cjson.decode(string.sub(raw, 23))['uploader'],
                 'actor', ARGV[3], 'day', ARGV[4])
    end
  end
end
return {v or 0, n}
"""

# KEYS: posts, state, hires, version, feed. ARGV: post_id, day.
# Returns {version, hires} or {-1} unknown, {-2} closed, {-3, hires} already filled.
_HIRE = """
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return {-1} end
if redis.call('HGET', KEYS[2], ARGV[1]) == 'closed' then return {-2} end
local post = cjson.decode(string.sub(raw, 23))
local headcount = tonumber(post['headcount'])
local hires = tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0')
if hires >= headcount then return {-3, hires} end
hires = redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
local v = redis.call('INCR', KEYS[4])
local event = 'hired'
if hires >= headcount then event = 'filled' end
redis.call('XADD', KEYS[5], v .. '-1', 'event', event, 'post_id', ARGV[1],
           'uploader', post['uploader'], 'day', ARGV[2])
return {v, hires}
"""


_HSET_PAIRS = 1000  # posts per HSET of an upload's transaction

# KEYS: feed. ARGV: version, number of the first entry, uploader, day, post ids joined by
# spaces, one event code a post (c created, u updated). Adds <version>-<n> entries in order.
_FEED = b"""
local feed, v, first, uploader, day, events = KEYS[1], ARGV[1], tonumber(ARGV[2]), ARGV[3],
  ARGV[4], ARGV[6]
local i = 0
for id in string.gmatch(ARGV[5], '%S+') do
  i = i + 1
  local event = 'created'
  if string.byte(events, i) == 117 then event = 'updated' end
  redis.call('XADD', feed, v .. '-' .. (first + i - 1), 'event', event, 'post_id', id,
             'uploader', uploader, 'day', day)
end
return i
"""
_EVENT_CODES = {"created": ord("c"), "updated": ord("u")}


def _resp(*args: bytes) -> bytes:
    """One command in the Redis protocol (RESP), ready to send."""
    parts = [b"*%d\r\n" % len(args)]
    parts += [b"$%d\r\n%s\r\n" % (len(a), a) for a in args]
    return b"".join(parts)


# One post an upload writes: post_id, stored value ("<created_on> <updated_on> <JSON>"),
# event (created / updated), reopen (updated from expired: the mark goes), uploader.
_Write = tuple[str, bytes, str, bool, str]


@dataclass(frozen=True, slots=True)
class PostChange:
    """One entry of the change feed; ``seq`` is its stream id ``<version>-<n>``."""

    seq: str
    version: int
    event: str  # created / updated / hired / filled / closed / expired
    post_id: str
    uploader: str
    actor: str = ""
    day: str = ""


@dataclass(frozen=True, slots=True)
class UploadReport:
    """What an upload did (or, in a dry run, would do)."""

    created: int
    updated: int
    unchanged: int
    rejected: int
    errors: tuple[RowError, ...]
    refused: bool  # refused for its errors: nothing written
    dry_run: bool = False
    version: int = 0  # the catalogue version after the upload

    @property
    def written(self) -> bool:
        """Whether the upload went through (as the roster import: unchanged rows count)."""
        return not self.refused and not self.dry_run

    def as_dict(self) -> dict[str, Any]:
        """The report as the JSON object the CLI and the API print."""
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "written": self.written,
            "errors": [e.as_dict() for e in self.errors],
            "refused": self.refused,
            "dry_run": self.dry_run,
        }


def _content_json(post: Post) -> bytes:
    """What the uploader wrote, as the canonical JSON stored (same post, same bytes).

    orjson writes tuples as arrays and a date as its ISO text, as the stored format has it.
    """
    return orjson.dumps(dict(zip(_CONTENT, _content_values(post), strict=True)))


@lru_cache(maxsize=4096)
def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


_DATES = 22  # "<created_on> <updated_on> " before the JSON of a stored post


def _post_of(post_id: str, raw: bytes, data: dict[str, Any], hires: int, state: Any) -> Post:
    data["certificates"] = tuple(data["certificates"])
    data["for_townships"] = tuple(data["for_townships"])
    data["closes_on"] = _date(data["closes_on"])
    return Post(
        post_id=post_id,
        hires=hires,
        status=_text(state) if state else "open",
        created_on=_date(raw[:10].decode()),
        updated_on=_date(raw[11:21].decode()),
        **data,
    )


def _post_from(post_id: str, raw: bytes, hires: int, state: bytes | str | None) -> Post:
    return _post_of(post_id, raw, json.loads(raw[_DATES:].decode()), hires, state)


def _posts_from(
    raw: Mapping[bytes, bytes], hires: Mapping[bytes, bytes], states: Mapping[bytes, bytes]
) -> list[Post]:
    """Many stored posts at once: one JSON decode of them all, in post_id order."""
    keys = sorted(raw)
    values = [raw[k] for k in keys]
    decoded = orjson.loads(b"[" + b",".join(v[_DATES:] for v in values) + b"]")
    return [
        _post_of(k.decode(), v, d, int(hires.get(k, 0)), states.get(k))
        for k, v, d in zip(keys, values, decoded, strict=True)
    ]


@contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic collector off while many small acyclic objects are made (it only costs time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def post_json(post: Post, today: dt.date) -> dict[str, Any]:
    """A post as the JSON object of DESIGN §4 (plus its other fields), state on ``today``."""
    return {
        "post_id": post.post_id,
        "external_id": post.external_id,
        "uploader": post.uploader,
        "title": post.title,
        "kind": post.kind,
        "employer": post.employer,
        "employer_code": post.employer_code,
        "district": post.district,
        "township": post.township,
        "township_code": post.township_code,
        "headcount": post.headcount,
        "hires": post.hires,
        "places_left": post.places_left,
        "status": post_state(post, today),
        "min_age": post.min_age,
        "max_age": post.max_age,
        "salary_min": post.salary_min,
        "salary_max": post.salary_max,
        "lodging": post.lodging,
        "schedule": post.schedule,
        "certificates": list(post.certificates),
        "for_townships": list(post.for_townships),
        "closes_on": post.closes_on.isoformat() if post.closes_on else None,
    }


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class CatalogueStore:
    """Posts, their hires and states, the change feed, agreements and employer controls."""

    def __init__(self, redis_client: redis.Redis, *, prefix: str = "rg") -> None:
        if redis_client.connection_pool.connection_kwargs.get("decode_responses"):
            raise ValueError("redis_client must return bytes (decode_responses=False)")
        self.redis = redis_client
        base = f"{prefix}:cat"
        self.k_posts = f"{base}:posts"
        self.k_hires = f"{base}:hires"
        self.k_state = f"{base}:state"
        self.k_version = f"{base}:version"
        self.k_feed = f"{base}:feed"
        self.k_agreements = f"{base}:agreements"
        self.k_controls = f"{base}:controls"
        self.k_control_log = f"{base}:control_log"
        self._mark = redis_client.register_script(_MARK)
        self._hire = redis_client.register_script(_HIRE)
        self._cache: tuple[int, list[Post]] | None = None

    # -- reading -------------------------------------------------------------------------

    def version(self) -> int:
        """The catalogue version: bumps on every change to a post, agreement or control."""
        return int(self.redis.get(self.k_version) or 0)

    def all_posts(self) -> list[Post]:
        """Every post with its hires and state, in post_id order (cached per version)."""
        cached = self._cache
        if cached is not None and cached[0] == self.version():
            return list(cached[1])
        pipe = self.redis.pipeline(transaction=True)
        pipe.get(self.k_version)
        pipe.hgetall(self.k_posts)
        pipe.hgetall(self.k_hires)
        pipe.hgetall(self.k_state)
        version, raw, hires, states = pipe.execute()
        with _no_gc():
            posts = _posts_from(raw, hires, states)
        self._cache = (int(version or 0), posts)
        return list(posts)

    def get(self, post_id: str) -> Post | None:
        """The post with this id, or None."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.hget(self.k_posts, post_id)
        pipe.hget(self.k_hires, post_id)
        pipe.hget(self.k_state, post_id)
        raw, hires, state = pipe.execute()
        if raw is None:
            return None
        return _post_from(post_id, raw, int(hires or 0), state)

    def posts(self, *, kind: str | None = None, district: str | None = None) -> list[Post]:
        """Posts of a kind and/or work district (names as stored, e.g. 通州区)."""
        return [
            p
            for p in self.all_posts()
            if (kind is None or p.kind == kind) and (district is None or p.district == district)
        ]

    def changes_since(self, seq: str | int = 0, *, count: int | None = None) -> list[PostChange]:
        """Feed entries after ``seq``: a version number (every change after it) or an entry id."""
        if isinstance(seq, int) or (isinstance(seq, str) and is_digits(seq)):
            start = f"{int(seq) + 1}-0"
        else:
            start = f"({seq}"
        entries: Any = self.redis.xrange(self.k_feed, min=start, max="+", count=count)
        out = []
        for entry_id, fields in entries:
            f = {_text(k): _text(v) for k, v in fields.items()}
            sid = _text(entry_id)
            out.append(
                PostChange(
                    seq=sid,
                    version=int(sid.split("-")[0]),
                    event=f["event"],
                    post_id=f["post_id"],
                    uploader=f.get("uploader", ""),
                    actor=f.get("actor", ""),
                    day=f.get("day", ""),
                )
            )
        return out

    # -- uploads -------------------------------------------------------------------------

    def _existing_with_hires(self) -> dict[str, Post]:
        hires = self.redis.hgetall(self.k_hires)
        ids = [_text(k) for k, v in hires.items() if int(v) > 0]
        if not ids:
            return {}
        pipe = self.redis.pipeline(transaction=True)
        pipe.hmget(self.k_posts, ids)
        pipe.hmget(self.k_state, ids)
        raws, states = pipe.execute()
        return {
            pid: _post_from(pid, raw, int(hires[pid.encode()]), st)
            for pid, raw, st in zip(ids, raws, states, strict=True)
            if raw is not None
        }

    def upload(
        self,
        table: Table,
        *,
        uploader: str,
        today: dt.date,
        gazetteer: Gazetteer,
        dry_run: bool = False,
        keep_valid: bool = False,
    ) -> UploadReport:
        """Validate and store an upload: all-or-nothing unless ``keep_valid``; idempotent."""
        with _no_gc():
            return self._upload_table(table, uploader, today, gazetteer, dry_run, keep_valid)

    def _upload_table(
        self,
        table: Table,
        uploader: str,
        today: dt.date,
        gazetteer: Gazetteer,
        dry_run: bool,
        keep_valid: bool,
    ) -> UploadReport:
        for _ in range(_RETRIES):
            version = self.version()
            result = parse_posts(
                table,
                uploader=uploader,
                agreements=self.agreements(),
                today=today,
                gazetteer=gazetteer,
                existing=self._existing_with_hires(),
            )
            report = self._apply(result, version, today=today, dry_run=dry_run, keep=keep_valid)
            if report is not None:
                return report
        raise RuntimeError("catalogue kept changing during the upload; try again")

    def upload_file(
        self,
        data: bytes,
        filename: str,
        *,
        uploader: str,
        today: dt.date,
        gazetteer: Gazetteer,
        dry_run: bool = False,
        keep_valid: bool = False,
    ) -> UploadReport:
        """Read an ``.xlsx``/``.csv`` upload and store it (see :meth:`upload`)."""
        with _no_gc():
            table = read_table(data, filename)
        return self.upload(
            table,
            uploader=uploader,
            today=today,
            gazetteer=gazetteer,
            dry_run=dry_run,
            keep_valid=keep_valid,
        )

    def _apply(
        self, result: UploadResult, version: int, *, today: dt.date, dry_run: bool, keep: bool
    ) -> UploadReport | None:
        errors = result.errors
        if errors and (not keep or not result.posts):
            return UploadReport(0, 0, 0, result.rejected, errors, True, dry_run, version)
        posts = result.posts
        ids: Any = result.values("post_id")
        uploaders: Any = result.values("uploader")
        old_raw: Any = self.redis.hmget(self.k_posts, ids) if posts else []
        day = today.isoformat()
        stamp = f"{day} {day} ".encode()
        writes: list[_Write] = []
        changed: list[tuple[int, bytes, bytes]] = []  # (position in writes, content, stored)
        unchanged = 0
        # The JSON parse_posts made of each post, else made here: the same bytes.
        contents = result.contents if len(result.contents) == len(posts) else None
        for post_id, uploader, content, raw in zip(
            ids, uploaders, contents or map(_content_json, posts), old_raw, strict=True
        ):
            if raw is None:
                writes.append((post_id, stamp + content, "created", False, uploader))
            elif raw[_DATES:] == content:
                unchanged += 1
            else:
                changed.append((len(writes), content, raw))
                writes.append((post_id, b"", "updated", False, uploader))
        if changed:
            states = self.redis.hmget(self.k_state, [writes[i][0] for i, _, _ in changed])
            for (i, content, raw), state in zip(changed, states, strict=True):
                value = b"%s %s %s" % (raw[:10], day.encode(), content)
                reopen = state == b"expired"  # a new closing date reopens
                writes[i] = (writes[i][0], value, "updated", reopen, writes[i][4])
        updated = len(changed)
        created = len(writes) - updated
        if dry_run or not writes:
            return UploadReport(
                created, updated, unchanged, result.rejected, errors, False, dry_run, version
            )
        new_version = self._write(writes, version, day)
        if new_version is None:
            return None  # the catalogue changed meanwhile: recompute
        return UploadReport(
            created, updated, unchanged, result.rejected, errors, False, False, new_version
        )

    def _write(self, writes: list[_Write], version: int, day: str) -> int | None:
        """Store an upload's posts in one MULTI/EXEC: the posts, the version bumped once and one
        feed entry each, all or nothing; None (nothing written) if the catalogue is no longer
        at ``version``.

        WATCH on every key the write touches makes EXEC refuse if anything changed after the
        version was read; a key of the wrong type is refused before MULTI, since a command
        failing inside EXEC would not undo the others. The commands go as one block of the
        Redis protocol, the feed entries made by one short script from the joined post ids:
        twenty thousand XADDs sent and answered one by one cost more than validating the
        upload. (The posts are not written by a script: Lua interns every string it is given,
        and stored values that differ only near their start share a hash there, so a large
        upload of similar rows took quadratic time.)
        """
        pool = self.redis.connection_pool
        conn: Any = pool.get_connection()  # the client's types leave these calls untyped
        try:
            conn.send_command("WATCH", self.k_version, self.k_feed, self.k_posts, self.k_state)
            conn.read_response()
            conn.send_packed_command(
                conn.pack_commands(
                    [
                        ("GET", self.k_version),
                        ("XREVRANGE", self.k_feed, "+", "-", "COUNT", 1),
                        ("TYPE", self.k_posts),
                        ("TYPE", self.k_state),
                    ]
                )
            )
            current, last, *types = [conn.read_response() for _ in range(4)]
            if int(current or 0) != version:
                conn.send_command("UNWATCH")
                conn.read_response()
                return None
            new = version + 1
            if last and int(last[0][0].split(b"-")[0]) >= new:
                raise RuntimeError(f"{self.k_feed} holds entries past version {version}")
            for key, kind in zip((self.k_posts, self.k_state), types, strict=True):
                if kind not in (b"hash", b"none", "hash", "none"):
                    raise redis.ResponseError(f"WRONGTYPE {key} holds a {_text(kind)}, not a hash")
            block = self._transaction(writes, new, day)
            conn.send_packed_command([b"".join(block)])
            for _ in range(len(block) - 1):  # +OK for MULTI, +QUEUED for each command
                conn.read_response()
            done = conn.read_response()  # EXEC: the replies, or nil when a watched key changed
        except BaseException:
            conn.disconnect()  # replies may be left unread: never reuse this connection
            raise
        finally:
            pool.release(conn)
        if done is None:
            return None
        failed = [r for r in done if isinstance(r, Exception)]
        if failed:  # a command failed when run (not foreseen above): as a script would
            raise failed[0]
        return new

    def _transaction(self, writes: list[_Write], new: int, day: str) -> list[bytes]:
        """MULTI, the HSETs, HDEL of reopened posts' marks, SET version, the feed, EXEC."""
        posts, state, feed = self.k_posts.encode(), self.k_state.encode(), self.k_feed.encode()
        block = [_resp(b"MULTI")]
        ids = [w[0].encode() for w in writes]
        for start in range(0, len(writes), _HSET_PAIRS):
            chunk = range(start, min(start + _HSET_PAIRS, len(writes)))
            pairs = [
                b"$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(ids[i]), ids[i], len(v), v)
                for i, v in zip(chunk, (writes[i][1] for i in chunk), strict=True)
            ]
            head = _resp(b"HSET", posts)
            block.append(b"*%d%s" % (2 + 2 * len(pairs), head[2:]) + b"".join(pairs))
        reopened = [ids[i] for i, w in enumerate(writes) if w[3]]
        if reopened:
            block.append(_resp(b"HDEL", state, *reopened))
        block.append(_resp(b"SET", self.k_version.encode(), b"%d" % new))
        # One script call per run of posts of one uploader (an upload has one): entries
        # <new>-1, <new>-2, … in the order of the writes.
        start = 0
        while start < len(writes):
            uploader = writes[start][4]
            end = start + 1
            while end < len(writes) and writes[end][4] == uploader:
                end += 1
            block.append(
                _resp(
                    b"EVAL",
                    _FEED,
                    b"1",
                    feed,
                    b"%d" % new,
                    b"%d" % (start + 1),
                    uploader.encode(),
                    day.encode(),
                    b" ".join(ids[start:end]),
                    bytes(_EVENT_CODES[w[2]] for w in writes[start:end]),
                )
            )
            start = end
        block.append(_resp(b"EXEC"))
        return block

    # -- life cycle ----------------------------------------------------------------------

    def record_hire(self, post_id: str, *, day: dt.date) -> Post:
        """Count one hire against the post (atomically); at its headcount it becomes filled."""
        keys = [self.k_posts, self.k_state, self.k_hires, self.k_version, self.k_feed]
        answer = self._hire(keys=keys, args=[post_id, day.isoformat()])
        code = int(answer[0])
        if code == -1:
            raise UnknownPostError(post_id)
        if code == -2:
            raise PostStateError(f"岗位“{post_id}”已关闭，不能再登记录用")
        if code == -3:
            raise PostStateError(f"岗位“{post_id}”已招满（已录用{int(answer[1])}人）")
        post = self.get(post_id)
        assert post is not None
        return post

    def close(self, post_id: str, *, actor: str, day: dt.date | None = None) -> Post:
        """Close a post by its owner (a feed entry; closing twice changes nothing)."""
        if self.redis.hexists(self.k_posts, post_id) == 0:
            raise UnknownPostError(post_id)
        self._mark_posts([post_id], state="closed", event="closed", actor=actor, day=day)
        post = self.get(post_id)
        assert post is not None
        return post

    def expire_due(self, today: dt.date) -> list[str]:
        """Mark open posts past their 截止日期 expired (one feed entry each); their ids."""
        due = [
            p.post_id
            for p in self.all_posts()
            if p.status == "open"
            and p.closes_on is not None
            and p.closes_on < today
            and p.places_left > 0
        ]
        self._mark_posts(due, state="expired", event="expired", actor="system", day=today)
        return due

    def _mark_posts(
        self, ids: list[str], *, state: str, event: str, actor: str, day: dt.date | None
    ) -> int:
        if not ids:
            return 0
        keys = [self.k_posts, self.k_state, self.k_version, self.k_feed]
        stamp = (day or dt.date.today()).isoformat()
        answer = self._mark(keys=keys, args=[state, event, actor, stamp, *ids])
        return int(answer[1])

    # -- agreements and controls ---------------------------------------------------------

    def agreements(self) -> list[Agreement]:
        """Every agreement filed, in id order."""
        raw = self.redis.hgetall(self.k_agreements)
        return [agreement_from_dict(json.loads(raw[k])) for k in sorted(raw)]

    def add_agreements(self, agreements: Iterable[Agreement]) -> tuple[int, int]:
        """File agreements (one with the same id replaces it): (added, replaced)."""
        items = list(agreements)
        if not items:
            return 0, 0
        ids = [a.agreement_id for a in items]
        known = self.redis.hmget(self.k_agreements, ids)
        replaced = sum(1 for k in known if k is not None)
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(
            self.k_agreements,
            mapping={
                a.agreement_id: json.dumps(agreement_as_dict(a), ensure_ascii=False) for a in items
            },
        )
        pipe.incr(self.k_version)
        pipe.execute()
        return len(items) - replaced, replaced

    def employer_controls(self) -> dict[str, EmployerControl]:
        """The boosts and suspensions in force, by 统一社会信用代码 (or employer name)."""
        raw = self.redis.hgetall(self.k_controls)
        out = {}
        for key, value in raw.items():
            data = json.loads(value)
            out[_text(key)] = EmployerControl(
                boost=float(data["boost"]), suspended=bool(data["suspended"]), reason=data["reason"]
            )
        return out

    def set_employer_control(
        self,
        code: str,
        *,
        boost: float | None = None,
        suspended: bool | None = None,
        reason: str,
        actor: str,
    ) -> EmployerControl:
        """Boost and/or suspend an employer's posts, with a reason; logged with the actor."""
        if not reason.strip():
            raise ValueError("reason must not be empty")
        current = self.employer_controls().get(code, EmployerControl())
        control = EmployerControl(
            boost=current.boost if boost is None else boost,
            suspended=current.suspended if suspended is None else suspended,
            reason=reason.strip(),
        )
        record = dataclasses.asdict(control) | {"actor": actor}
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(self.k_controls, code, json.dumps(record, ensure_ascii=False))
        entry: dict[Any, Any] = {"employer": code, **_flat(record)}
        pipe.xadd(self.k_control_log, entry)
        pipe.incr(self.k_version)
        pipe.execute()
        return control

    def clear_employer_control(self, code: str, *, reason: str, actor: str) -> bool:
        """Remove an employer's boost and suspension; whether there was one."""
        if not reason.strip():
            raise ValueError("reason must not be empty")
        pipe = self.redis.pipeline(transaction=True)
        pipe.hdel(self.k_controls, code)
        pipe.xadd(
            self.k_control_log,
            {"employer": code, "cleared": "1", "reason": reason.strip(), "actor": actor},
        )
        pipe.incr(self.k_version)
        removed, _, _ = pipe.execute()
        return bool(removed)


def _flat(record: Mapping[str, Any]) -> dict[str, str]:
    return {k: str(int(v) if isinstance(v, bool) else v) for k, v in record.items()}


__all__ = ["CatalogueStore", "PostChange", "UploadReport", "post_json"]
