"""Every refusal speaks English and Chinese: ``str(e)`` is the English message, ``e.message_zh``
the same facts (names, titles, numbers, ids) in the users' Chinese terms, for the CLI to show a
Chinese reader (issue #6). Each refusal is triggered for real, through ``LedgerService.record``
or the module's public function; a scan of the source makes sure no refusal is left English-only.
So with the verifiers' failures: ``problem`` in English, ``problem_zh`` in Chinese.
"""

from __future__ import annotations

import ast
import base64
import builtins
import copy
import importlib
import pickle
import re
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from ledger.archive.read import ArchiveFormatError, open_archive
from ledger.archive.trust import TrustPolicyError, parse_policy
from ledger.domain.rules.checks import RuleParameterError
from ledger.domain.rules.engine import UnknownRuleError, evaluate
from ledger.domain.rules.facts import World
from ledger.domain.rules.ruleset_file import RuleSetError, parse_ruleset
from ledger.domain.rules.thresholds import Share, ShareError
from ledger.errors import (
    CanonicalEncodingError,
    CheckpointFormatError,
    DomainRuleError,
    InputError,
    KeyFileError,
    KeyStateError,
    LedgerError,
    LedgerExistsError,
    LedgerNotFoundError,
    MatterStateError,
    MeetingStateError,
    NotEligibleError,
    NotOnAgendaError,
    PassphraseError,
    SecretBallotError,
    StoreURLError,
    TallyError,
    UnknownBodyError,
    UnknownMemberError,
    UnknownRecordError,
    zh_text,
)
from ledger.integrity.canonical import canonical_bytes
from ledger.integrity.checkpoint import parse_checkpoint, sign_checkpoint
from ledger.integrity.digest import leaf_hash
from ledger.integrity.keys import SigningKey
from ledger.integrity.merkle import MemoryTree, ProofError, ProofRangeError, verify_consistency
from ledger.integrity.witness import (
    CheckpointRollbackError,
    LogSignatureError,
    Witness,
    new_state,
)
from ledger.projections.tree import prove_inclusion
from ledger.projections.views import UnknownSubjectError
from ledger.record.document import RecordFormatError, parse_document
from ledger.store.batch import ActError
from ledger.store.content import ContentStore
from ledger.store.home import LedgerHome
from ledger.store.location import postgres_env, sqlite_env
from ledger.store.migration import Store, migrate, store_at
from ledger.store.recorders import StoreNotEmptyError
from ledger.store.service import LedgerService
from tests.domain.rules.conftest import AS_OF
from tests.domain.test_invariants import SETUP, acts_after_open, record, vote, with_ids

SRC = Path(__file__).parents[2] / "src"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def ids(service: LedgerService) -> dict[str, str]:
    result = record(service, SETUP)
    return {alias: str(ident) for alias, ident in result.aliases.items()}


def bilingual(error: LedgerError, *facts: str, en: str, zh: str) -> None:
    """``error`` says ``en`` in English and ``zh`` in Chinese (regular expressions), with every
    one of ``facts`` in both, and Chinese words of its own beyond the facts."""
    english, chinese = str(error), error.message_zh
    assert chinese is not None, f"no Chinese for {english!r}"
    assert re.search(en, english), english
    assert re.search(zh, chinese), chinese
    for fact in facts:
        assert fact in english, (fact, english)
        assert fact in chinese, (fact, chinese)
    rest = chinese
    for fact in facts:
        rest = rest.replace(fact, "")
    assert CJK.search(rest), f"no Chinese words beyond the facts in {chinese!r}"


def refusal(service: LedgerService, acts: list[dict[str, Any]], kind: type[LedgerError]) -> Any:
    """Record ``acts``, expecting the last one refused with ``kind``; nothing is written. The
    refusal names the act in both languages; returns the domain's error (the cause)."""
    before = service.app.count_rows()
    with pytest.raises(ActError) as caught:
        record(service, acts)
    assert service.app.count_rows() == before
    error = caught.value
    assert isinstance(error.cause, kind), error.cause
    number, act = len(acts), acts[-1]["act"]
    assert str(error) == f"act {number} ({act}): {error.cause}"
    assert error.message_zh == f"第 {number} 项行为（{act}）：{error.cause.message_zh}"
    return error.cause


# --- meeting ------------------------------------------------------------------------------------


