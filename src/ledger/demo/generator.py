"""A seeded generator of a county Party committee's year on the record, for ``ledger demo`` and
the benchmarks: the acts of docs/record-format.md as plain dicts (what
``RecordDocument.model_validate({"acts": [...]})`` accepts), in time order, grouped into the
batches an office recording day by day would record.

The year (2026-01-05 to 2026-12-31, the last year the working-day calendar knows) follows
../shared/domain.md: the roster and posts after a reshuffle, a plenary (全委会) and a standing
committee (常委会), about two standing committee meetings a month and a plenary a quarter, each
matter researched, consulted, proposed, coordinated, approved for the agenda, noticed,
deliberated, voted item by item, announced, minuted, carried out and supervised; a reshuffle at
mid-year; an emergency action reported and ratified; a decision changed by its own body; a
sharply divided item deferred; a failed decision and its accountability review; duty reports and
a work report to the plenary; a delegation of agenda approval; a rule set adopted on the record.

The deliberate breaches are each marked ``BREACH <rule id>`` where they are made; the rules
(docs/rules.md) must find exactly these and nothing else. One batch is recorded days late
(``late-record``); every other batch is recorded minutes after its last act.

``size`` N scales the routine work: N times as many routine matters per standing committee
meeting and, from N = 2, more meetings a month; the story stays the same. Everything is drawn
from ``random.Random(seed)``: the same size and seed give the same acts.

Nothing here touches a store: ``ledger.store.demo`` records the batches. References use aliases
(``p.wang``, ``mat.0001`` ...) that stay meaningful across batches; the recorder swaps in the ids
the ledger gave them.
"""

from __future__ import annotations

import hashlib
import heapq
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from ledger.domain.rules.calendar import CHINA_TIME, SHIPPED
from ledger.errors import InputError

Act = dict[str, Any]

START = date(2026, 1, 5)
"""The day the committee's record opens (the Monday after the New Year holiday)."""
LAST_DAY = date(2026, 12, 28)
"""No act after this day: three working days after it still lie within 2026, the last year the
working-day calendar knows (a later deadline would be an error, not a finding)."""
YEAR_END = datetime(2026, 12, 31, 23, 0, tzinfo=CHINA_TIME)
"""The moment the demo year is judged as of."""
MAX_LEAD = timedelta(days=45)
"""No act of a meeting's preparation happens earlier than this before the meeting."""
RECORDING_DELAY = timedelta(minutes=5)
"""The office records a batch this long after its last act."""

# --- the batches the recorder receives ---------------------------------------------------------


@dataclass(frozen=True)
class ActBatch:
    """Acts recorded in one call with the office's clock at ``record_at``; ``signers`` are the
    aliases of members whose personal keys sign their own acts in it."""

    acts: tuple[Act, ...]
    record_at: datetime
    signers: tuple[str, ...] = ()
    late: bool = False


@dataclass(frozen=True)
class KeyRegistration:
    """A personal key (purpose ``act``) for a member, or an office key (holder ``office``)."""

    holder: str
    at: datetime
    label: str


@dataclass(frozen=True)
class KeyRevocation:
    """The key registered under ``label`` is revoked."""

    label: str
    at: datetime
    reason: str


@dataclass(frozen=True)
class RuleSetAdoption:
    """A rule-set document (``ledger.rules/1``) adopted on the record."""

    document: dict[str, Any]
    at: datetime


Step = ActBatch | KeyRegistration | KeyRevocation | RuleSetAdoption

# --- the people ------------------------------------------------------------------------------

STANDING = (
    # alias, name, title, posts, in charge of (分管), liaison (联系)
    ("p.wang", "王建国", "县委书记", ("secretary",), (), ()),
    (
        "p.li",
        "李明",
        "县委副书记、县长",
        ("deputy_secretary", "head_of_government"),
        ("政府工作", "审计"),
        (),
    ),
    (
        "p.zhang",
        "张华",
        "县委专职副书记",
        ("deputy_secretary", "full_time_deputy_secretary"),
        ("党建", "群团"),
        ("人大", "政协"),
    ),
    (
        "p.zhao",
        "赵敏",
        "县委常委、县纪委书记、县监委主任",
        ("discipline_secretary", "standing_member"),
        ("纪检监察",),
        (),
    ),
    (
        "p.chen",
        "陈刚",
        "县委常委、组织部部长",
        ("organisation_head", "standing_member"),
        ("组织", "干部", "人才"),
        (),
    ),
    (
        "p.liu",
        "刘芳",
        "县委常委、宣传部部长",
        ("propaganda_head", "standing_member"),
        ("宣传", "文化旅游", "教育"),
        (),
    ),
    (
        "p.sun",
        "孙强",
        "县委常委、政法委书记",
        ("political_legal_secretary", "standing_member"),
        ("政法", "公安", "信访", "应急管理"),
        (),
    ),
    (
        "p.zhou",
        "周洁",
        "县委常委、秘书长、县委办公室主任",
        ("secretary_general", "standing_member"),
        ("办公室", "机要保密", "督查"),
        (),
    ),
    (
        "p.wu",
        "吴涛",
        "县委常委、统战部部长",
        ("united_front_head", "standing_member"),
        ("统战", "民族宗教", "工商联"),
        ("政协",),
    ),
    (
        "p.zheng",
        "郑伟",
        "县委常委、常务副县长",
        ("executive_deputy_head", "standing_member"),
        ("财政", "发展改革", "国资", "工业园区"),
        (),
    ),
    (
        "p.gao",
        "高峰",
        "县委常委、副县长",
        ("standing_member",),
        ("农业农村", "水利", "乡村振兴", "生态环境"),
        (),
    ),
)
ORDINARY = (
    ("马建军", "青山镇党委书记"),
    ("黄秀英", "河口镇党委书记"),
    ("何志强", "县发展和改革局局长"),
    ("罗丽娟", "县教育体育局局长"),
    ("谢国庆", "县财政局局长"),
    ("韩磊", "县公安局局长"),
    ("唐晓燕", "县卫生健康局局长"),
    ("冯志刚", "县住房和城乡建设局局长"),
    ("于海涛", "县人大常委会副主任"),
    ("董丽华", "县政协副主席"),
    ("萧永红", "白沙乡党委书记"),
    ("程建平", "龙泉镇党委书记"),
    ("曹玉兰", "县妇联主席"),
    ("袁立新", "县自然资源局局长"),
    ("邓婷", "团县委书记"),
    ("许文斌", "县工业园区管委会主任"),
)
NEWCOMER = ("p.lin", "林𠀀", "县委常委、宣传部部长")
"""Appointed at mid-year; the name has a character outside the Basic Multilingual Plane."""
LEAVER = "p.liu"
LEAVES = datetime(2026, 7, 3, 10, 0, tzinfo=CHINA_TIME)
JOINS = datetime(2026, 7, 6, 9, 0, tzinfo=CHINA_TIME)

TOWNS = (
    "青山镇",
    "河口镇",
    "白沙乡",
    "龙泉镇",
    "石桥镇",
    "柳林乡",
    "东湖街道",
    "西岭镇",
    "南塘乡",
    "北坪镇",
    "金川镇",
    "双河镇",
    "凤凰镇",
    "云台乡",
    "马坊乡",
    "城关镇",
)
EXPERTS = (
    "陈立新教授",
    "林海高级工程师",
    "王静研究员",
    "赵建华高级工程师",
    "孙伟教授",
    "周涛高级经济师",
)
ABSENCES = (
    ("出差", False),
    ("参加市委会议", False),
    ("外出招商", False),
    ("病假", True),
    ("事假", True),
    ("参加市委党校培训", True),
)
WIDER = (
    ("other_party", "各民主党派县委"),
    ("non_party", "无党派人士代表"),
    ("mass_organisation", "县总工会"),
    ("wide", "社会各界代表座谈会"),
)
"""Wider consultation of a major matter: one of these besides the 人大 and the 政协."""
AGREE = (
    "同意",
    "同意，建议加强资金监管",
    "同意，抓好督促落实",
    "赞成，注意防范风险",
    "同意，建议细化分工",
)


@dataclass(frozen=True)
class Topic:
    """A kind of routine matter: its title, its areas (the first is the in-charge member's),
    categories, the departments consulted and, for a major one, its alternative plans."""

    title: str
    areas: tuple[str, ...]
    flags: frozenset[str]
    departments: tuple[str, ...]
    plans: tuple[str, ...] = ()


def _topic(
    title: str, areas: tuple[str, ...], flags: str, departments: tuple[str, ...], *plans: str
) -> Topic:
    return Topic(title, areas, frozenset(flags.split()), departments, plans)


