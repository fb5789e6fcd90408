"""The rule catalogue: each procedural rule of ../shared/domain.md as data, with a stable id, its
source, its parameters and their defaults. ``docs/rules.md`` is written from this module.

Sources marked "to be checked" cite regulations whose article numbers change with revisions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

RULESET_VERSION = "1"

SEED = "County party committee operating mechanism (seed text)"
REGS_LOCAL = "Regulations on the Work of Local Party Committees (2016), to be checked"
REGS_ADMIN = "Interim Regulations on Major Administrative Decision Procedures (2019), to be checked"


@dataclass(frozen=True)
class Rule:
    """A procedural rule: what it checks, where it comes from, and its parameters."""

    id: str
    title: str
    title_zh: str
    source: str
    checks: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    version: str = RULESET_VERSION

    @property
    def ref(self) -> str:
        """How a finding cites the rule: ``id@version``."""
        return f"{self.id}@{self.version}"


RULES: tuple[Rule, ...] = (
    Rule(
        "alternatives",
        "Alternative plans for a major matter",
        "重大事项提出两个以上可供比较的方案",
        f"{SEED}, supporting systems 1 (调查研究制度)",
        "A major matter has at least `minimum` alternative plans on record before it is decided.",
        {"minimum": 2},
    ),
    Rule(
        "research",
        "Research before an item is proposed",
        "提出议题前必须深入开展调查研究",
        f"{SEED}, supporting systems 1 (调查研究制度)",
        "A matter has research on record by the time it is first put forward: proposed, "
        "approved for the agenda, placed on a meeting's agenda or decided.",
    ),
    Rule(
        "wide-consultation",
        "Opinions of the departments concerned",
        "征求相关部门和单位的意见",
        f"{SEED}, supporting systems 1 (调查研究制度) and 2 (咨询制度)",
        "A matter touching at least `minimum_areas` areas has the opinions of departments "
        "(a consultation of kind department, or a wide consultation) on record by the time it "
        "is put on the agenda: approved for it, placed on a meeting's agenda or decided.",
        {"minimum_areas": 2},
    ),
    Rule(
        "expert-review",
        "Expert review of a professional or technical matter",
        "专家论证",
        f"{SEED}, supporting systems 2 (咨询制度)",
        "A professional or technical matter has an expert review on record before the meeting "
        "that decides it; with `signed` true, the review names the experts who signed it "
        f"(also {REGS_ADMIN}).",
        {"signed": True},
    ),
    Rule(
        "risk-assessment",
        "Decision risk assessment",
        "决策评估 / 风险评估",
        f"{SEED}, supporting systems 2; {REGS_ADMIN}",
        "A professional or technical matter, or a major matter touching the public's interest, "
        "has a risk assessment on record before the meeting that decides it.",
    ),
    Rule(
        "public-notice",
        "Public notice for matters touching the public's interest",
        "公示",
        f"{SEED}, supporting systems 2 (咨询制度)",
        "A matter closely touching the public's interest has a public notice or public comment "
        "on record before it is decided.",
    ),
    Rule(
        "public-comment-period",
        "Public comment open long enough",
        "公开征求意见期限",
        REGS_ADMIN,
        "Each public notice or public comment on a matter was open at least `minimum_days` "
        "calendar days, and closed before the decision.",
        {"minimum_days": 30},
    ),
    Rule(
        "cross-portfolio",
        "Consultation across portfolios",
        "涉及其他常委分管工作的事项事先沟通",
        f"{SEED}, supporting systems 3 (汇报沟通制度)",
        "A matter touching areas in another member's portfolio was discussed with that member "
        "before its agenda was approved (or, lacking an approval, before it was decided).",
    ),
    Rule(
        "agenda-approval",
        "Agenda approved by the secretary",
        "议题由书记审定",
        f"{SEED}, standing committee procedure 1 (确定议题)",
        "An item decided by the standing committee had its agenda approved before the meeting by "
        "the secretary, or by the full-time deputy secretary under a delegation valid that day.",
    ),
    Rule(
        "notice-period",
        "Notice before the meeting",
        "提前通知",
        f"{SEED}, standing committee procedure 2; plenary procedure",
        "Members were notified, with the materials, at least `standing_committee_days` (standing "
        "committee) or `plenary_days` (plenary) calendar days before the meeting opened.",
        {"standing_committee_days": 2, "plenary_days": 5},
    ),
    Rule(
        "notice-materials",
        "Meeting materials delivered with the notice",
        "送达会议有关材料",
        f"{SEED}, standing committee procedure 2; plenary procedure",
        "A plenary or standing committee meeting with items on its agenda, noticed before it "
        "opened, had the meeting materials delivered by a notice sent before it opened.",
    ),
    Rule(
        "quorum",
        "Quorum",
        "到会人数",
        REGS_LOCAL,
        "A meeting that decides is held with more than `share` of its roster present; "
        "`cadre_share` when it decides the appointment or removal of cadres.",
        {"share": "1/2", "strict": True, "cadre_share": "2/3", "cadre_strict": False},
    ),
    Rule(
        "majority",
        "Majority of those who should attend",
        "以应到会成员过半数同意形成决定",
        f"{REGS_LOCAL}; {SEED} (少数服从多数)",
        "An item passes with votes in favour of more than `share` of the members who should "
        "attend (the frozen roster, less those who withdrew unless `count_withdrawn`); the "
        "announced result matches that count.",
        {"share": "1/2", "strict": True, "count_withdrawn": False},
    ),
    Rule(
        "item-by-item",
        "Several items voted one by one",
        "逐项表决",
        f"{SEED}, standing committee procedure 4; plenary procedure",
        "Each vote decides exactly one item; a vote that bundles several items is a breach.",
    ),
    Rule(
        "recusal",
        "Withdrawal on a conflict of interest",
        "回避",
        REGS_LOCAL,
        "A member who declared a conflict of interest in an item withdrew before it was "
        "deliberated and voted: they neither stated an opinion nor voted on it.",
    ),
    Rule(
        "minutes-deadline",
        "Minutes within three working days",
        "会后3个工作日内印发会议纪要",
        f"{SEED}, standing committee procedure 6; plenary procedure",
        "Minutes are issued within `working_days` working days (Chinese calendar, adjusted "
        "working weekends included) after the meeting closed.",
        {"working_days": 3},
    ),
    Rule(
        "non-decision-body",
        "No decisions outside the decision bodies",
        "酝酿会不得决定重大问题",
        f"{SEED}, 取消书记办公会",
        "A preparatory (non-decision) meeting votes on or announces a result for no major matter.",
    ),
    Rule(
        "emergency-report",
        "Emergency action reported afterwards",
        "临机处置事后及时报告",
        f"{SEED}, 取消书记办公会",
        "An emergency action is reported to the standing committee within `days` calendar days.",
        {"days": 7},
    ),
    Rule(
        "change-authority",
        "Changes only by the deciding body",
        "决策的重大调整或变更由原决策机构决定",
        f"{SEED}, supporting systems 5 (督查落实制度)",
        "A major change or revocation of a decision is made by the body that made the decision.",
    ),
    Rule(
        "implementation-deadline",
        "Carrying out on time",
        "督查落实",
        f"{SEED}, supporting systems 5; {REGS_ADMIN}",
        "Every assignment is reported completed by its deadline.",
    ),
    Rule(
        "duty-report",
        "Half-yearly duty reports",
        "常委每半年向全委会述职",
        f"{SEED}, supporting systems 5",
        "Every standing committee member delivers a duty report to the plenary at least every "
        "`months` months while on the standing committee.",
        {"months": 6},
    ),
    Rule(
        "meeting-frequency",
        "Meeting frequency",
        "常委会每月2至3次、全委会每季度1次",
        f"{SEED}, 强化常委会的决策功能; 突出全委会的监督作用",
        "The standing committee meets at least `standing_committee_per_month` times each full "
        "calendar month; the plenary at least `plenary_per_quarter` times each full quarter.",
        {"standing_committee_per_month": 2, "plenary_per_quarter": 1},
    ),
    Rule(
        "late-record",
        "Recorded promptly",
        "及时记录备案",
        f"{SEED}, supporting systems 4 (决策过程记录备案)",
        "An act is recorded no more than `hours` hours after it occurred.",
        {"hours": 72},
    ),
    Rule(
        "transcription",
        "Back-filled from paper records",
        "纸质记录补录",
        f"{SEED}, supporting systems 4 (决策过程记录备案)",
        "A batch transcribed from a paper record is noted once, with its source, reference, scan "
        "and clerk; its acts are not each flagged `late-record`.",
    ),
    Rule(
        "chair-speaks-last",
        "The secretary speaks last, and explains going against the majority",
        "末位表态",
        REGS_LOCAL,
        "On each item the chair states a view after every other member who spoke; where the "
        "announced result goes against the majority of views stated, reasons are on record.",
    ),
    Rule(
        "defer-divided",
        "A sharply divided item is deferred",
        "意见分歧较大的暂缓作出决定",
        REGS_LOCAL,
        "An item on which the views stated or the votes cast are split within `margin` (a "
        "share of those who stated a view or cast a ballot; 0 for a tie only) is deferred, not "
        "put to the vote, unless the announcement of its result gives reasons.",
        {"margin": "1/10"},
    ),
    Rule(
        "legality-review",
        "Legality review before deliberation",
        "合法性审查",
        REGS_ADMIN,
        "A major matter has a legality review on record before the meeting that decides it.",
    ),
    Rule(
        "plenary-vote-method",
        "Plenary votes by show of hands or secret ballot",
        "全委会采用举手或无记名投票表决",
        f"{SEED}, 突出全委会的监督作用",
        "A plenary vote is taken by show of hands or secret ballot.",
    ),
    Rule(
        "reconsideration",
        "Reconsidering a cadre decision",
        "干部任免事项复议",
        REGS_LOCAL,
        "Reconsidering a decision on cadres is agreed by more than half of the body's members.",
        {"share": "1/2", "strict": True},
    ),
    Rule(
        "dissent-responsibility",
        "Dissent on the record reduces responsibility",
        "表示异议的减轻或免除责任",
        f"{REGS_LOCAL}; {SEED}, supporting systems 4 (决策失误责任追究制度)",
        "An accountability review that holds a member who dissented on the decision responsible "
        "at a full degree, or no lighter than a member who voted for it, states a reason.",
    ),
    Rule(
        "outcome-correction",
        "A correction that changes an outcome is reviewed",
        "涉及表决结果的更正须经审查",
        f"{SEED}, supporting systems 4 (决策过程记录备案)",
        "A correction (`record.correct`) that changes a field bearing on an outcome (a vote's "
        "tally or a ballot, who attended, an announced or decided result) is itself a finding "
        "for review: the record is judged as corrected, and the change is never silent.",
    ),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}


def default_parameters() -> dict[str, dict[str, Any]]:
    """Every rule's parameters at their defaults."""
    return {rule.id: dict(rule.parameters) for rule in RULES}