def test_a_vote_by_an_absent_member_is_refused_in_both_languages(
    service: LedgerService, ids: dict[str, str]
) -> None:
    acts = acts_after_open(
        ids,
        vote(method="named_ballot", **{"for": 1}, ballots=[{"member": "zhao", "choice": "for"}]),
    )
    error = refusal(service, acts, NotEligibleError)
    bilingual(error, ids["zhao"], en="is absent and cannot vote", zh="缺席，不能表决")


def test_a_tally_that_does_not_add_up_is_refused_in_both_languages(
    service: LedgerService, ids: dict[str, str]
) -> None:
    acts = acts_after_open(ids, vote(**{"for": 2, "against": 0}, ballots_cast=3))
    error = refusal(service, acts, TallyError)
    bilingual(
        error,
        en=r"adds up to 2 \(for 2, against 0, abstaining 0, invalid 0\), but 3 ballots",
        zh=r"计票合计 2 票（赞成 2、反对 0、弃权 0、无效 0），与收回的 3 票不符",
    )


def test_individual_votes_in_a_secret_ballot_are_refused_in_both_languages(
    service: LedgerService, ids: dict[str, str]
) -> None:
    ballots = [{"member": "li", "choice": "for"}]
    acts = acts_after_open(ids, vote(method="secret_ballot", **{"for": 1}, ballots=ballots))
    error = refusal(service, acts, SecretBallotError)
    bilingual(error, en="never who voted how", zh="无记名投票只记录计票结果")


def test_a_vote_on_an_item_not_on_the_agenda_is_refused_in_both_languages(
    service: LedgerService, ids: dict[str, str]
) -> None:
    error = refusal(service, acts_after_open(ids, vote(item="c")), NotOnAgendaError)
    bilingual(
        error, ids["c"], "常委会", en="is not on the agenda of", zh="不在会议《常委会》的议程中"
    )


def test_an_opinion_before_the_meeting_opens_is_refused_in_both_languages(
    service: LedgerService, ids: dict[str, str]
) -> None:
    opinion = {"act": "meeting.opinion", "meeting": "m", "item": "a", "member": "li"}
    error = refusal(service, [with_ids(ids, {**opinion, "stance": "agree"})], MeetingStateError)
    bilingual(
        error,
        "常委会",
        en="is scheduled; this happens while it is open",
        zh="尚未开始；此项须在会议",
    )


# --- matter -------------------------------------------------------------------------------------


def test_carrying_out_a_rejected_matter_is_refused_in_both_languages(
    service: LedgerService, ids: dict[str, str]
) -> None:
    announce = {"act": "meeting.announce", "meeting": "m", "item": "a", "by": "wang"}
    rejected = [vote(**{"for": 1, "against": 2}), {**announce, "outcome": "rejected"}]
    record(service, acts_after_open(ids, *rejected))
    task = {"act": "matter.assign", "matter": ids["a"], "to": ids["li"], "task": "实施"}
    error = refusal(service, [task], MatterStateError)
    bilingual(
        error,
        "议题甲",
        en="is rejected; only an adopted matter can be carried out",
        zh="议题《议题甲》已被否决；只有已通过的议题才能落实",
    )


def test_publishing_an_undecided_matter_is_refused_in_both_languages(
    service: LedgerService, ids: dict[str, str]
) -> None:
    publish = {"act": "matter.publish", "matter": ids["b"], "channel": "县政府网站"}
    error = refusal(service, [publish], MatterStateError)
    bilingual(error, "议题乙", en="has no decision to publish", zh="没有可以公开的决策")


def test_a_second_vote_on_a_decided_matter_is_refused_in_both_languages(
    service: LedgerService, ids: dict[str, str]
) -> None:
    announce = {"act": "meeting.announce", "meeting": "m", "item": "a", "by": "wang"}
    record(service, acts_after_open(ids, vote(), {**announce, "outcome": "adopted"}))
    error = refusal(service, [with_ids(ids, vote())], MatterStateError)
    bilingual(
        error,
        "议题甲",
        en="is already adopted; a new vote needs a reconsideration",
        zh="议题《议题甲》已通过；须先同意复议，才能重新表决",
    )


# --- member and body ----------------------------------------------------------------------------


def test_giving_posts_to_a_member_who_left_is_refused_in_both_languages(
    service: LedgerService, ids: dict[str, str]
) -> None:
    leave = {"act": "member.leave", "member": ids["outsider"], "reason": "调任"}
    assign = {"act": "member.assign", "member": ids["outsider"], "posts": ["member"]}
    error = refusal(service, [leave, assign], DomainRuleError)
    bilingual(error, "钱多", ids["outsider"], en="has left the committee", zh="已离任")