TOPICS = (
    _topic(
        "{town}标准化厂房建设项目",
        ("工业园区", "财政"),
        "major technical",
        ("县工业园区管委会", "县财政局"),
        "方案一：政府投资建设",
        "方案二：引入社会资本合作建设",
    ),
    _topic(
        "关于调整县级财政预算的方案（{n}）",
        ("财政",),
        "major",
        ("县财政局", "县审计局"),
        "方案一：压减一般性支出",
        "方案二：统筹盘活存量资金",
    ),
    _topic(
        "{town}污水处理厂提标改造工程",
        ("生态环境", "财政"),
        "major technical public_interest",
        ("县生态环境局", "县住房和城乡建设局"),
        "方案一：原址提标改造",
        "方案二：异地新建",
    ),
    _topic("{town}农贸市场升级改造方案", ("发展改革",), "public_interest", ("县市场监督管理局",)),
    _topic(
        "{town}老旧小区改造实施方案",
        ("政府工作", "财政"),
        "major public_interest",
        ("县住房和城乡建设局", "县财政局"),
        "方案一：整体改造",
        "方案二：分批微改造",
    ),
    _topic(
        "{town}供水管网改造方案",
        ("政府工作", "水利"),
        "major technical public_interest",
        ("县水务局", "县财政局"),
        "方案一：分期改造",
        "方案二：一次性改造",
    ),
    _topic("关于加强审计整改工作的意见（{n}）", ("审计",), "", ("县审计局",)),
    _topic(
        "{town}高标准农田建设项目",
        ("农业农村", "财政"),
        "technical",
        ("县农业农村局", "县自然资源局"),
    ),
    _topic(
        "{town}乡村振兴示范村建设方案",
        ("乡村振兴", "财政"),
        "major",
        ("县乡村振兴局", "县财政局"),
        "方案一：集中连片打造",
        "方案二：分村特色发展",
    ),
    _topic(
        "{town}河道综合治理工程",
        ("水利", "生态环境"),
        "major technical public_interest",
        ("县水务局", "县生态环境局"),
        "方案一：生态护岸",
        "方案二：硬质护岸加绿化",
    ),
    _topic(
        "关于{town}党委书记人选的建议",
        ("干部", "组织"),
        "cadre",
        ("县委组织部考察组", "县纪委监委"),
    ),
    _topic("关于县直单位科级干部任免的建议（第{n}批）", ("干部",), "cadre", ("县委组织部",)),
    _topic(
        "关于加强{town}年轻干部培养的实施意见",
        ("人才", "组织"),
        "",
        ("县委组织部", "县人力资源和社会保障局"),
    ),
    _topic(
        "{town}信访积案化解工作方案", ("信访", "政法"), "confidential", ("县信访局", "县公安局")
    ),
    _topic(
        "县安全生产专项整治行动方案（{n}）",
        ("应急管理", "公安"),
        "public_interest",
        ("县应急管理局", "县公安局"),
    ),
    _topic(
        "{town}文化旅游融合发展规划",
        ("文化旅游", "财政"),
        "major public_interest",
        ("县文化广电和旅游局", "县财政局"),
        "方案一：全域旅游",
        "方案二：重点景区带动",
    ),
    _topic(
        "{town}中小学布局调整方案",
        ("教育", "财政"),
        "major public_interest",
        ("县教育体育局", "县财政局"),
        "方案一：撤并小规模学校",
        "方案二：保留教学点并提升办学条件",
    ),
    _topic("关于加强{town}新时代文明实践工作的意见", ("宣传",), "", ("县委宣传部", "县文明办")),
    _topic(
        "关于促进民营经济发展的若干措施（{n}）",
        ("工商联", "发展改革"),
        "major public_interest",
        ("县工商联", "县发展和改革局"),
        "方案一：普惠性减负",
        "方案二：重点企业专项扶持",
    ),
    _topic(
        "{town}宗教活动场所安全整治方案",
        ("民族宗教", "应急管理"),
        "",
        ("县民族宗教事务局", "县应急管理局"),
    ),
    _topic("关于加强{town}基层党组织建设的意见", ("党建", "组织"), "", ("县委组织部",)),
    _topic("县群团组织改革实施方案（{n}）", ("群团",), "", ("县总工会", "团县委", "县妇联")),
    _topic("关于开展县委第{n}轮巡察工作的安排", ("纪检监察",), "confidential", ("县委巡察办",)),
    _topic(
        "关于进一步规范{town}督查检查考核工作的意见",
        ("督查", "办公室"),
        "",
        ("县委督查室",),
    ),
    _topic(
        "县属国有企业改革重组方案（{n}）",
        ("国资", "财政"),
        "major",
        ("县国有资产服务中心", "县财政局"),
        "方案一：整合重组",
        "方案二：分类改革",
    ),
)

# --- plans ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A member and when they were on the committee."""

    alias: str
    name: str
    rank: int
    standing: bool
    joined: datetime
    left: datetime | None = None

    def active(self, moment: datetime) -> bool:
        return self.joined <= moment and (self.left is None or moment < self.left)


@dataclass
class Matter:
    """A matter (议题) as planned: who is in charge, its categories and its preparation."""

    alias: str
    title: str
    body: str
    in_charge: str
    areas: tuple[str, ...]
    flags: frozenset[str]
    departments: tuple[str, ...]
    plans: tuple[str, ...]
    prepared: bool = False

    def has(self, flag: str) -> bool:
        return flag in self.flags


@dataclass
class Item:
    """An item on a meeting's agenda and how its deliberation goes."""

    matter: Matter
    stances: dict[str, str] = field(default_factory=dict)  # explicit views; others agree
    method: str | None = None
    tally: tuple[int, int, int] | None = None  # for, against, abstain (a tally-only vote)
    reasons: str = ""
    interest: tuple[str, str] | None = None  # member, interest
    withdraws: bool = False
    defer: str = ""
    bundle: Item | None = None
    reconsider: str = ""
    decide: bool = True  # False: views only (a preparatory meeting's 酝酿)
    routine: bool = False  # views may differ, never enough to change the outcome
    carry_out: bool = True


@dataclass
class Meeting:
    """A meeting as planned."""

    day: date
    body: str  # "sc", "plenary" or "prep"
    story: str = ""
    chair: str = "p.wang"
    alias: str = ""
    title: str = ""
    items: list[Item] = field(default_factory=list)
    absent: dict[str, tuple[str, bool]] = field(default_factory=dict)
    full: bool = False  # everyone attends


@dataclass(order=True)
class _Pending:
    batch_day: int
    group: int  # 0: the deliberately late batch of that day; 1: the day's own batch
    at: datetime
    seq: int
    step: Act | KeyRegistration | KeyRevocation | RuleSetAdoption = field(compare=False)
    signer: str | None = field(default=None, compare=False)
    record_at: datetime | None = field(default=None, compare=False)


# --- calendar helpers ---------------------------------------------------------------------------