def test_naming_a_member_who_left_is_refused_in_both_languages(
    service: LedgerService, ids: dict[str, str]
) -> None:
    leave = {"act": "member.leave", "member": ids["outsider"], "reason": "调任"}
    join = {"act": "body.join", "body": ids["sc"], "member": ids["outsider"]}
    error = refusal(service, [leave, join], UnknownMemberError)
    bilingual(error, "钱多", ids["outsider"], en="has left the committee", zh="已离任")


def test_joining_a_body_twice_is_refused_in_both_languages(
    service: LedgerService, ids: dict[str, str]
) -> None:
    join = {"act": "body.join", "body": ids["sc"], "member": ids["wang"]}
    error = refusal(service, [join], DomainRuleError)
    bilingual(error, ids["wang"], "常委会", en="already belongs to", zh="已是常委会成员")


def test_leaving_a_body_one_does_not_belong_to_is_refused_in_both_languages(
    service: LedgerService, ids: dict[str, str]
) -> None:
    leave = {"act": "body.leave", "body": ids["sc"], "member": ids["outsider"]}
    error = refusal(service, [leave], DomainRuleError)
    bilingual(error, ids["outsider"], "常委会", en="does not belong to", zh="不是常委会成员")


# --- emergency, report, review, delegation ------------------------------------------------------


def emergency(ids: dict[str, str], *acts: dict[str, Any]) -> list[dict[str, Any]]:
    taken = {"act": "emergency.act", "as": "e", "by": ids["wang"], "summary": "暴雨抢险"}
    return [taken, *({"action": "e", "meeting": ids["m"], **act} for act in acts)]


def test_acknowledging_an_unreported_emergency_action_is_refused_in_both_languages(
    service: LedgerService, ids: dict[str, str]
) -> None:
    acts = emergency(ids, {"act": "emergency.acknowledge", "outcome": "noted"})
    error = refusal(service, acts, DomainRuleError)
    bilingual(error, en="acknowledged after it is reported", zh="临机处置须先向常委会报告")


def test_acknowledging_an_emergency_action_twice_is_refused_in_both_languages(
    service: LedgerService, ids: dict[str, str]
) -> None:
    acts = emergency(
        ids,
        {"act": "emergency.report", "by": ids["wang"]},
        {"act": "emergency.acknowledge", "outcome": "ratified"},
        {"act": "emergency.acknowledge", "outcome": "noted"},
    )
    error = refusal(service, acts, DomainRuleError)
    bilingual(error, en="was already ratified", zh="该临机处置已经追认")


def test_a_report_whose_period_ends_before_it_starts_is_refused_in_both_languages(
    service: LedgerService, ids: dict[str, str]
) -> None:
    report = {
        "act": "report.deliver",
        "kind": "duty",
        "by": ids["li"],
        "to_body": ids["sc"],
        "period_start": "2026-06-30",
        "period_end": "2026-01-01",
    }
    error = refusal(service, [report], DomainRuleError)
    bilingual(error, "2026-01-01", "2026-06-30", en="ends .* before it starts", zh="早于起始日期")


def test_concluding_a_review_twice_is_refused_in_both_languages(
    service: LedgerService, ids: dict[str, str]
) -> None:
    opened = {
        "act": "review.open",
        "as": "r",
        "matter": ids["a"],
        "reason": "项目停工",
        "opened_by": ids["zhao"],
    }
    conclude = {"act": "review.conclude", "review": "r", "failed": False, "conclusion": "无失误"}
    error = refusal(service, [opened, conclude, conclude], DomainRuleError)
    bilingual(error, en="already concluded", zh="该责任追究已经作出结论")


def test_a_delegation_ending_before_it_starts_is_refused_in_both_languages(
    service: LedgerService, ids: dict[str, str]
) -> None:
    grant = {
        "act": "delegation.grant",
        "grantor": ids["wang"],
        "grantee": ids["zhang"],
        "valid_from": "2026-03-10",
        "valid_until": "2026-03-01",
    }
    error = refusal(service, [grant], DomainRuleError)
    bilingual(error, en="cannot end before it starts", zh="委托的终止时间不能早于起始时间")


def test_withdrawing_a_delegation_twice_is_refused_in_both_languages(
    service: LedgerService, ids: dict[str, str]
) -> None:
    grant = {
        "act": "delegation.grant",
        "as": "d",
        "grantor": ids["wang"],
        "grantee": ids["zhang"],
        "valid_from": "2026-03-10",
    }
    withdraw = {"act": "delegation.withdraw", "delegation": "d"}
    error = refusal(service, [grant, withdraw, withdraw], DomainRuleError)
    bilingual(error, en="already withdrawn", zh="该委托已经撤回")


# --- the batch: references, aliases, corrections -----------------------------------------------


def test_an_unknown_reference_is_refused_in_both_languages(
    service: LedgerService, ids: dict[str, str]
) -> None:
    act = {"act": "matter.open", "title": "x", "body": ids["sc"], "in_charge": "nobody"}
    error = refusal(service, [act], UnknownMemberError)
    bilingual(error, "'nobody'", "as: nobody", en="unknown member", zh="未知的委员")


def test_a_reference_to_the_wrong_kind_is_refused_in_both_languages(
    service: LedgerService, ids: dict[str, str]
) -> None:
    act = {"act": "matter.open", "title": "x", "body": ids["wang"], "in_charge": ids["li"]}
    error = refusal(service, [act], UnknownBodyError)
    bilingual(error, ids["wang"], en="is a member, not a body", zh="是委员，不是机构")


def test_an_alias_used_twice_is_refused_in_both_languages(
    service: LedgerService, ids: dict[str, str]
) -> None:
    acts = [
        {"act": "member.register", "as": "x", "name": "甲"},
        {"act": "member.register", "as": "x", "name": "乙"},
    ]
    error = refusal(service, acts, DomainRuleError)
    bilingual(error, "'x'", en="used twice in this document", zh="在本文档中用了两次")


def test_a_correction_of_no_event_is_refused_in_both_languages(
    service: LedgerService, ids: dict[str, str]
) -> None:
    act = {"act": "record.correct", "corrects": 9999, "reason": "笔误", "correction": "应为"}
    error = refusal(service, [act], UnknownRecordError)
    bilingual(error, "9999", en="no event at log position", zh="日志中没有序号为 9999 的事件")


# --- keys ---------------------------------------------------------------------------------------


def test_revoking_a_key_twice_is_refused_in_both_languages(service: LedgerService) -> None:
    key = SigningKey.generate()
    service.register_key(key, holder="office", purposes=("record",))
    service.revoke_key(key.key_id, "离任")
    with pytest.raises(KeyStateError, match="is already revoked") as caught:
        service.revoke_key(key.key_id, "离任")
    bilingual(caught.value, key.key_id, en="already revoked", zh="已经吊销")


# --- rule sets, rule parameters, the engine, the calendar ---------------------------------------


def test_a_rule_set_naming_an_unknown_parameter_is_refused_in_both_languages() -> None:
    document = {"version": "2026-1", "rules": {"majority": {"bogus": 1}}}
    with pytest.raises(RuleSetError, match="has no parameter 'bogus'") as caught:
        parse_ruleset(document)
    bilingual(caught.value, "majority", "'bogus'", "share", en="it has: ", zh="没有参数")


def test_a_rule_set_with_a_share_above_one_is_refused_in_both_languages() -> None:
    document = {"version": "2026-1", "rules": {"majority": {"share": "3/2"}}}
    with pytest.raises(RuleSetError, match=r"a share lies in \(0, 1\]") as caught:
        parse_ruleset(document)
    # The share's own refusal, inside the rule set's, in the same language.
    bilingual(caught.value, "majority", "'3/2'", en="share lies in", zh="比例须大于 0 且不大于 1")


def test_a_share_that_is_not_a_fraction_is_refused_in_both_languages() -> None:
    with pytest.raises(ShareError, match="written like 1/2") as caught:
        Share.parse("half", True)
    bilingual(caught.value, "'half'", en="got 'half'", zh="比例应写成 1/2、2/3 这样的分数")


def test_an_unknown_rule_is_refused_in_both_languages() -> None:
    with pytest.raises(UnknownRuleError, match="no rule 'quorom'") as caught:
        evaluate(World(), {}, AS_OF, ["quorom"])
    bilingual(caught.value, "'quorom'", "quorum", en="known rules", zh="规则目录中没有规则")


def test_judging_as_of_a_time_without_zone_is_refused_in_both_languages() -> None:
    with pytest.raises(InputError, match="with a zone") as caught:
        evaluate(World(), {}, datetime(2026, 3, 1))
    bilingual(caught.value, "2026-03-01T00:00:00", en="with a zone", zh="须带时区")


def test_a_rule_parameter_the_rule_cannot_use_is_refused_in_both_languages() -> None:
    with pytest.raises(RuleParameterError, match="parameter 'share'") as caught:
        evaluate(World(), {"quorum": {"share": "half"}}, AS_OF, ["quorum"])
    bilingual(caught.value, "quorum", "'share'", "'half'", en="written like", zh="分数")