def moment(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A time of day in China."""
    return datetime.combine(day, time(hour, minute, second), tzinfo=CHINA_TIME)


def _working(day: date) -> bool:
    return day.year == START.year and SHIPPED.is_working_day(day)


def on_or_before(day: date, floor: date) -> date:
    """The last working day on or before ``day``, not before ``floor``."""
    current = day
    while current > floor and not _working(current):
        current -= timedelta(days=1)
    return max(current, floor)


def after(day: date, n: int) -> date | None:
    """The ``n``-th working day after ``day``; None past the last day of the demo year."""
    current = day
    while n > 0:
        current += timedelta(days=1)
        if current > LAST_DAY:
            return None
        if _working(current):
            n -= 1
    return current


def digest(text: str) -> str:
    """The digest of a (notional) document: materials are given by digest."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def iso(when: datetime) -> str:
    return when.isoformat()


# --- the generator ------------------------------------------------------------------------------

SC_DAYS = (
    "01-13 01-20 02-10 02-19 02-26 03-10 03-24 04-14 04-28 05-12 05-26 06-09 06-23 "
    "07-14 07-28 08-11 08-25 09-08 09-22 10-13 10-27 11-10 11-24 12-08 12-22"
)
PLENARY_DAYS = ("01-29", "06-30", "09-17", "12-17")
PREP_DAYS = ("03-05", "05-19")
PLENARY_NUMBERS = ("九", "十", "十一", "十二")


def _day(text: str) -> date:
    month, day = text.split("-")
    return date(START.year, int(month), int(day))


class CountyYear:
    """The acts of a county committee's year, generated from a seed.

    Iterate :meth:`steps` once; afterwards ``stats`` counts what was generated and
    ``highlights`` names the story's subjects (for the demo's hints and tests).
    """

    def __init__(self, size: int = 1, seed: int = 2026) -> None:
        if size < 1:
            raise InputError(
                f"size must be 1 or more, got {size}", zh=f"规模须为 1 或以上，而不是 {size}"
            )
        self.size = size
        self.rng = random.Random(seed)
        self.start = moment(START, 8, 0)
        self.stats: Counter[str] = Counter()
        self.highlights: dict[str, str] = {}
        self.people: dict[str, Person] = {}
        self.portfolios: list[tuple[datetime, str, tuple[str, ...]]] = []
        self.keys: dict[str, datetime] = {}
        self._heap: list[_Pending] = []
        self._seq = 0
        self._horizon = START
        self._titles: set[str] = set()
        self._counters: Counter[str] = Counter()
        self._story: dict[str, Matter] = {}
        self._owners: dict[tuple[str, datetime], str | None] = {}

    # --- queue ---------------------------------------------------------------------------------

    def _push(
        self,
        when: datetime,
        step: Act | KeyRegistration | KeyRevocation | RuleSetAdoption,
        signer: str | None = None,
        late_until: datetime | None = None,
    ) -> None:
        day = when.date()
        if day < self._horizon:  # pragma: no cover - a planning error, caught at once
            raise RuntimeError(f"an act on {day} was planned after that day was recorded")
        if day > LAST_DAY + timedelta(days=3):  # pragma: no cover - a planning error
            raise RuntimeError(f"an act on {day} lies beyond the demo year")
        if isinstance(step, dict):
            step["at"] = iso(when)
        self._seq += 1
        batch_day = (late_until or when).date().toordinal()
        group = 0 if late_until else 1
        heapq.heappush(
            self._heap, _Pending(batch_day, group, when, self._seq, step, signer, late_until)
        )

    def _act(self, when: datetime, kind: str, signer: str | None = None, /, **fields: Any) -> None:
        """Queue an act of ``kind`` at ``when``; ``signer`` signs it with a personal key."""
        act: Act = {"act": kind}
        for key, value in fields.items():
            act["as" if key == "as_" else key] = value
        self._push(when, act, signer)

    def _flush(self, before: date | None) -> Iterator[Step]:
        """Hand out every queued step whose batch day lies before ``before`` (all, if None)."""
        limit = before.toordinal() if before else None
        acts: list[Act] = []
        signers: set[str] = set()
        key: tuple[int, int] | None = None
        record_at: datetime | None = None

        def batch() -> Iterator[Step]:
            if acts and record_at is not None:
                yield ActBatch(
                    tuple(acts), record_at, tuple(sorted(signers)), key is not None and key[1] == 0
                )

        while self._heap and (limit is None or self._heap[0].batch_day < limit):
            pending = heapq.heappop(self._heap)
            this = (pending.batch_day, pending.group)
            if not isinstance(pending.step, dict):
                yield from batch()
                acts, signers, key = [], set(), None
                yield pending.step
                continue
            if key is not None and this != key:
                yield from batch()
                acts, signers = [], set()
            key = this
            acts.append(pending.step)
            if pending.signer:
                signers.add(pending.signer)
            record_at = pending.record_at or pending.at + RECORDING_DELAY
        yield from batch()
        if before is not None:
            self._horizon = max(self._horizon, before)

    # --- the year ------------------------------------------------------------------------------

    def steps(self) -> Iterator[Step]:
        """Every step of the year, in the order the office records them."""
        self._people()
        self._story_matters()
        _emergencies(self)
        _late_batch(self)
        for meeting in self._calendar():
            yield from self._flush(meeting.day - MAX_LEAD)
            self._plan(meeting)
        yield from self._flush(None)

    def _people(self) -> None:
        """The roster, posts and portfolios, the bodies, personal keys and the rule set."""
        t = moment(START, 9, 0)
        for rank, (alias, name, title, posts, in_charge, liaison) in enumerate(STANDING):
            self.people[alias] = Person(alias, name, rank, True, t)
            self._act(t, "member.register", as_=alias, name=name, title=title)
            self._assign(t + timedelta(minutes=10), alias, posts, in_charge, liaison)
        for number, (name, title) in enumerate(ORDINARY, start=1):
            alias = f"p.o{number:02d}"
            self.people[alias] = Person(alias, name, 100 + number, False, t)
            self._act(t, "member.register", as_=alias, name=name, title=title)
            self._assign(t + timedelta(minutes=10), alias, ("member",), (), ())
        t = moment(START, 9, 30)
        everyone = [p.alias for p in self.people.values()]
        standing = [p.alias for p in self.people.values() if p.standing]
        self._act(
            t,
            "body.establish",
            as_="b.plenary",
            kind="plenary",
            name="县委全委会",
            members=everyone,
        )
        self._act(
            t,
            "body.establish",
            as_="b.sc",
            kind="standing_committee",
            name="县委常委会",
            members=standing,
        )
        self._act(
            t,
            "body.establish",
            as_="b.prep",
            kind="preparatory",
            name="书记专题会议（酝酿会）",
            members=list(PREP_MEMBERS),
        )
        for minute, alias in enumerate(standing):
            self._key(moment(START, 10, minute), alias)
        self._push(
            moment(START, 10, 30), KeyRegistration("office", moment(START, 10, 30), "office clerk")
        )
        self._push(
            moment(date(2026, 4, 30), 17, 0),
            KeyRevocation(
                "office clerk",
                moment(date(2026, 4, 30), 17, 0),
                "the clerk left the general office",
            ),
        )
        adopted = moment(date(2026, 1, 6), 8, 30)
        self._push(adopted, RuleSetAdoption(RULE_SET, adopted))
        self.stats["members"] = len(self.people)
        self.highlights["secretary"] = self.people["p.wang"].name
        self._reshuffle()

    def _assign(
        self,
        when: datetime,
        alias: str,
        posts: tuple[str, ...],
        in_charge: tuple[str, ...],
        liaison: tuple[str, ...],
    ) -> None:
        self.portfolios.append((when, alias, in_charge))
        fields: dict[str, Any] = {"member": alias, "posts": list(posts)}
        if in_charge:
            fields["in_charge"] = list(in_charge)
        if liaison:
            fields["liaison"] = list(liaison)
        self._act(when, "member.assign", **fields)

    def _key(self, when: datetime, alias: str) -> None:
        self.keys[alias] = when
        self._push(when, KeyRegistration(alias, when, self.people[alias].name))

    def _reshuffle(self) -> None:
        """At mid-year the propaganda head is transferred out; a newcomer is appointed to the post
        and joins the standing committee; education moves to another member's portfolio."""
        leaver = self.people[LEAVER]
        reason = "调任市委宣传部副部长"
        self._act(LEAVES, "body.leave", body="b.sc", member=LEAVER, reason=reason)
        self._act(LEAVES, "body.leave", body="b.plenary", member=LEAVER, reason=reason)
        self._act(LEAVES, "member.leave", member=LEAVER, reason=reason)
        revoked = LEAVES + timedelta(minutes=30)
        self._push(revoked, KeyRevocation(leaver.name, revoked, "holder left the committee"))
        self.people[LEAVER] = Person(LEAVER, leaver.name, leaver.rank, True, leaver.joined, LEAVES)
        alias, name, title = NEWCOMER
        self.people[alias] = Person(alias, name, leaver.rank, True, JOINS)
        self._act(JOINS, "member.register", as_=alias, name=name, title=title)
        later = JOINS + timedelta(minutes=10)
        self._assign(later, alias, ("propaganda_head", "standing_member"), ("宣传", "文化旅游"), ())
        self._act(later, "body.join", body="b.plenary", member=alias)
        self._act(later, "body.join", body="b.sc", member=alias)
        self._assign(
            later,
            "p.gao",
            ("standing_member",),
            ("农业农村", "水利", "乡村振兴", "生态环境", "教育"),
            (),
        )
        self._key(JOINS + timedelta(hours=1), alias)
        self.stats["members"] += 1
        self.highlights["newcomer"] = name

    # --- who holds what --------------------------------------------------------------------------

    def owner(self, area: str, when: datetime) -> str | None:
        """The member in charge of ``area`` at ``when`` (portfolios are all planned up front)."""
        if (area, when) in self._owners:
            return self._owners[(area, when)]
        holders: dict[str, tuple[str, ...]] = {}
        for since, alias, in_charge in self.portfolios:
            if since <= when and self.people[alias].active(when):
                holders[alias] = in_charge
        found = next((a for a, held in holders.items() if area in held), None)
        self._owners[(area, when)] = found
        return found

    def roster(self, body: str, when: datetime) -> list[str]:
        """The members of a body at ``when``, by rank."""
        people = [p for p in self.people.values() if p.active(when)]
        if body == "sc":
            people = [p for p in people if p.standing]
        elif body == "prep":
            people = [p for p in people if p.alias in PREP_MEMBERS]
        return [p.alias for p in sorted(people, key=lambda p: p.rank)]

    def signs(self, alias: str, when: datetime) -> bool:
        """Whether ``alias`` holds a personal key at ``when``."""
        since = self.keys.get(alias)
        return since is not None and since < when and self.people[alias].active(when)

    # --- the calendar -------------------------------------------------------------------------

    def _calendar(self) -> list[Meeting]:
        meetings = [Meeting(_day(d), "sc") for d in SC_DAYS.split()]
        meetings += [Meeting(_day(d), "plenary") for d in PLENARY_DAYS]
        meetings += [Meeting(_day(d), "prep") for d in PREP_DAYS]
        taken = {m.day for m in meetings}
        extra = min(self.size - 1, 2)
        if extra:
            for month in range(1, 13):
                candidates = [
                    d
                    for d in (date(START.year, month, n) for n in range(1, 29))
                    if d.weekday() == 3
                    and _working(d)
                    and d >= START + timedelta(days=14)
                    and d <= date(2026, 12, 24)
                    and all(abs((d - t).days) > 1 for t in taken)
                ]
                for d in candidates[:extra]:
                    meetings.append(Meeting(d, "sc", story="extra"))
                    taken.add(d)
        meetings.sort(key=lambda m: m.day)
        numbers: Counter[str] = Counter()
        for m in meetings:
            numbers[m.body] += 1
            n = numbers[m.body]
            m.alias = f"mtg.{m.body}.{n:03d}"
            if m.body == "sc":
                m.title = f"县委常委会2026年第{n}次会议"
            elif m.body == "plenary":
                m.title = f"县委十五届{PLENARY_NUMBERS[n - 1]}次全会"
            else:
                m.title = f"书记专题会议（{m.day.month}月{m.day.day}日）"
            if not m.story:
                m.story = m.day.strftime("%m-%d")
        return meetings

    # --- matters ------------------------------------------------------------------------------

    def _matter(
        self,
        title: str,
        in_charge: str,
        areas: tuple[str, ...],
        flags: str = "",
        departments: tuple[str, ...] = ("县委办公室",),
        plans: tuple[str, ...] = (),
        body: str = "sc",
    ) -> Matter:
        self.stats["matters"] += 1
        alias = f"mat.{self.stats['matters']:05d}"
        if title in self._titles:
            n = 2
            while f"{title}（{n}）" in self._titles:
                n += 1
            title = f"{title}（{n}）"
        self._titles.add(title)
        return Matter(
            alias, title, body, in_charge, areas, frozenset(flags.split()), departments, plans
        )

    def _routine(self, meeting: Meeting, approve: date) -> Matter:
        """A routine matter whose member in charge is on the committee throughout its life."""
        when = moment(meeting.day, 9)
        fits = []
        for topic in TOPICS:
            owner = self.owner(topic.areas[0], when)
            if owner is None or owner in meeting.absent:
                continue
            if "cadre" in topic.flags and meeting.body != "sc":
                continue
            person = self.people[owner]
            if person.joined.date() > approve - timedelta(days=3):
                continue
            if person.left is not None and person.left.date() < meeting.day + timedelta(days=25):
                continue
            fits.append((topic, owner))
        topic, owner = self.rng.choice(fits)
        key = topic.title
        self._counters[key] += 1
        title = topic.title.format(town=self.rng.choice(TOWNS), n=self._counters[key])
        flags = set(topic.flags)
        if meeting.body == "plenary":
            flags.discard("cadre")
        return self._matter(
            title,
            owner,
            topic.areas,
            " ".join(sorted(flags)),
            topic.departments,
            topic.plans,
            body=meeting.body if meeting.body != "prep" else "sc",
        )

    def _prepare(
        self, m: Matter, approve: date, approver: tuple[str, str | None], meeting: Meeting
    ) -> None:
        """Research, alternatives, consultations, cross-portfolio talks, proposal and
        coordination, spread over the working days before the agenda is approved."""
        owner = self.people[m.in_charge]
        lead = self.rng.randint(10, 20) + (8 if m.has("major") else 0)
        first = max(approve - timedelta(days=lead), START + timedelta(days=1), owner.joined.date())
        while not _working(first) and first < approve:
            first += timedelta(days=1)
        steps = self._preparation(m, moment(approve, 15))
        span = (approve - first).days
        for index, (kind, fields, signer) in enumerate(steps):
            offset = round(index * span / max(len(steps) - 1, 1))
            day = on_or_before(first + timedelta(days=offset), first)
            when = moment(day, 9) + timedelta(minutes=5 * index)
            if kind == "matter.cross_portfolio":
                when = max(when, self.people[fields["member"]].joined + timedelta(minutes=30))
            if fields.get("kind") == "public_comment":
                # open at least 30 days, both ends counted, closed the day before it is recorded
                closed = day - timedelta(days=1)
                fields["closed_on"] = closed.isoformat()
                opened = closed - timedelta(days=self.rng.randint(29, 40))
                fields["opened_on"] = opened.isoformat()
            if signer is not None and not self.signs(signer, when):
                signer = None
            self._act(when, kind, signer, **fields)
        self._approve(m, approve, approver, meeting, 0)
        m.prepared = True

    def _preparation(
        self, m: Matter, cutoff: datetime
    ) -> list[tuple[str, dict[str, Any], str | None]]:
        """The preparation of a matter, in order, as the domain asks for its categories."""
        rng = self.rng
        steps: list[tuple[str, dict[str, Any], str | None]] = []

        def add(act: str, signer: str | None = None, /, **fields: Any) -> None:
            steps.append((act, {"matter": m.alias, **fields}, signer))

        def consult(kind: str, party: str, outcome: str, **fields: Any) -> None:
            add("matter.consult", kind=kind, party=party, outcome=outcome, **fields)

        flags = {f: True for f in sorted(m.flags)}
        steps.append(
            (
                "matter.open",
                {
                    "as": m.alias,
                    "title": m.title,
                    "body": f"b.{m.body}",
                    "in_charge": m.in_charge,
                    "summary": f"{self.people[m.in_charge].name}牵头研究提出",
                    "areas": list(m.areas),
                    **flags,
                },
                None,
            )
        )
        add(
            "matter.research",
            m.in_charge if rng.random() < 0.3 else None,
            by=m.in_charge,
            summary=f"会同{'、'.join(m.departments)}开展调研，形成调研报告",
            materials=[digest(f"{m.title} 调研报告")],
        )
        plans = list(m.plans) if m.has("major") else []
        if m.has("major") and not plans:
            plans = ["方案一：稳步推进", "方案二：加快推进"]
        if len(plans) >= 2 and rng.random() < 0.25:
            plans.append("方案三：维持现状")
        for plan in plans:
            add("matter.alternative", title=plan, material=digest(f"{m.title} {plan}"))
        for department in m.departments:
            outcome = "无不同意见" if rng.random() < 0.7 else "提出修改意见，已吸收"
            consult("department", department, outcome)
        if m.has("major"):
            consult("peoples_congress", "县人大常委会", "原则同意")
            consult("cppcc", "县政协", "提出建议3条")
            consult(*rng.choice(WIDER), "赞成")
        if m.has("technical"):
            consult(
                "expert_review",
                "市规划设计研究院专家组",
                "技术方案可行",
                signed_by=rng.sample(EXPERTS, rng.randint(2, 3)),
                materials=[digest(f"{m.title} 专家论证意见")],
            )
        if m.has("technical") or (m.has("major") and m.has("public_interest")):
            consult("risk_assessment", "县社会稳定风险评估中心", rng.choice(("低风险", "风险可控")))
        if m.has("public_interest"):
            consult("public_comment", "社会公众", f"收到意见{rng.randint(8, 90)}条")
        if m.has("major"):
            consult("legality_review", "县司法局", "合法")
        touched = {o for a in m.areas if (o := self.owner(a, cutoff)) and o != m.in_charge}
        for member in sorted(touched, key=lambda a: self.people[a].rank):
            add("matter.cross_portfolio", member=member, opinion="同意，请抓好衔接")
        add("matter.propose", by=m.in_charge)
        add("matter.coordinate", by="p.zhou", note="已统筹协调，建议提交会议研究")
        return steps

    def _approve(
        self,
        m: Matter,
        approve: date,
        approver: tuple[str, str | None],
        meeting: Meeting,
        index: int,
    ) -> None:
        by, delegation = approver
        fields: dict[str, Any] = {"matter": m.alias, "by": by, "meeting": meeting.alias}
        if delegation:
            fields["delegation"] = delegation
        self._act(moment(approve, 15) + timedelta(seconds=index), "matter.approve_agenda", **fields)

    # --- meetings ------------------------------------------------------------------------------

    def _plan(self, meeting: Meeting) -> None:
        """Plan a meeting: its items (story and routine), their preparation, the meeting, the
        minutes and the carrying out."""
        day = meeting.day
        if meeting.body == "plenary":
            approve = on_or_before(day - timedelta(days=8), START + timedelta(days=1))
            notice = on_or_before(day - timedelta(days=6), approve)
        else:
            approve = on_or_before(day - timedelta(days=4), START + timedelta(days=1))
            notice = on_or_before(day - timedelta(days=2), approve)
        approver: tuple[str, str | None] = ("p.wang", None)
        story = STORIES.get(meeting.story)
        if story is not None:
            story(self, meeting)
        if meeting.story == "04-28":
            approver = ("p.zhang", "del.1")
        routine = 0
        if meeting.body == "sc" and meeting.story != "02-19":
            routine = self.rng.randint(1, 2) * self.size
        elif meeting.body == "plenary":
            routine = self.size // 4
        for _ in range(routine):
            meeting.items.append(Item(self._routine(meeting, approve), routine=True))
        schedule = moment(approve, 14)
        self._act(
            schedule,
            "meeting.schedule",
            as_=meeting.alias,
            body=f"b.{meeting.body}",
            title=meeting.title,
            scheduled_for=iso(moment(day, 9)),
            chair=meeting.chair,
            agenda=[i.matter.alias for i in meeting.items],
            place="县委常委会议室" if meeting.body != "plenary" else "县委大礼堂",
        )
        for index, item in enumerate(meeting.items):
            if not item.matter.prepared:
                self._prepare(item.matter, approve, approver, meeting)
            else:
                self._approve(item.matter, approve, approver, meeting, index)
        if meeting.body != "prep":
            if meeting.story == "03-24":
                # BREACH notice-period: the members are notified the day before the meeting.
                notice = day - timedelta(days=1)
            self._act(
                moment(notice, 16, 30),
                "meeting.notice",
                meeting=meeting.alias,
                materials=[digest(f"{i.matter.title} 会议材料") for i in meeting.items],
            )
        self._hold(meeting, notice)
        self.stats["meetings"] += 1

    def _attendance(self, meeting: Meeting) -> tuple[list[str], dict[str, tuple[str, bool]]]:
        when = moment(meeting.day, 9)
        roster = self.roster(meeting.body, when)
        absent = dict(meeting.absent)
        if not absent and not meeting.full and meeting.body != "prep":
            needed = {meeting.chair} | {i.matter.in_charge for i in meeting.items}
            for item in meeting.items:
                needed |= set(item.stances)
                if item.interest:
                    needed.add(item.interest[0])
            if meeting.body == "plenary":
                needed |= {a for a in roster if self.people[a].standing}
            free = [a for a in roster if a not in needed]
            count = (
                self.rng.choice((0, 1, 1, 2)) if meeting.body == "sc" else self.rng.randint(1, 3)
            )
            for alias in self.rng.sample(free, min(count, len(free))):
                absent[alias] = self.rng.choice(ABSENCES)
        present = [a for a in roster if a not in absent]
        return present, absent

    def _hold(self, meeting: Meeting, notice: date) -> None:
        rng = self.rng
        day = meeting.day
        present, absent = self._attendance(meeting)
        roster = present + list(absent)
        signed = rng.random() < 0.5
        items = [i for i in meeting.items if not _bundled(i, meeting.items)]
        # written views of absent members, the afternoon before
        for alias in absent:
            if meeting.items and rng.random() < 0.5:
                before = max(on_or_before(day - timedelta(days=1), notice), notice)
                self._act(
                    moment(before, 17, 30),
                    "meeting.written_view",
                    meeting=meeting.alias,
                    item=meeting.items[0].matter.alias,
                    member=alias,
                    stance="agree",
                    summary="因故不能到会，书面表示同意",
                )
        t = moment(day, 9)
        self._act(
            t,
            "meeting.open",
            meeting=meeting.alias,
            present=present,
            absent=[
                {"member": a, "reason": r, "on_leave": leave} for a, (r, leave) in absent.items()
            ],
        )
        t = self._opening_business(meeting, t + timedelta(minutes=2), present)
        begin = max(t + timedelta(minutes=5), moment(day, 9, 30))
        window = (moment(day, 17, 30) - begin).total_seconds()
        slot = int(min(1800, window // max(len(items), 1)))
        for index, item in enumerate(items):
            start = begin + timedelta(seconds=slot * index)
            self._deliberate(meeting, item, start, slot, present, roster, signed)
        end = begin + timedelta(seconds=slot * len(items) + 300)
        self._act(end, "meeting.close", meeting=meeting.alias)
        if meeting.body == "prep":
            return
        # BREACH minutes-deadline: the minutes of the 26 May meeting come six working days later.
        delay = 6 if meeting.story == "05-26" else rng.randint(1, 2)
        minutes = after(day, delay)
        if minutes is not None:
            self._act(
                moment(minutes, 16),
                "meeting.minutes",
                meeting=meeting.alias,
                by="p.zhou",
                material=digest(f"{meeting.title} 纪要"),
            )

    def _opening_business(self, meeting: Meeting, t: datetime, present: list[str]) -> datetime:
        """Acts at the start of a meeting: duty and work reports to the plenary, emergency
        reports, reconsiderations, changes of earlier decisions."""
        for act in OPENING.get(meeting.story, lambda y, m, t: [])(self, meeting, t):
            when, name, signer, fields = act
            self._act(when, name, signer, **fields)
            t = max(t, when)
        if meeting.body == "plenary" and meeting.story in ("06-30", "12-17"):
            t = self._reports(meeting, t, present)
        return t

    def _reports(self, meeting: Meeting, t: datetime, present: list[str]) -> datetime:
        half = "上半年" if meeting.day.month <= 6 else "下半年"
        start, end = (
            ("2026-01-01", "2026-06-30") if half == "上半年" else ("2026-07-01", "2026-12-31")
        )
        t += timedelta(minutes=1)
        self._act(
            t,
            "report.deliver",
            "p.wang" if self.signs("p.wang", t) else None,
            kind="work",
            by="p.wang",
            to_body="b.plenary",
            meeting=meeting.alias,
            period_start=start,
            period_end=end,
            summary=f"县委常委会2026年{half}工作报告",
            material=digest(f"县委常委会2026年{half}工作报告"),
        )
        for alias in self.roster("sc", t):
            t += timedelta(minutes=3)
            name = self.people[alias].name
            self._act(
                t,
                "report.deliver",
                alias if self.signs(alias, t) else None,
                kind="duty",
                by=alias,
                to_body="b.plenary",
                meeting=meeting.alias,
                period_start=start,
                period_end=end,
                summary=f"{name}2026年{half}述职报告",
                material=digest(f"{name}2026年{half}述职报告"),
            )
        return t

    def _deliberate(
        self,
        meeting: Meeting,
        item: Item,
        start: datetime,
        slot: int,
        present: list[str],
        roster: list[str],
        signed: bool,
    ) -> None:
        """One item: interest and withdrawal, presentation, views in speaking order with the
        chair last, then the vote and the announcement (or a deferral)."""
        rng = self.rng
        group = [item] + ([item.bundle] if item.bundle else [])
        speakers_of = {id(i): self._speakers(meeting, i, present) for i in group}
        for it in group:
            if it.routine and self.rng.random() < 0.25:
                speakers = speakers_of[id(it)]
                candidates = [a for a in speakers[1:-1] if a not in it.stances]
                if candidates:
                    dissent = self.rng.choice(("reserved", "reserved", "disagree", "abstain"))
                    it.stances[self.rng.choice(candidates)] = dissent
        count = sum(len(s) + 2 for s in speakers_of.values()) + 4
        step = max(slot // (count + 1), 1)
        t = start
        views: dict[str, str] = {}

        def tick() -> datetime:
            nonlocal t
            t += timedelta(seconds=step)
            return t

        for it in group:
            m = it.matter
            if it.interest:
                member, interest = it.interest
                self._act(
                    tick(),
                    "meeting.interest",
                    meeting=meeting.alias,
                    item=m.alias,
                    member=member,
                    interest=interest,
                )
                if it.withdraws:
                    self._act(
                        tick(),
                        "meeting.withdraw",
                        meeting=meeting.alias,
                        item=m.alias,
                        member=member,
                        reason="申请回避",
                    )
            if it.reconsider:
                self._act(
                    tick(),
                    "matter.reconsider",
                    matter=m.alias,
                    meeting=meeting.alias,
                    votes_for=len(present) - 1,
                    reason=it.reconsider,
                )
            self._act(
                tick(),
                "meeting.present",
                meeting=meeting.alias,
                item=m.alias,
                by=m.in_charge,
                materials=[digest(f"{m.title} 汇报材料")],
            )
            for member in speakers_of[id(it)]:
                stance = it.stances.get(member, "agree")
                views[member] = stance
                summary = rng.choice(AGREE) if stance == "agree" else STANCE_NOTES[stance]
                when = tick()
                signer = member if signed and self.signs(member, when) else None
                self._act(
                    when,
                    "meeting.opinion",
                    signer,
                    meeting=meeting.alias,
                    item=m.alias,
                    member=member,
                    stance=stance,
                    summary=summary,
                )
        m = item.matter
        if not item.decide:
            return
        if item.defer:
            self._act(
                tick(), "meeting.defer", meeting=meeting.alias, item=m.alias, reason=item.defer
            )
            return
        voters = [
            a for a in present if not (item.withdraws and item.interest and item.interest[0] == a)
        ]
        method = item.method or self._method(meeting, m)
        choices = {a: CHOICE[views.get(a, "agree")] for a in voters}
        tally = item.tally or (
            sum(1 for c in choices.values() if c == "for"),
            sum(1 for c in choices.values() if c == "against"),
            sum(1 for c in choices.values() if c == "abstain"),
        )
        vote: dict[str, Any] = {
            "meeting": meeting.alias,
            "item": m.alias,
            "method": method,
            "for": tally[0],
            "against": tally[1],
            "abstain": tally[2],
        }
        if method == "secret_ballot":
            invalid = 1 if meeting.body == "plenary" and rng.random() < 0.5 else 0
            vote["for"] -= invalid
            vote["invalid"] = invalid
        elif item.tally is None and (
            method == "named_ballot"
            or (method == "show_of_hands" and meeting.body == "sc" and rng.random() < 0.5)
        ):
            vote["ballots"] = [{"member": a, "choice": c} for a, c in choices.items()]
        if item.bundle:
            # BREACH item-by-item: two items decided by one show of hands.
            vote["bundled_with"] = [item.bundle.matter.alias]
        self._act(tick(), "meeting.vote", **vote)
        base = len(roster) - (1 if item.withdraws else 0)
        for it in group:
            outcome = "adopted" if vote["for"] >= base // 2 + 1 else "rejected"
            fields: dict[str, Any] = {
                "meeting": meeting.alias,
                "item": it.matter.alias,
                "outcome": outcome,
                "by": meeting.chair,
            }
            if it.reasons:
                fields["reasons"] = it.reasons
            self._act(tick(), "meeting.announce", **fields)
            self.stats["decisions"] += 1
            if outcome == "adopted" and it.carry_out:
                self._carry_out(it.matter, meeting)

    def _speakers(self, meeting: Meeting, item: Item, present: list[str]) -> list[str]:
        """Who states a view, in speaking order: the member in charge first, the others by
        rank, the chair last (末位表态); at the plenary, a few members speak for the rest."""
        withdrawn = item.interest[0] if item.interest and item.withdraws else None
        others = [a for a in present if a not in (meeting.chair, item.matter.in_charge, withdrawn)]
        if meeting.body == "plenary":
            chosen = set(self.rng.sample(others, min(4, len(others))))
            others = [a for a in others if a in chosen]
        first = [item.matter.in_charge] if item.matter.in_charge != meeting.chair else []
        return [*first, *others, meeting.chair]

    def _method(self, meeting: Meeting, m: Matter) -> str:
        if m.has("cadre"):
            return "secret_ballot"
        if meeting.body == "plenary":
            return "show_of_hands"
        return self.rng.choice(
            ("named_ballot", "named_ballot", "show_of_hands", "show_of_hands", "oral")
        )

    # --- after the decision ------------------------------------------------------------------

    def _carry_out(self, m: Matter, meeting: Meeting) -> None:
        """Assignment with a deadline, progress and completion reports by the member in charge,
        a supervision check, publication, and for cadres the notice before appointment."""
        rng = self.rng
        day = meeting.day
        if m.has("cadre"):
            opened = after(day, 1)
            if opened is not None:
                closed = opened + timedelta(days=6)
                recorded = after(closed, 1)
                if recorded is not None:
                    self._act(
                        moment(recorded, 10),
                        "matter.consult",
                        matter=m.alias,
                        kind="public_notice",
                        party="任前公示",
                        opened_on=opened.isoformat(),
                        closed_on=closed.isoformat(),
                        outcome="公示期内未收到反映",
                    )
            return
        if (meeting.body == "plenary" or m.has("public_interest")) and not m.has("confidential"):
            published = after(day, 1 if meeting.body == "plenary" else 2)
            if published is not None:
                self._act(
                    moment(published, 10),
                    "matter.publish",
                    matter=m.alias,
                    channel="县委门户网站、县融媒体中心",
                )
        owner = self.people[m.in_charge]
        assigned = after(day, 3)
        if assigned is None:
            return
        last = LAST_DAY if owner.left is None else owner.left.date() - timedelta(days=2)
        deadline = day + timedelta(days=rng.randint(45, 120))
        if owner.left is not None:
            deadline = min(deadline, last)
        if deadline < assigned + timedelta(days=10):
            return
        alias = f"task.{m.alias[4:]}"
        self._act(
            moment(assigned, 10),
            "matter.assign",
            as_=alias,
            matter=m.alias,
            to=m.in_charge,
            task=f"牵头组织实施《{m.title}》",
            deadline=deadline.isoformat() if deadline <= date(2026, 12, 24) else "2027-03-31",
        )
        self._followups(m, alias, assigned, deadline, last)

    def _followups(self, m: Matter, task: str, assigned: date, deadline: date, last: date) -> None:
        rng = self.rng
        complete = deadline <= date(2026, 12, 24)
        finish = on_or_before(min(deadline - timedelta(days=rng.randint(1, 6)), last), assigned)
        middle = on_or_before(assigned + (finish - assigned) / 2, assigned)
        if assigned < middle < finish:
            when = moment(middle, 11)
            self._act(
                when,
                "matter.progress",
                m.in_charge if rng.random() < 0.4 and self.signs(m.in_charge, when) else None,
                matter=m.alias,
                assignment=task,
                by=m.in_charge,
                summary="已完成方案细化和资金安排，正在推进实施",
            )
            check = after(middle, 5)
            if check is not None and check <= last:
                self._act(
                    moment(check, 15),
                    "matter.supervise",
                    matter=m.alias,
                    by="p.zhou",
                    summary="县委督查室实地督查，推进情况良好",
                    satisfactory=True,
                )
        if complete:
            self._act(
                moment(finish, 16),
                "matter.progress",
                matter=m.alias,
                assignment=task,
                by=m.in_charge,
                summary="已按期完成，形成总结报告",
                completed=True,
            )

    # --- story matters -----------------------------------------------------------------------

    def _story_matters(self) -> None:
        """The story's matters, made up front so later acts can name them."""
        s = self._story
        s["no_quorum"] = self._matter(
            "关于春节期间重点企业稳岗复工补贴的方案",
            "p.zheng",
            ("财政", "发展改革"),
            departments=("县财政局", "县人力资源和社会保障局"),
        )
        s["cadre"] = self._matter(
            "关于青山镇党委书记人选的建议",
            "p.chen",
            ("干部", "组织"),
            "cadre",
            departments=("县委组织部考察组", "县纪委监委"),
        )
        s["failed"] = self._matter(
            "县经济开发区标准厂房二期建设项目",
            "p.zheng",
            ("工业园区", "财政"),
            "major technical",
            ("县工业园区管委会", "县财政局", "县自然资源局"),
            ("方案一：政府投资一次建成", "方案二：分期建设、以租定建"),
        )
        s["bus"] = self._matter(
            "县城公交线路优化调整方案",
            "p.li",
            ("政府工作",),
            "public_interest",
            ("县交通运输局", "县公交公司"),
        )
        s["parking"] = self._matter(
            "县城区停车收费标准调整方案",
            "p.li",
            ("政府工作", "发展改革"),
            "major public_interest",
            ("县发展和改革局", "县市场监督管理局"),
            ("方案一：分区域差别化收费", "方案二：统一上调收费标准"),
        )
        s["land"] = self._matter(
            "关于县城东区土地收储的决定",
            "p.zheng",
            ("国资", "财政"),
            "major",
            ("县自然资源局", "县财政局"),
            ("方案一：一次性收储", "方案二：分期收储"),
        )
        s["water"] = self._matter(
            "县城第二水厂建设方案",
            "p.li",
            ("政府工作", "水利"),
            "major technical public_interest",
            ("县水务局", "县财政局"),
            ("方案一：新建第二水厂",),
        )
        s["interest_ok"] = self._matter(
            "城关镇农贸市场升级改造方案",
            "p.zheng",
            ("发展改革",),
            "public_interest",
            ("县市场监督管理局",),
        )
        s["farm_a"] = self._matter(
            "石桥镇高标准农田建设项目",
            "p.gao",
            ("农业农村", "财政"),
            "technical",
            ("县农业农村局",),
        )
        s["farm_b"] = self._matter(
            "柳林乡高标准农田建设项目",
            "p.gao",
            ("农业农村", "财政"),
            "technical",
            ("县农业农村局",),
        )
        s["boulevard"] = self._matter(
            "县城区主干道景观提升工程",
            "p.li",
            ("政府工作",),
            "public_interest",
            ("县住房和城乡建设局", "县城市管理局"),
        )
        s["incinerator"] = self._matter(
            "县生活垃圾焚烧发电项目特许经营协议",
            "p.zheng",
            ("国资", "生态环境"),
            "major technical public_interest",
            ("县城市管理局", "县生态环境局"),
            ("方案一：BOT特许经营", "方案二：政府投资委托运营"),
        )
        s["petitions"] = self._matter(
            "关于县信访积案化解专项工作的意见",
            "p.sun",
            ("信访", "政法"),
            "confidential",
            ("县信访局", "县公安局"),
        )
        s["worklist"] = self._matter(
            "中共示范县委2026年工作要点",
            "p.zhang",
            ("党建",),
            "major",
            ("县委办公室", "县委政策研究室"),
            ("稿一：稳中求进", "稿二：攻坚突破"),
            body="plenary",
        )
        s["nominee"] = self._matter(
            "关于推荐河口镇党委书记人选的决定",
            "p.chen",
            ("干部",),
            "cadre",
            ("县委组织部考察组",),
            body="plenary",
        )
        s["business"] = self._matter(
            "关于持续优化营商环境的决定",
            "p.zheng",
            ("发展改革", "工商联"),
            "major public_interest",
            ("县发展和改革局", "县工商联", "县市场监督管理局"),
            ("方案一：对标先进地区全面改革", "方案二：重点领域率先突破"),
            body="plenary",
        )
        s["nominee2"] = self._matter(
            "关于推荐白沙乡党委书记人选的决定",
            "p.chen",
            ("干部",),
            "cadre",
            ("县委组织部考察组",),
            body="plenary",
        )
        s["masterplan"] = self._matter(
            "县国土空间总体规划（2026—2035年）",
            "p.li",
            ("政府工作", "发展改革"),
            "major technical public_interest",
            ("县自然资源局", "县发展和改革局"),
            ("方案一：东拓西优", "方案二：南延北控"),
            body="plenary",
        )
        s["economy"] = self._matter(
            "关于做好2027年全县经济工作的意见",
            "p.li",
            ("政府工作", "财政"),
            "major",
            ("县发展和改革局", "县财政局"),
            ("稿一：稳增长优先", "稿二：调结构优先"),
            body="plenary",
        )
        for key, title in (
            ("failed", "failed"),
            ("parking", "deferred"),
            ("business", "wrong_body"),
            ("bus", "changed"),
            ("land", "preparatory"),
            ("worklist", "plenary"),
        ):
            self.highlights[title] = s[key].title
        for n, day in enumerate(("01-29", "06-30", "09-17", "12-17"), start=1):
            s[f"convene.{day}"] = self._matter(
                f"关于召开县委十五届{PLENARY_NUMBERS[n - 1]}次全会的建议",
                "p.zhou",
                ("办公室",),
                departments=("县委办公室",),
            )


PREP_MEMBERS = ("p.wang", "p.li", "p.zhang", "p.chen", "p.zhou", "p.zheng")
CHOICE = {"agree": "for", "disagree": "against", "abstain": "abstain", "reserved": "abstain"}
STANCE_NOTES = {
    "disagree": "不同意，论证尚不充分",
    "reserved": "保留意见，建议进一步论证",
    "abstain": "弃权",
}
RULE_SET = {
    "format": "ledger.rules/1",
    "version": "2026-1",
    "rules": {
        "notice-period": {"standing_committee_days": 2, "plenary_days": 5},
        "quorum": {"share": "1/2", "strict": True, "cadre_share": "2/3", "cadre_strict": False},
        "majority": {"share": "1/2", "strict": True},
        "minutes-deadline": {"working_days": 3},
        "emergency-report": {"days": 7},
        "public-comment-period": {"minimum_days": 30},
        "late-record": {"hours": 72},
    },
}
"""The rule set the committee adopts on 6 January: the catalogue's defaults, made explicit."""


def _bundled(item: Item, items: list[Item]) -> bool:
    """Whether ``item`` is voted as part of another item's vote."""
    return any(other.bundle is item for other in items)


# --- the story, meeting by meeting ---------------------------------------------------------------


def _story_items(year: CountyYear, meeting: Meeting, *keys: str) -> None:
    for key in keys:
        meeting.items.append(Item(year._story[key]))


def _convene(plenary: str) -> Any:
    def story(year: CountyYear, meeting: Meeting) -> None:
        _story_items(year, meeting, f"convene.{plenary}")

    return story


def _sc_0219(year: CountyYear, meeting: Meeting) -> None:
    # BREACH quorum: called during the Spring Festival holiday, the standing committee votes
    # with 5 of its 11 members present. The count falls short and the chair says so.
    present = ("p.wang", "p.li", "p.sun", "p.zhou", "p.zheng")
    for alias in year.roster("sc", moment(meeting.day, 9)):
        if alias not in present:
            meeting.absent[alias] = ("春节假期返乡探亲", True)
    meeting.items.append(
        Item(
            year._story["no_quorum"],
            method="show_of_hands",
            carry_out=False,
            reasons="到会人数未过半数，赞成票未达到应到会成员的半数，本议题提交下次常委会复议",
        )
    )
    year.highlights["no_quorum"] = meeting.title


def _sc_0226(year: CountyYear, meeting: Meeting) -> None:
    meeting.items.append(
        Item(
            year._story["no_quorum"],
            method="named_ballot",
            reconsider="春节期间会议到会人数未过半数，提请复议",
        )
    )


def _prep_0305(year: CountyYear, meeting: Meeting) -> None:
    # A preparatory meeting (酝酿会) on a cadre matter, as the rules allow: views, no decision.
    meeting.items.append(Item(year._story["cadre"], decide=False))


def _sc_0310(year: CountyYear, meeting: Meeting) -> None:
    meeting.absent["p.zhao"] = ("参加市纪委全会", False)
    meeting.items.append(Item(year._story["cadre"]))
    meeting.items.append(
        Item(
            year._story["failed"],
            method="named_ballot",
            stances={"p.wu": "disagree"},
        )
    )
    _failed_followups(year, meeting)


def _failed_followups(year: CountyYear, meeting: Meeting) -> None:
    """The project is built on time, stands empty, and an accountability review traces who is
    responsible; the member who voted against has his responsibility waived."""
    m = year._story["failed"]
    year._act(
        moment(date(2026, 9, 15), 15),
        "matter.supervise",
        matter=m.alias,
        by="p.zhang",
        summary="标准厂房二期建成后入驻率不足20%，大量闲置，未达到预期效益",
        satisfactory=False,
    )
    year._act(
        moment(date(2026, 10, 9), 10),
        "review.open",
        as_="rev.failed",
        matter=m.alias,
        reason="项目建成后长期闲置，造成财政资金损失",
        opened_by="p.zhao",
    )
    year._act(
        moment(date(2026, 11, 20), 10),
        "review.conclude",
        review="rev.failed",
        failed=True,
        conclusion="前期市场调研和论证不充分，决策失误，依规依纪追究相关人员责任",
        material=digest("县经济开发区标准厂房二期建设项目 决策失误责任调查报告"),
        responsible=[
            {
                "member": "p.zheng",
                "role": "分管负责人、议题提出人",
                "degree": "direct",
                "reason": "前期市场调研不充分，对招商前景预判失误",
            },
            {
                "member": "p.wang",
                "role": "会议主持人",
                "degree": "principal",
                "reason": "主持常委会作出决策",
            },
            {
                "member": "p.li",
                "role": "参与表决",
                "degree": "important",
                "reason": "会上表示同意并投赞成票",
            },
            {
                "member": "p.wu",
                "role": "参与表决",
                "degree": "waived",
                "reason": "会上明确表示反对并投反对票",
            },
        ],
    )


def _sc_0324(year: CountyYear, meeting: Meeting) -> None:
    meeting.items.append(Item(year._story["bus"]))


def _sc_0414(year: CountyYear, meeting: Meeting) -> None:
    # Five for, five against, the secretary reserved: the item is deferred rather than forced
    # (as the rules ask; no breach), researched further and decided on 12 May.
    split = ("p.zhang", "p.zhao", "p.chen", "p.liu", "p.sun")
    meeting.full = True
    stances = {a: "disagree" for a in split} | {"p.wang": "reserved"}
    meeting.items.append(
        Item(
            year._story["parking"],
            stances=stances,
            defer="意见分歧较大，暂缓表决，会后进一步调研论证",
        )
    )


def _sc_0428(year: CountyYear, meeting: Meeting) -> None:
    # The secretary is away at the provincial Party school: the county head (deputy secretary)
    # chairs, and the full-time deputy secretary approves the agenda under a delegation.
    meeting.chair = "p.li"
    meeting.absent["p.wang"] = ("参加省委党校县委书记专题研讨班", True)
    year._act(
        moment(date(2026, 4, 17), 17),
        "delegation.grant",
        as_="del.1",
        grantor="p.wang",
        grantee="p.zhang",
        power="agenda_approval",
        valid_from="2026-04-20",
        valid_until="2026-04-30",
        note="书记参加省委党校专题研讨班期间，委托审定常委会议题",
    )


def _sc_0512(year: CountyYear, meeting: Meeting) -> None:
    m = year._story["parking"]
    year._act(
        moment(date(2026, 5, 6), 10),
        "matter.research",
        matter=m.alias,
        by="p.li",
        summary="补充开展停车供需调查，分区域测算收费标准",
    )
    year._act(moment(date(2026, 5, 7), 10), "matter.propose", matter=m.alias, by="p.li")
    meeting.items.append(Item(m, method="named_ballot"))


def _prep_0519(year: CountyYear, meeting: Meeting) -> None:
    # BREACH non-decision-body: the secretary's special meeting votes on and announces a major
    # land-banking decision that only the standing committee may take.
    meeting.items.append(Item(year._story["land"], method="oral"))


def _sc_0609(year: CountyYear, meeting: Meeting) -> None:
    # BREACH alternatives: a major matter goes to the vote with a single plan on record.
    meeting.items.append(Item(year._story["water"]))


def _sc_0714(year: CountyYear, meeting: Meeting) -> None:
    meeting.items.append(
        Item(
            year._story["interest_ok"],
            interest=("p.wu", "其亲属经营的企业参与市场改造项目"),
            withdraws=True,
            method="named_ballot",
        )
    )


def _sc_0811(year: CountyYear, meeting: Meeting) -> None:
    second = Item(year._story["farm_b"])
    meeting.items.append(Item(year._story["farm_a"], method="show_of_hands", bundle=second))
    meeting.items.append(second)


def _sc_0922(year: CountyYear, meeting: Meeting) -> None:
    # BREACH chair-speaks-last: six of ten members disagree; the secretary, speaking last, is
    # for it, the show of hands goes his way, and the result is announced without reasons.
    # BREACH defer-divided: views split six to five, the item is put to the vote instead of
    # deferred (as the parking item was in April).
    meeting.full = True
    against = ("p.zhang", "p.zhao", "p.chen", "p.wu", "p.gao", "p.lin")
    meeting.items.append(
        Item(
            year._story["boulevard"],
            stances={a: "disagree" for a in against},
            method="show_of_hands",
            tally=(7, 3, 1),
        )
    )


def _sc_1013(year: CountyYear, meeting: Meeting) -> None:
    # BREACH recusal: the organisation head declares that a relative works for a bidder, then
    # speaks and votes on the item instead of withdrawing.
    meeting.items.append(
        Item(
            year._story["incinerator"],
            interest=("p.chen", "其妻弟在参与竞标的企业任副总经理"),
            method="named_ballot",
        )
    )


def _sc_1027(year: CountyYear, meeting: Meeting) -> None:
    meeting.items.append(Item(year._story["petitions"], method="named_ballot"))


def _plenary(*keys: str) -> Any:
    def story(year: CountyYear, meeting: Meeting) -> None:
        _story_items(year, meeting, *keys)

    return story


STORIES: dict[str, Any] = {
    "01-20": _convene("01-29"),
    "01-29": _plenary("worklist", "nominee"),
    "02-19": _sc_0219,
    "02-26": _sc_0226,
    "03-05": _prep_0305,
    "03-10": _sc_0310,
    "03-24": _sc_0324,
    "04-14": _sc_0414,
    "04-28": _sc_0428,
    "05-12": _sc_0512,
    "05-19": _prep_0519,
    "06-09": _sc_0609,
    "06-23": _convene("06-30"),
    "06-30": _plenary("business", "nominee2"),
    "07-14": _sc_0714,
    "08-11": _sc_0811,
    "09-08": _convene("09-17"),
    "09-17": _plenary("masterplan"),
    "09-22": _sc_0922,
    "10-13": _sc_1013,
    "10-27": _sc_1027,
    "12-08": _convene("12-17"),
    "12-17": _plenary("economy"),
}


# --- business at the opening of a meeting ---------------------------------------------------------

Opening = list[tuple[datetime, str, str | None, dict[str, Any]]]


def _open_0728(year: CountyYear, meeting: Meeting, t: datetime) -> Opening:
    """The flood emergency of 22 July is reported and ratified; the bus routes decided in March
    are changed by the standing committee itself."""
    bus = year._story["bus"]
    return [
        (
            t,
            "emergency.report",
            "p.li",
            {"action": "emg.flood", "meeting": meeting.alias, "by": "p.li"},
        ),
        (
            t + timedelta(minutes=5),
            "emergency.acknowledge",
            None,
            {
                "action": "emg.flood",
                "meeting": meeting.alias,
                "outcome": "ratified",
                "note": "同意应急处置措施，要求做好灾后重建和群众安置",
            },
        ),
        (
            t + timedelta(minutes=8),
            "matter.change",
            None,
            {
                "matter": bus.alias,
                "body": "b.sc",
                "meeting": meeting.alias,
                "summary": "根据试运行情况调整3条公交线路走向并增设站点",
                "major": True,
                "material": digest("县城公交线路优化调整方案 调整方案"),
            },
        ),
    ]


def _open_0922(year: CountyYear, meeting: Meeting, t: datetime) -> Opening:
    # BREACH change-authority: the standing committee makes a major change to a decision the
    # plenary made in June.
    business = year._story["business"]
    return [
        (
            t,
            "matter.change",
            None,
            {
                "matter": business.alias,
                "body": "b.sc",
                "meeting": meeting.alias,
                "summary": "调整部分改革任务的完成时限和责任单位",
                "major": True,
            },
        ),
    ]


OPENING: dict[str, Any] = {"07-28": _open_0728, "09-22": _open_0922}


def _emergencies(year: CountyYear) -> None:
    """Two emergency actions: one reported to the next standing committee meeting and ratified,
    one never reported. Each concerns a matter decided at another meeting than the one its
    report belongs to, so a matter's trace must judge it as ``ledger findings`` does."""
    flood = moment(date(2026, 7, 22), 3, 40)
    year._act(
        flood,
        "emergency.act",
        "p.li",
        as_="emg.flood",
        by="p.li",
        matter=year._story["water"].alias,
        summary="突发强降雨引发山洪，紧急转移青山镇沿河群众1200人并启动防汛Ⅱ级应急响应",
    )
    # BREACH emergency-report: an emergency action that is never reported to the standing
    # committee.
    unrest = moment(date(2026, 11, 16), 21, 15)
    year._act(
        unrest,
        "emergency.act",
        as_="emg.unrest",
        by="p.sun",
        matter=year._story["land"].alias,
        summary="因征地补偿纠纷引发群体性聚集，临时决定对双河镇实施交通管制并调派警力处置",
    )
    year.highlights["unreported"] = "双河镇"


def _late_batch(year: CountyYear) -> None:
    # BREACH late-record: two supervision checks made on 18 August are recorded six days later.
    checked = moment(date(2026, 8, 18), 15)
    recorded = moment(date(2026, 8, 24), 8, 30)
    for key in ("bus", "no_quorum"):
        m = year._story[key]
        act = {
            "act": "matter.supervise",
            "matter": m.alias,
            "by": "p.zhou",
            "summary": "县委督查室8月专项督查，推进情况良好",
            "satisfactory": True,
        }
        year._push(checked, act, late_until=recorded)
    year.highlights["late_day"] = checked.date().isoformat()