# --- reads, the home, the store, archives ------------------------------------------------------


def test_an_unknown_matter_in_a_read_is_refused_in_both_languages(
    sqlite_service: LedgerService,
) -> None:
    with pytest.raises(UnknownSubjectError, match="no matter '县城供水' in this ledger") as caught:
        sqlite_service.reader().resolve("县城供水", "matter")
    bilingual(caught.value, "'县城供水'", en="exact and unique title", zh="本台账中没有议题")


def test_a_member_named_as_a_matter_is_refused_in_both_languages(
    sqlite_service: LedgerService,
) -> None:
    sqlite_service.register_member("王建国")
    with pytest.raises(UnknownSubjectError, match="is a member, not a matter") as caught:
        sqlite_service.reader().resolve("王建国", "matter")
    bilingual(caught.value, "'王建国'", en="is a member", zh="是委员，不是议题")


def test_a_proof_beyond_the_log_is_refused_in_both_languages(
    sqlite_service: LedgerService,
) -> None:
    index = sqlite_service.index()
    try:
        with pytest.raises(ProofRangeError, match="tree size from 1 to 1, got 9") as caught:
            prove_inclusion(index.tree, 0, 9)
    finally:
        index.close()
    bilingual(caught.value, "1", "9", en="expected a tree size", zh="树的规模应在 1 至 1 之间")


def test_a_home_without_a_ledger_is_refused_in_both_languages(tmp_path: Path) -> None:
    with pytest.raises(LedgerNotFoundError, match="no ledger in") as caught:
        LedgerHome(tmp_path).config()
    bilingual(
        caught.value,
        str(tmp_path),
        "ledger.json",
        "'ledger init'",
        "--home / LEDGER_HOME",
        en="no ledger in",
        zh="中没有台账",
    )


def test_a_second_ledger_in_one_home_is_refused_in_both_languages(
    sqlite_service: LedgerService,
) -> None:
    home = sqlite_service.home
    with pytest.raises(LedgerExistsError, match="already lives in") as caught:
        home.create(sqlite_service.config)
    bilingual(caught.value, str(home.path), en="a ledger already lives in", zh="中已有台账")


def test_an_unsupported_store_is_refused_in_both_languages() -> None:
    with pytest.raises(StoreURLError, match="unsupported store") as caught:
        postgres_env("mysql://db.example/ledger", uuid4())
    bilingual(
        caught.value,
        "'mysql://db.example/ledger'",
        "postgresql://user@host:port/database",
        "--store",
        en="unsupported store",
        zh="不支持的存储",
    )


def test_a_material_that_is_not_a_digest_is_refused_in_both_languages(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is not a sha256 digest") as caught:
        ContentStore(tmp_path).stage("sha256:abc", None)
    bilingual(caught.value, "'sha256:abc'", "64", en="lowercase hex", zh="小写十六进制")


def test_an_empty_file_is_not_an_archive_in_both_languages(tmp_path: Path) -> None:
    empty = tmp_path / "archive.zip"
    empty.write_bytes(b"")
    with pytest.raises(ArchiveFormatError, match="the file is empty") as caught:
        open_archive(empty)
    bilingual(caught.value, en="not a ledger archive", zh="不是台账档案：文件是空的")


def test_a_trust_policy_requiring_too_many_witnesses_is_refused_in_both_languages() -> None:
    policy = '{"format": "ledger.trust/1", "witnesses": [], "witnesses_required": 3}'
    with pytest.raises(TrustPolicyError, match="witnesses_required must be") as caught:
        parse_policy(policy, "trust.json")
    bilingual(
        caught.value,
        "trust.json",
        "witnesses_required",
        "0",
        "3",
        en="an integer from 0 to 0",
        zh="必须是 0 至 0",
    )


# --- record files, checkpoints, keys, proofs, the witness, migration ----------------------------


def test_a_bad_field_in_a_record_file_is_named_with_its_line_in_both_languages() -> None:
    text = (
        b"acts:\n  - act: member.register\n    name: [5]\n    at: 2026-03-02T09:00:00\n"
        b"  - {act: member.register, name: W}\n"
    )
    with pytest.raises(RecordFormatError, match="is not a valid record document") as caught:
        parse_document(text, "acts.yaml")
    bilingual(caught.value, "acts.yaml", en="not a valid record document", zh="不是有效的记录文档")
    assert caught.value.problems == [
        "acts[0].at (line 4): Input should have timezone info",
        "acts[0].name (line 3): Input should be a valid string",
    ]
    assert caught.value.problems_zh == [
        "第 4 行，字段 acts[0].at：时间须带时区，如 +08:00 或 Z",
        "第 3 行，字段 acts[0].name：应为字符串",
    ]


def test_a_missing_field_and_an_unknown_act_are_refused_in_both_languages() -> None:
    text = b'{"acts": [{"act": "member.register"}, {"act": "matter.bribe"}]}'
    with pytest.raises(RecordFormatError) as caught:
        parse_document(text, "acts.json", is_json=True)
    english, chinese = caught.value.problems, caught.value.problems_zh
    assert english[0] == "acts[0].name: Field required"
    assert chinese[0] == "字段 acts[0].name：缺少此字段"  # JSON: no line
    assert english[1].startswith("acts[1]: Input tag 'matter.bribe' found using 'act'")
    assert chinese[1].startswith(
        "字段 acts[1]：act 的值 'matter.bribe' 不是已知的行为；应为以下之一："
    )
    assert "'member.register'、'member.assign'" in chinese[1]


def test_a_key_twice_in_a_json_record_file_is_refused_in_both_languages() -> None:
    text = b'{"acts": [{"act": "member.register", "name": "a", "name": "b"}]}'
    with pytest.raises(RecordFormatError, match="'name' appears twice in one object") as caught:
        parse_document(text, "acts.json", is_json=True)
    bilingual(
        caught.value, "acts.json", "'name'", en="appears twice", zh="在同一个对象中出现了两次"
    )


def test_a_checkpoint_without_signatures_is_refused_in_both_languages() -> None:
    root = base64.b64encode(bytes(32)).decode()
    with pytest.raises(CheckpointFormatError, match="carries no signature") as caught:
        parse_checkpoint(f"ledger/x\n3\n{root}\n\n")
    bilingual(caught.value, en="carries no signature", zh="检查点上没有签名")


def test_a_file_that_is_not_a_pem_key_is_refused_in_both_languages(tmp_path: Path) -> None:
    path = tmp_path / "member.key"
    path.write_bytes(b"not a key\n")
    with pytest.raises(KeyFileError, match="not a PEM private key") as caught:
        SigningKey.load(path, None)
    bilingual(caught.value, en="not a PEM private key", zh="不是 PEM 格式的私钥")


def test_an_encrypted_key_without_its_passphrase_is_refused_in_both_languages() -> None:
    pem = SigningKey.generate().to_pem(b"secret")
    with pytest.raises(PassphraseError, match="give its passphrase") as caught:
        SigningKey.from_pem(pem, None)
    bilingual(caught.value, "LEDGER_PASSPHRASE", en="is encrypted", zh="此私钥已加密")


def test_a_float_has_no_canonical_form_in_both_languages() -> None:
    with pytest.raises(CanonicalEncodingError, match="no canonical form here") as caught:
        canonical_bytes({"share": 0.5})
    bilingual(caught.value, "0.5", en="write it as a decimal string", zh="请写成十进制字符串")


def test_a_consistency_proof_of_the_wrong_length_is_refused_in_both_languages() -> None:
    tree = MemoryTree([leaf_hash(bytes([i])) for i in range(5)])
    with pytest.raises(ProofError, match="expected 4 hashes") as caught:
        verify_consistency(3, 5, tree.root(3), tree.root(5), [])
    bilingual(caught.value, "3", "5", en="consistency proof", zh="一致性证明应有 4 个哈希")


def test_a_checkpoint_smaller_than_the_last_cosigned_is_refused_in_both_languages() -> None:
    log, key = SigningKey.generate(), SigningKey.generate()
    tree = MemoryTree([leaf_hash(bytes([i])) for i in range(4)])
    witness = Witness(key, new_state("jw", key.key_id, "ledger/x", log.key_id))
    witness.cosign(sign_checkpoint("ledger/x", 4, tree.root(4), log).text(), timestamp=1)
    older = sign_checkpoint("ledger/x", 2, tree.root(2), log).text()
    with pytest.raises(CheckpointRollbackError, match="at least 4 events") as caught:
        witness.cosign(older, timestamp=2)
    bilingual(caught.value, "'ledger/x'", en="got 2", zh="而这里只有 2 个")
    assert caught.value.evidence == older


def test_a_checkpoint_not_signed_by_the_log_is_refused_in_both_languages() -> None:
    log, key = SigningKey.generate(), SigningKey.generate()
    witness = Witness(key, new_state("jw", key.key_id, "ledger/x", log.key_id))
    forged = sign_checkpoint("ledger/x", 1, leaf_hash(b"x"), SigningKey.generate()).text()
    with pytest.raises(LogSignatureError, match="found none that verifies") as caught:
        witness.cosign(forged, timestamp=1)
    bilingual(
        caught.value, log.key_id, "'ledger/x'", en="expected a signature", zh="没有一个能通过核验"
    )


def test_migrating_into_a_store_that_holds_events_is_refused_in_both_languages(
    sqlite_service: LedgerService, tmp_path: Path
) -> None:
    other = LedgerHome(tmp_path / "other")
    LedgerService.create(other, "另一个县委", passphrase=None).app.close()
    source = store_at(sqlite_service.home, sqlite_service.ledger_id, None)
    target = Store(None, sqlite_env(other.sqlite_path))
    with pytest.raises(StoreNotEmptyError, match="already holds events") as caught:
        migrate(sqlite_service, source, target)
    bilingual(
        caught.value,
        str(other.sqlite_path),
        "'ledger migrate'",
        en="nothing was written",
        zh="中已有事件（直到存储行 1）；未写入任何内容",
    )


# --- the verifier's failures --------------------------------------------------------------------


def test_a_tampered_payload_fails_verification_in_both_languages(
    sqlite_service: LedgerService,
) -> None:
    sqlite_service.register_member("王建国")
    with sqlite3.connect(sqlite_service.home.sqlite_path) as db:
        (state,) = db.execute("SELECT state FROM stored_events WHERE rowid = 2").fetchone()
        changed = state.replace("王建国".encode(), "王建军".encode())
        db.execute("UPDATE stored_events SET state = ? WHERE rowid = 2", (changed,))
    failure = sqlite_service.verify().failure
    assert failure is not None and failure.position == 2
    assert failure.problem == "payload does not match its commitment"
    assert failure.problem_zh == "事件内容与其承诺值不符"


def test_a_removed_tail_fails_verification_in_both_languages(
    sqlite_service: LedgerService,
) -> None:
    for name in ("王建国", "李明", "张华"):
        sqlite_service.register_member(name)
    with sqlite3.connect(sqlite_service.home.sqlite_path) as db:
        db.execute("DELETE FROM stored_events WHERE rowid >= 3")
    failure = sqlite_service.verify().failure
    assert failure is not None and failure.position == 3
    assert failure.problem == (
        "the log ends at 2 events, but a signed checkpoint covers 4: events 3 to 4 were removed"
    )
    assert failure.problem_zh == "日志只有 2 个事件，但签名检查点涵盖 4 个：事件 3 至 4 已被删除"


# --- the error class itself ---------------------------------------------------------------------


def test_str_is_the_english_and_the_chinese_is_optional() -> None:
    error = TallyError("a tally cannot be negative", zh="票数不能为负数")
    assert str(error) == "a tally cannot be negative" and error.args == (str(error),)
    assert error.message_zh == "票数不能为负数" and zh_text(error) == error.message_zh
    english_only = InputError("no ledger here")
    assert english_only.message_zh is None and zh_text(english_only) == "no ledger here"
    assert zh_text(ValueError("not a ledger error")) == "not a ledger error"


@pytest.mark.parametrize(
    "clone",
    [lambda e: pickle.loads(pickle.dumps(e)), copy.copy, copy.deepcopy],
    ids=["pickle", "copy", "deepcopy"],
)
def test_a_refusal_survives_pickling_and_copying(clone: Any) -> None:
    cause = NotEligibleError("member m is absent and cannot vote", zh="委员 m 缺席，不能表决")
    error = ActError(2, "meeting.vote", cause)
    cloned = clone(error)
    assert type(cloned) is ActError and cloned is not error
    assert (str(cloned), cloned.message_zh) == (str(error), error.message_zh)
    assert (cloned.index, cloned.exit_code) == (2, 2)
    assert type(cloned.cause) is NotEligibleError
    assert cloned.cause.message_zh == "委员 m 缺席，不能表决"
    share = clone(ShareError("a share lies in (0, 1], got '2'", zh="比例须大于 0 且不大于 1"))
    assert type(share) is ShareError and isinstance(share, ValueError)
    assert share.message_zh == "比例须大于 0 且不大于 1"
    plain = clone(InputError("no ledger here"))
    assert (str(plain), plain.message_zh) == ("no ledger here", None)


# --- no refusal without Chinese -----------------------------------------------------------------

LEDGER = SRC / "ledger"
SCANNED = [
    *sorted((LEDGER / "domain").rglob("*.py")),
    LEDGER / "store" / "batch.py",
    LEDGER / "record" / "acts.py",
    LEDGER / "demo" / "generator.py",
    LEDGER / "record" / "document.py",
    *sorted((LEDGER / "projections").glob("*.py")),
    # archive/verify_archive.py stands alone (no import of the package): English only
    *sorted(p for p in (LEDGER / "archive").glob("*.py") if p.name != "verify_archive.py"),
    *(
        LEDGER / "store" / f"{name}.py"
        for name in ("home", "location", "content", "service", "recorders", "migration")
    ),
    *(
        LEDGER / "integrity" / f"{name}.py"
        for name in (
            "verify",
            "canonical",
            "checkpoint",
            "keys",
            "witness",
            "merkle",
            "misbehaviour",
        )
    ),
    *(
        LEDGER / "cli" / f"{name}.py"
        for name in (
            "proof",
            "trace",
            "demo",
            "export",
            "verify",
            "witness",
            "migrate",
            "key",
            "act",
        )
    ),
]
COMPOSED = {"ActError"}  # its Chinese is made from its cause's (``zh_text``)
BUILDERS = {"_inclusion_length_error", "_consistency_length_error"}
"""Functions that build the error a ``raise`` throws: the scan checks the ``return`` that
makes it (a ``return SomeError(...)`` of a ledger error must pass ``zh=`` too)."""
VERIFIERS = [LEDGER / "integrity" / "verify.py", LEDGER / "archive" / "verify.py"]
FAILURES = {"Failure", "ArchiveFailure", "fail", "describe", "broken"}
"""What makes a verifier's failure: each call must pass its Chinese (``zh=`` or ``problem_zh=``)."""


def _resolve(module: Any, func: ast.expr) -> Any:
    """The object a raised call names (``InputError``, ``click.BadParameter``), if the module
    holds it at import; ``None`` for a local name (a parameter, ``self.fail``)."""
    if isinstance(func, ast.Name):
        return getattr(module, func.id, None) or getattr(builtins, func.id, None)
    if isinstance(func, ast.Attribute):
        owner = _resolve(module, func.value)
        return getattr(owner, func.attr, None) if owner is not None else None
    return None


def _refusals_without_chinese(path: Path) -> tuple[int, list[str]]:
    """How many ``raise SomeError(...)`` of a ledger error ``path`` has, and which lack ``zh=``.
    A name that is not a module-level class (a parameter like ``error``) counts as a refusal;
    Python's own errors (``TypeError``: a bug, not a refusal) do not. A ``return SomeError(...)``
    of a ledger error class (an error built for a later ``raise``, see ``BUILDERS``) counts too."""
    module_name = ".".join(path.relative_to(SRC).with_suffix("").parts)
    module = importlib.import_module(module_name.removesuffix(".__init__"))
    count, missing = 0, []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            call = node.exc
        elif isinstance(node, ast.Return) and isinstance(node.value, ast.Call):
            call = node.value
            built = _resolve(module, call.func)
            if not (isinstance(built, type) and issubclass(built, LedgerError)):
                continue  # returns something other than a ledger error
        else:
            continue
        func = call.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        raised = _resolve(module, func)
        if isinstance(raised, type) and not issubclass(raised, LedgerError):
            continue  # Python's own error (a bug), or click's usage error (click words it)
        count += 1
        if name not in COMPOSED | BUILDERS and not any(k.arg == "zh" for k in call.keywords):
            missing.append(f"{path.relative_to(SRC)}:{node.lineno} {name}")
    return count, missing


def test_every_refusal_of_the_domain_and_the_batch_has_chinese() -> None:
    results = [_refusals_without_chinese(path) for path in SCANNED]
    missing = [site for _, sites in results for site in sites]
    assert not missing, "refusals without zh=...: " + ", ".join(missing)
    assert sum(count for count, _ in results) > 370  # the scan sees the refusals at all


def test_every_failure_of_the_verifiers_has_chinese() -> None:
    """``ledger verify`` and ``ledger verify-archive`` show a failure's ``problem_zh`` to a
    Chinese reader: every place that makes one gives it."""
    count, missing = 0, []
    for path in VERIFIERS:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name not in FAILURES:
                continue
            count += 1
            if not any(k.arg in ("zh", "problem_zh") for k in node.keywords):
                missing.append(f"{path.relative_to(SRC)}:{node.lineno} {name}")
    assert not missing, "failures without their Chinese: " + ", ".join(missing)
    assert count > 60  # the scan sees the failures at all
