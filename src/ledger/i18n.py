"""Chinese and English for every text the command line shows a person.

One catalogue: a message id names a text in English and in Chinese, with ``{placeholders}``
filled by :func:`message`. The language is chosen once per command (``--lang``, else
``LEDGER_LANG``, else the locale: :func:`detect`) and kept on the ``CliContext``; nothing here
holds a current language. What stays English, and why, is in docs/cli.md ("Language"): help
texts, JSON documents, identifiers and values of the record format, and details quoted from
other libraries. Every refusal and the rules' findings carry their own Chinese (``message_zh``),
written where the facts are; the CLI shows it to a Chinese reader. The Chinese
terms are the users' own (the shared domain glossary: 议题, 表决, 纪要, 档案, 常委会 ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final, Literal, NamedTuple, cast

Lang = Literal["en", "zh"]
LANGUAGES: Final = ("en", "zh")
LANG_ENV: Final = "LEDGER_LANG"
# POSIX precedence for the language of messages: the first one set wins.
LOCALE_ENVS: Final = ("LC_ALL", "LC_MESSAGES", "LANG")


class Text(NamedTuple):
    """One message, in both languages."""

    en: str
    zh: str


def detect(environ: Mapping[str, str]) -> Lang:
    """The language of the locale: ``zh`` for a Chinese locale (``zh_CN.UTF-8``, ``zh_TW``),
    ``en`` for any other or none. The first of LC_ALL, LC_MESSAGES, LANG that is set decides."""
    for name in LOCALE_ENVS:
        value = environ.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def parse(value: str) -> Lang:
    """A language name as given to ``--lang`` (already checked by click's ``Choice``)."""
    lowered = value.lower()
    if lowered not in LANGUAGES:
        raise ValueError(f"expected one of {', '.join(LANGUAGES)}, got {value!r}")
    return cast(Lang, lowered)


def message(lang: Lang, key: str, /, **values: object) -> str:
    """The message ``key`` in ``lang``, its placeholders filled from ``values``.

    An unknown key is a bug in the CLI, not a user's mistake: it raises ``KeyError`` (the test
    suite checks every key the CLI uses is in the catalogue).
    """
    text = CATALOGUE[key]
    return (text.zh if lang == "zh" else text.en).format(**values)


def term(lang: Lang, group: str, value: str) -> str:
    """A value of the record (a post, a stance, a vote method ...) as the reader says it:
    the catalogue's ``group.value`` entry, or the value itself when it has none."""
    text = CATALOGUE.get(f"{group}.{value}")
    if text is None:
        return value
    return text.zh if lang == "zh" else text.en


def terms(lang: Lang, group: str, values: Iterable[object]) -> str:
    """Several values of one group, joined as the language joins a list."""
    items = [term(lang, group, str(v)) for v in values]
    return ("、" if lang == "zh" else ", ").join(items)


def placeholders(text: str) -> set[str]:
    """The names of a text's ``{placeholders}`` (for the catalogue's own check)."""
    import string

    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


CATALOGUE: Final[Mapping[str, Text]] = {
    # --- errors and prompts (main.py, context.py, key.py, options.py) -------------------------
    "error.line": Text("error: {message}", "错误：{message}"),
    "error.internal": Text("internal error: {kind}: {message}", "内部错误：{kind}：{message}"),
    "error.bug": Text(
        "This is a bug. Rerun with --debug for details and report it.",
        "这是程序缺陷。请加 --debug 重新运行查看详情，并报告此问题。",
    ),
    "error.interrupted": Text("interrupted", "已中断"),
    "error.usage_hint": Text(
        "Try '{command} {option}' for help.", "运行 '{command} {option}' 查看帮助。"
    ),
    "error.language": Text(
        "{option} takes en or zh, got {value!r}", "{option} 只能是 en 或 zh，而不是 {value!r}"
    ),
    "error.time_format": Text(
        "{value!r} is not an ISO 8601 time, like 2026-03-01T09:00:00+08:00",
        "{value!r} 不是 ISO 8601 时间，应形如 2026-03-01T09:00:00+08:00",
    ),
    "error.time_zone": Text(
        "{value!r} has no time zone; add one, like +08:00 or Z",
        "{value!r} 没有时区；请加上时区，如 +08:00 或 Z",
    ),
    "error.json_objects": Text(
        "{option} takes JSON objects: {error}", "{option} 需要 JSON 对象：{error}"
    ),
    "error.cannot_read": Text("cannot read {path}: {reason}", "无法读取 {path}：{reason}"),
    "error.not_valid": Text(
        "{path} is not valid {format}: {error}", "{path} 不是有效的 {format}：{error}"
    ),
    "error.too_large": Text(
        "{path} has more than {limit} bytes: it cannot be what is asked for here",
        "{path} 超过 {limit} 字节，不可能是此处所需的文件",
    ),
    "passphrase.missing": Text(
        "the {label} is encrypted: set {env} or run on a terminal to be asked",
        "{label}已加密：请设置 {env}，或在终端上运行以输入口令",
    ),
    "passphrase.prompt": Text("Passphrase for the {label}", "{label}的口令"),
    "passphrase.key_missing": Text(
        "the key in {path} needs a passphrase: set {env} or run on a terminal",
        "{path} 中的密钥需要口令：请设置 {env}，或在终端上运行",
    ),
    "passphrase.key_prompt": Text("Passphrase for the key in {path}", "{path} 中密钥的口令"),
    # The store and the commands name the key they need a passphrase for (service.py).
    "key_label.new ledger key": Text("new ledger key", "新的台账密钥"),
    "key_label.new office key": Text("new office key", "新的办公室密钥"),
    "key_label.office key": Text("office key", "办公室密钥"),
    "key_label.checkpoint key": Text("checkpoint key", "检查点密钥"),
    # --- labels of key: value blocks -------------------------------------------------------
    "field.level": Text("level", "层级"),
    "level.county": Text("county committee", "县委"),
    "level.city": Text("city committee", "市委"),
    "field.home": Text("home", "目录"),
    "field.store": Text("store", "存储"),
    "field.ledger_key": Text("ledger key", "台账密钥"),
    "field.warning": Text("warning", "警告"),
    "field.key": Text("key", "密钥"),
    "field.head_hash": Text("head hash", "链头哈希"),
    "field.tree_head": Text("tree head", "树根哈希"),
    "field.checkpoint": Text("checkpoint", "检查点"),
    "field.trusted_key": Text("trusted key", "信任密钥"),
    "field.event": Text("event", "事件"),
    "field.problem": Text("problem", "原因"),
    "field.witness": Text("witness", "见证方"),
    "field.verifier_key": Text("verifier key", "验证密钥"),
    "field.log": Text("log", "日志"),
    "field.log_key": Text("log key", "日志密钥"),
    "field.size": Text("size", "规模"),
    "field.cosigned_at": Text("cosigned at", "见证签名时间"),
    # --- table headers -----------------------------------------------------------------------
    "col.position": Text("pos", "序号"),
    "col.recorded": Text("recorded (Beijing time)", "记录时间（北京时间）"),
    "col.type": Text("type", "类型"),
    "col.actor": Text("actor", "行为人"),
    "col.signatures": Text("signed", "签名"),
    "col.key": Text("key", "密钥"),
    "col.holder": Text("holder", "持有人"),
    "col.purposes": Text("purposes", "用途"),
    "col.state": Text("state", "状态"),
    "col.member": Text("member", "委员"),
    "col.name": Text("name", "姓名"),
    "col.title": Text("title", "职务"),
    "col.rule": Text("rule", "规则"),
    "col.rule_title": Text("title", "名称"),
    "col.parameters": Text("parameters", "参数"),
    "col.when": Text("when (Beijing time)", "时间（北京时间）"),
    "col.subject": Text("subject", "对象"),
    "col.responsible": Text("responsible", "责任人"),
    "col.message": Text("message", "说明"),
    "col.role": Text("role", "角色"),
    "col.who": Text("who", "人员"),
    "col.posts": Text("posts", "职务"),
    "col.detail": Text("detail", "详情"),
    "col.matter": Text("matter", "议题"),
    # --- init, member, key, checkpoint, record, act, rules, rebuild --------------------------
    "init.created": Text("ledger {ledger} created for {name!r}", "已为「{name}」创建台账 {ledger}"),
    "init.unencrypted": Text(
        "the ledger key is stored UNENCRYPTED (demo use only)", "台账密钥未加密存储（仅供演示）"
    ),
    "init.keep_key": Text(
        "Keep the ledger key id above somewhere safe: `ledger verify --trusted-key` checks it.",
        "请妥善保存上面的台账密钥标识：`ledger verify --trusted-key` 凭它核验。",
    ),
    "member.added": Text("member {member} added: {name}", "委员 {member} 已登记：{name}"),
    "member.added_with_title": Text(
        "member {member} added: {name} ({title})", "委员 {member} 已登记：{name}（{title}）"
    ),
    "member.none": Text("no members yet", "尚无委员"),
    "key.cannot_read": Text(
        "cannot read key file {path}: {reason}", "无法读取密钥文件 {path}：{reason}"
    ),
    "key.exists": Text("{path} exists; choose another file", "{path} 已存在，请换一个文件"),
    "key.generated": Text("key {key} written to {path}", "密钥 {key} 已写入 {path}"),
    "key.registered": Text(
        "key {key} registered for {holder} ({purposes})",
        "密钥 {key} 已登记给 {holder}（{purposes}）",
    ),
    "key.rotated": Text("office key rotated; now {key}", "办公室密钥已轮换，现为 {key}"),
    "key.revoked": Text("key {key} revoked", "密钥 {key} 已吊销"),
    "key_state.valid": Text("valid", "有效"),
    "key_state.retired": Text("retired", "已停用"),
    "key_state.revoked": Text("revoked", "已吊销"),
    "purpose.record": Text("record", "记录"),
    "purpose.act": Text("act", "本人行为"),
    "purpose.checkpoint": Text("checkpoint", "检查点"),
    "holder.ledger": Text("ledger", "台账"),
    "holder.office": Text("office", "办公室"),
    "signer.record": Text("record", "办公室"),
    "signer.act": Text("act", "本人"),
    "checkpoint.written": Text(
        "checkpoint of {size} events written to {path}", "含 {size} 个事件的检查点已写入 {path}"
    ),
    "witness.exists": Text(
        "{path} already holds a witness; choose another directory",
        "{path} 中已有见证方，请换一个目录",
    ),
    "witness.none": Text(
        "no witness in {path}: create one with `ledger witness init`",
        "{path} 中没有见证方：请先用 `ledger witness init` 创建",
    ),
    "witness.created": Text("witness {name} created in {path}", "见证方 {name} 已创建于 {path}"),
    "witness.publish_key": Text(
        "Publish the verifier key above: readers check the witness's cosignatures with it.",
        "请公布上面的验证密钥：读者凭它核验见证方的见证签名。",
    ),
    "witness.cosigned": Text(
        "checkpoint of {size} events of {origin} cosigned, written to {path}",
        "已为 {origin} 含 {size} 个事件的检查点加上见证签名，写入 {path}",
    ),
    "witness.evidence": Text(
        "the refused checkpoint, signed by the ledger, is kept as evidence in {path}",
        "被拒绝的检查点（带台账签名）已作为证据保存在 {path}",
    ),
    "witness.misbehaviour": Text(
        "misbehaviour report written to {path}: the ledger's key signed two histories; hand it "
        "to whoever oversees the ledger",
        "违规证据报告已写入 {path}：台账密钥签署了两种历史；请交给台账的监督方",
    ),
    "witness.never": Text("nothing cosigned yet", "尚未见证签名"),
    "record.recorded": Text(
        "{acts} acts recorded as {events} events (positions {first} to {last})",
        "{acts} 项行为已记录为 {events} 个事件（序号 {first} 至 {last}）",
    ),
    "act.recorded": Text("{act} recorded (position {first})", "{act} 已记录（序号 {first}）"),
    "record.index_behind": Text(
        "note: the events are recorded, but the read index could not follow ({problem}); "
        "the next read command brings it up to date, or run 'ledger rebuild'",
        "提示：事件已记录，但读索引未能同步（{problem}）；下一个查询命令会补齐，"
        "也可运行 'ledger rebuild'",
    ),
    "act.recorded_range": Text(
        "{act} recorded (position {first} to {last})", "{act} 已记录（序号 {first} 至 {last}）"
    ),
    "act.created": Text("new {kind}: {id}", "新{kind}：{id}"),
    "kind.member": Text("member", "委员"),
    "kind.body": Text("body", "机构"),
    "kind.delegation": Text("delegation", "委托"),
    "kind.matter": Text("matter", "议题"),
    "kind.assignment": Text("assignment", "落实任务"),
    "kind.meeting": Text("meeting", "会议"),
    "kind.emergency action": Text("emergency action", "临机处置"),
    "kind.report": Text("report", "报告"),
    "kind.review": Text("review", "责任追究"),
    "kind.correction": Text("correction", "更正"),
    "kind.key": Text("key", "密钥"),
    "kind.ledger": Text("ledger", "台账"),
    "kind.ruleset": Text("rule set", "规则集"),
    "rules.in_force": Text("rule set in force: {version}", "现行规则集：{version}"),
    "rules.adopted": Text(
        "rule set {version} adopted ({count} parameters changed)",
        "规则集 {version} 已采用（变更 {count} 项参数）",
    ),
    # --- calendar (cli/calendar.py) -------------------------------------------------------------
    "calendar.adopted": Text(
        "working-day calendar of {year} adopted at position {position} ({notice}: "
        "{holidays} holidays, {working} adjusted working days)",
        "{year} 年工作日历已采用，位于第 {position} 号事件（{notice}：放假安排 {holidays} 项，"
        "调休上班 {working} 天）",
    ),
    "calendar.kind.adopted": Text(
        "working-day calendar of {year}: adopted on the record at position {position} "
        "(recorded {recorded}; {source})",
        "{year} 年工作日历：已在台账第 {position} 号事件采用（记录于 {recorded}；{source}）",
    ),
    "calendar.kind.shipped": Text(
        "working-day calendar of {year}: shipped with the ledger ({source})",
        "{year} 年工作日历：随本软件提供（{source}）",
    ),
    "calendar.none": Text(
        "no working-day calendar of {year} is on record: deadlines in {year} are counted on "
        "weekends alone, and findings that count them say they are provisional. Adopt the "
        "State Council's holiday notice for {year}: "
        "ledger calendar adopt FILE (docs/calendar.md)",
        "本台账尚无 {year} 年的工作日历：{year} 年的截止日期仅按周末推算，"
        "据此得出的问题均标为暂定。请采用国务院办公厅 {year} 年节假日安排的通知："
        "ledger calendar adopt 文件（见 docs/calendar.md）",
    ),
    "calendar.notice": Text("notice", "依据通知"),
    "calendar.working_days": Text("adjusted working days (weekend days worked)", "调休上班日"),
    "calendar.no_days": Text("none", "无"),
    "calendar.count": Text("{count} working days in the year", "全年工作日 {count} 天"),
    "calendar.shipped_years": Text(
        "shipped with the ledger: {first}-{last} ({source})",
        "随本软件提供：{first}—{last} 年（{source}）",
    ),
    "calendar.none_adopted": Text("none adopted on the record", "台账中尚未采用任何工作日历"),
    "calendar.adopted_years": Text("adopted on the record:", "台账中已采用："),
    "col.holiday": Text("holiday", "节日"),
    "col.from": Text("from", "起"),
    "col.to": Text("to", "止（含）"),
    "col.days": Text("days", "天数"),
    "col.year": Text("year", "年份"),
    "holiday.元旦": Text("New Year's Day", "元旦"),
    "holiday.春节": Text("Spring Festival", "春节"),
    "holiday.清明节": Text("Tomb-sweeping Day", "清明节"),
    "holiday.劳动节": Text("Labour Day", "劳动节"),
    "holiday.端午节": Text("Dragon Boat Festival", "端午节"),
    "holiday.中秋节": Text("Mid-autumn Festival", "中秋节"),
    "holiday.国庆节": Text("National Day", "国庆节"),
    "weekday.0": Text("Mon", "周一"),
    "weekday.1": Text("Tue", "周二"),
    "weekday.2": Text("Wed", "周三"),
    "weekday.3": Text("Thu", "周四"),
    "weekday.4": Text("Fri", "周五"),
    "weekday.5": Text("Sat", "周六"),
    "weekday.6": Text("Sun", "周日"),
    "rebuild.progress": Text("rebuilding the read index", "正在重建读索引"),
    "rebuild.done": Text(
        "read index rebuilt from {events} events in {seconds:.1f} s",
        "读索引已由 {events} 个事件重建，用时 {seconds:.1f} 秒",
    ),
    # --- demo (cli/demo.py) ----------------------------------------------------------------------
    "demo.built": Text(
        "demo ledger built in {directory} in {seconds:.1f} s: {events:,} events, {members} "
        "members, {meetings} meetings, {matters} matters, {decisions} decisions, {keys} keys",
        "演示台账已建于 {directory}，用时 {seconds:.1f} 秒：{events:,} 个事件，{members} 名委员，"
        "{meetings} 次会议，{matters} 个议题，{decisions} 项决策，{keys} 个密钥",
    ),
    "demo.findings": Text("findings as of {as_of}: {count}", "截至 {as_of} 发现的问题：{count} 个"),
    "demo.unencrypted": Text(
        "warning: demo keys are stored unencrypted", "警告：演示密钥未加密存储"
    ),
    "demo.verify_ok": Text("verify:  ok", "核验：  无误"),
    "demo.verify_failed": Text("verify:  FAILED", "核验：  失败"),
    "demo.try_next": Text("Try next:", "接下来可以试试："),
    # --- migrate (cli/migrate.py) ---------------------------------------------------------------
    "migrate.progress": Text("copying and verifying", "正在复制并核验"),
    "migrate.done": Text(
        "ledger {ledger}: {events} events copied and verified; ledger.json names the new store",
        "台账 {ledger}：{events} 个事件已复制并核验无误；ledger.json 已指向新存储",
    ),
    "migrate.checkpoint": Text(
        "size {size}, equal to the copy's head", "规模 {size}，与副本链头一致"
    ),
    "field.old_store": Text("old store", "原存储"),
    "migrate.old_store": Text(
        "The old store is left in place, its rows untouched; new writes to it are refused. "
        "Remove it when you no longer need it: {hint}",
        "原存储保留原处，其中各行未作改动；此后写入一律拒绝。不再需要时可自行删除：{hint}",
    ),
    # --- log and verify ------------------------------------------------------------------------
    "verify.progress": Text("verifying", "正在核验"),
    "verify.ok": Text(
        "ledger {ledger}: {events} events verified", "台账 {ledger}：{events} 个事件核验无误"
    ),
    "verify.checkpoint_ok": Text(
        "size {size} matches and is signed", "规模 {size}，与日志一致且已签名"
    ),
    "verify.no_checkpoint": Text(
        "none held (a removed tail can only be caught against one)",
        "未持有（末尾被删除的事件只有对照检查点才能发现）",
    ),
    "verify.key_from_config": Text(
        "(from ledger.json; pin it with --trusted-key)",
        "（取自 ledger.json；请用 --trusted-key 固定）",
    ),
    "verify.failed": Text(
        "integrity failure at position {position}", "完整性校验失败：序号 {position}"
    ),
    "verify.failed_row": Text(
        "integrity failure at position {position} (storage row {row})",
        "完整性校验失败：序号 {position}（存储行 {row}）",
    ),
    "verify.verified_before": Text(
        "events verified before it: {count}", "此前已核验 {count} 个事件"
    ),
    "verify.event": Text(
        "{type} in stream {stream}, version {version}", "{type}，流 {stream}，版本 {version}"
    ),
    # --- findings ------------------------------------------------------------------------------
    "findings.none": Text("no findings as of {moment}", "截至 {moment} 未发现问题"),
    "findings.count": Text(
        "{count} finding(s) as of {moment}", "截至 {moment} 发现 {count} 个问题"
    ),
    "findings.event": Text("event {id}", "事件 {id}"),
    "subject.matter": Text("matter", "议题"),
    "subject.meeting": Text("meeting", "会议"),
    "subject.member": Text("member", "委员"),
    "subject.body": Text("body", "机构"),
    "subject.emergency_action": Text("emergency action", "临机处置"),
    "subject.event": Text("event", "事件"),
    # --- trace, archive, history, person, replay -----------------------------------------------
    "trace.heading": Text("{title}  [{state}]  as of {as_of}", "{title}  [{state}]  截至 {as_of}"),
    "trace.categories": Text("categories: {categories}", "类别：{categories}"),
    "trace.decision": Text(
        "decision at position {position}: {announced}{mismatch}; {votes_for} for / "
        "{votes_against} against / {abstentions} abstaining ({method}), {needed} needed of "
        "{roster} who should attend",
        "决策（序号 {position}）：{announced}{mismatch}；赞成 {votes_for}、反对 {votes_against}、"
        "弃权 {abstentions}（{method}），应到会 {roster} 人，需 {needed} 票",
    ),
    "trace.count_differs": Text("  (count says {computed}!)", "（计票结果为{computed}！）"),
    "trace.dissent": Text(
        "dissent (reduces or waives responsibility): {dissenters}",
        "反对意见（可从轻或免除责任）：{dissenters}",
    ),
    "trace.dissenter": Text("{name} ({how})", "{name}（{how}）"),
    "trace.chair_against": Text(
        "chair announced {announced} against the majority of views: {reasons}",
        "主持人违背多数意见宣布{announced}：{reasons}",
    ),
    "trace.no_reasons": Text("NO REASONS GIVEN", "未说明理由"),
    "trace.change": Text(
        "change at position {position}: {type}", "变更（序号 {position}）：{type}"
    ),
    "trace.decision_corrected": Text(
        "  (counted as corrected by event {by})", "（按第 {by} 号事件更正后的计票）"
    ),
    "trace.corrected": Text(
        "{now} (corrected by event {by}; first recorded: {was})",
        "{now}（经第 {by} 号事件更正；原记录：{was}）",
    ),
    "trace.corrections": Text("corrections:", "更正："),
    "trace.correction": Text(
        "event {position} corrects event {corrects}: {changes}; reason: {reason}; "
        "recorded by {actor} at {at}",
        "第 {position} 号事件更正第 {corrects} 号事件：{changes}；理由：{reason}；"
        "记录人：{actor}，{at}",
    ),
    "trace.correction_change": Text("{field} {was} → {now}", "{field}由{was}改为{now}"),
    "trace.correction_change_of": Text(
        "{field} of {member} {was} → {now}", "{member}的{field}由{was}改为{now}"
    ),
    "trace.correction_words": Text("in words only: {text}", "仅文字说明：{text}"),
    "history_note.transcribed": Text(
        "  [transcribed from the paper record 《{source}》{reference}, entered {recorded} by "
        "{clerk}]",
        "  [据纸质记录《{source}》{reference}补录，{clerk}于 {recorded} 录入]",
    ),
    "history_note.recorded": Text("  [recorded {recorded}]", "  [记录于 {recorded}]"),
    "person.transcribed": Text(
        "  [transcribed from the paper record 《{source}》]", "  [据纸质记录《{source}》补录]"
    ),
    "trace.at": Text(
        "only what had happened by {at} (by when the acts happened)",
        "仅含截至 {at} 已发生的行为（按行为发生时间）",
    ),
    "history_note.corrected": Text(
        "  [corrected by event {by} ({reason}; by {actor}); first recorded: {was}]",
        "  [经第 {by} 号事件更正（{reason}；记录人：{actor}）；原记录：{was}]",
    ),
    "corrected_field.stance": Text("stance", "表态"),
    "corrected_field.ballot": Text("vote", "投票"),
    "corrected_field.attendance": Text("attendance", "出席情况"),
    "corrected_field.outcome": Text("result", "结果"),
    "corrected_field.votes_for": Text("votes for", "赞成票"),
    "corrected_field.votes_against": Text("votes against", "反对票"),
    "corrected_field.abstentions": Text("abstentions", "弃权票"),
    "corrected_field.invalid": Text("invalid ballots", "无效票"),
    "corrected_field.ballots_cast": Text("ballots cast", "投票数"),
    "corrected_field.opened_at": Text("opening time", "开会时间"),
    "corrected_field.sent_at": Text("notice time", "通知时间"),
    "corrected_field.closed_at": Text("closing time", "散会时间"),
    "corrected_field.issued_at": Text("issue time", "印发时间"),
    "corrected_field.reasons": Text("reasons", "理由"),
    "corrected_field.reason": Text("reason", "理由"),
    "corrected_field.summary": Text("summary", "摘要"),
    "attendance.present": Text("present", "出席"),
    "attendance.absent": Text("absent", "缺席"),
    "trace.findings": Text("{count} finding(s):", "发现 {count} 个问题："),
    "trace.no_findings": Text("no findings", "未发现问题"),
    "trace.legend": Text(
        "✍ = signed by the person themself; otherwise recorded by the office",
        "✍ = 本人签名；其余由办公室记录",
    ),
    "person.heading": Text("{name}  ({member})  as of {as_of}", "{name}（{member}）  截至 {as_of}"),
    "person.posts": Text("from {since}: {posts}", "自 {since} 起：{posts}"),
    "person.posts_in_charge": Text(
        "from {since}: {posts}; in charge of {areas}", "自 {since} 起：{posts}；分管 {areas}"
    ),
    "person.findings": Text("{count} finding(s) naming them", "以其为责任人的问题：{count} 个"),
    "proof.leaf_hash": Text("leaf hash", "叶哈希"),
    "proof.leaf_index": Text("leaf index", "叶序号"),
    "proof.leaf_at": Text("{index} (position {position})", "{index}（序号 {position}）"),
    "proof.tree_size": Text("tree size", "树规模"),
    "proof.root_hash": Text("root hash", "根哈希"),
    "proof.audit_path": Text("audit path", "审计路径"),
    "proof.hashes_leaf_to_root": Text("{count} hashes, leaf to root", "{count} 个哈希，自叶至根"),
    "proof.included": Text(
        "position {position} is in the tree of {size} (RFC 9162 section 2.1.3.2)",
        "序号 {position} 在规模为 {size} 的树中（RFC 9162 第 2.1.3.2 节）",
    ),
    "proof.old_size": Text("old size", "原规模"),
    "proof.old_root": Text("old root", "原根哈希"),
    "proof.new_size": Text("new size", "新规模"),
    "proof.new_root": Text("new root", "新根哈希"),
    "proof.proof": Text("proof", "证明"),
    "proof.hashes": Text("{count} hashes", "{count} 个哈希"),
    "proof.consistent": Text(
        "the tree of {new} extends the tree of {old} (RFC 9162 section 2.1.4.2)",
        "规模为 {new} 的树是规模为 {old} 的树的延续（RFC 9162 第 2.1.4.2 节）",
    ),
    "person.findings_left_out": Text(
        "findings not judged (--no-findings)", "未判断问题（使用了 --no-findings）"
    ),
    "replay.summary": Text(
        "as of {until}: {events} events, {members} members, {meetings} meetings, "
        "{matters} matters, {findings} findings",
        "截至 {until}：{events} 个事件，{members} 名委员，{meetings} 次会议，{matters} 个议题，"
        "{findings} 个问题",
    ),
    # Archive sections (projections/trace.py SECTIONS), named as the domain names the steps.
    "section.opening": Text("opening", "立项"),
    "section.research": Text("research", "调查研究"),
    "section.alternatives": Text("alternatives", "备选方案"),
    "section.consultation": Text("consultation", "咨询"),
    "section.agenda": Text("agenda", "确定议题"),
    "section.meeting": Text("meeting", "会议"),
    "section.notice": Text("notice", "提前通知"),
    "section.attendance": Text("attendance", "出席"),
    "section.deliberation": Text("deliberation", "酝酿讨论"),
    "section.vote": Text("vote", "表决"),
    "section.decision": Text("decision", "作出决策"),
    "section.minutes": Text("minutes", "纪要"),
    "section.carrying out": Text("carrying out", "落实"),
    "section.supervision": Text("supervision", "督查"),
    "section.changes": Text("changes", "调整或变更"),
    "section.publication": Text("publication", "公开"),
    "section.emergency": Text("emergency", "临机处置"),
    "section.review": Text("review", "决策失误责任追究"),
    "section.corrections": Text("corrections", "更正"),
    # Trace roles (projections/trace.py), by the role's English name there.
    "role.in charge": Text("in charge", "分管负责"),
    "role.researched": Text("researched", "调查研究"),
    "role.consulted": Text("consulted", "咨询"),
    "role.consulted (portfolio)": Text("consulted (portfolio)", "跨分工沟通"),
    "role.proposed": Text("proposed", "提出议题"),
    "role.coordinated": Text("coordinated", "协调"),
    "role.approved the agenda": Text("approved the agenda", "确定议题"),
    "role.chaired": Text("chaired", "主持"),
    "role.attended": Text("attended", "出席"),
    "role.absent": Text("absent", "缺席"),
    "role.declared an interest": Text("declared an interest", "说明利害关系"),
    "role.withdrew": Text("withdrew", "回避"),
    "role.presented": Text("presented", "汇报议题"),
    "role.stated an opinion": Text("stated an opinion", "发表意见"),
    "role.written view (not counted)": Text("written view (not counted)", "书面意见（不计票）"),
    "role.voted": Text("voted", "表决"),
    "role.voted (secret ballot: tally only)": Text(
        "voted (secret ballot: tally only)", "表决（无记名投票：仅有计票结果）"
    ),
    "role.voted (tally only)": Text(
        "voted ({method}: tally only)", "表决（{method}：仅有计票结果）"
    ),
    "role.announced": Text("announced", "宣布结果"),
    "role.issued the minutes": Text("issued the minutes", "印发纪要"),
    "role.carries out": Text("carries out", "落实"),
    "role.reported progress": Text("reported progress", "报告进展"),
    "role.supervised": Text("supervised", "督查"),
    "role.acted in an emergency": Text("acted in an emergency", "临机处置"),
    "role.reported the emergency action": Text("reported the emergency action", "事后报告临机处置"),
    "role.opened a review": Text("opened a review", "启动责任追究"),
    "role.found responsible": Text("found responsible", "被认定负有责任"),
    # Details of a role (projections/trace.py), where they are values rather than free text.
    "detail.tally": Text(
        "{votes_for} for, {votes_against} against, {abstentions} abstaining",
        "赞成 {votes_for}、反对 {votes_against}、弃权 {abstentions}",
    ),
    "detail.ballot": Text("{choice} ({method})", "{choice}（{method}）"),
    "detail.consulted": Text("{kind}: {outcome}", "{kind}：{outcome}"),
    "detail.on_leave": Text("on leave: {reason}", "请假：{reason}"),
    "detail.under delegation": Text("under delegation", "受委托"),
    "detail.completed": Text("completed", "已完成"),
    "detail.satisfactory": Text("satisfactory", "满意"),
    "detail.unsatisfactory": Text("unsatisfactory", "不满意"),
    # --- values of the record ------------------------------------------------------------------
    "state.open": Text("open", "待决"),
    "state.adopted": Text("adopted", "通过"),
    "state.rejected": Text("rejected", "否决"),
    "state.revoked": Text("revoked", "已撤销"),
    "outcome.adopted": Text("adopted", "通过"),
    "outcome.rejected": Text("rejected", "否决"),
    "method.oral": Text("oral", "口头表决"),
    "method.show_of_hands": Text("show_of_hands", "举手表决"),
    "method.secret_ballot": Text("secret_ballot", "无记名投票"),
    "method.named_ballot": Text("named_ballot", "记名投票"),
    "choice.for": Text("for", "赞成"),
    "choice.against": Text("against", "反对"),
    "choice.abstain": Text("abstain", "弃权"),
    "stance.agree": Text("agree", "同意"),
    "stance.disagree": Text("disagree", "不同意"),
    "stance.abstain": Text("abstain", "弃权"),
    "stance.reserved": Text("reserved", "保留意见"),
    "category.major": Text("major", "重大事项"),
    "category.technical": Text("technical", "专业技术"),
    "category.public_interest": Text("public_interest", "涉及群众切身利益"),
    "category.cadre": Text("cadre", "干部任免"),
    "category.confidential": Text("confidential", "涉密"),
    "consultation.department": Text("department", "相关部门和单位"),
    "consultation.peoples_congress": Text("peoples_congress", "人大"),
    "consultation.cppcc": Text("cppcc", "政协"),
    "consultation.mass_organisation": Text("mass_organisation", "人民团体"),
    "consultation.other_party": Text("other_party", "民主党派"),
    "consultation.non_party": Text("non_party", "党外人士"),
    "consultation.wide": Text("wide", "广泛征询意见"),
    "consultation.expert_review": Text("expert_review", "专家论证"),
    "consultation.risk_assessment": Text("risk_assessment", "决策评估"),
    "consultation.public_notice": Text("public_notice", "公示"),
    "consultation.public_comment": Text("public_comment", "公开征求意见"),
    "consultation.legality_review": Text("legality_review", "合法性审查"),
    # Degrees of responsibility (ledger.domain.review.Degree), in the terms of the Party's
    # accountability regulations (中国共产党问责条例, 2019, art. 6) and disciplinary regulations
    # (直接责任者).
    "degree.direct": Text("direct", "直接责任"),
    "degree.principal": Text("principal", "主要领导责任"),
    "degree.important": Text("important", "重要领导责任"),
    "degree.reduced": Text("reduced", "从轻或者减轻问责"),
    "degree.waived": Text("waived", "免予问责"),
    # Posts (ledger.domain.member.Post), named by the ledger's level (ledger.domain.ledger.Level:
    # a county says 县长 and 常务副县长, a city 市长 and 常务副市长): ``post.<level>.<post>``
    # where the level changes the name, else ``post.<post>`` (vocabulary.posts).
    "post.county.secretary": Text("county Party secretary", "县委书记"),
    "post.city.secretary": Text("city Party secretary", "市委书记"),
    "post.county.deputy_secretary": Text("deputy secretary", "县委副书记"),
    "post.city.deputy_secretary": Text("deputy secretary", "市委副书记"),
    "post.county.head_of_government": Text("county head", "县长"),
    "post.city.head_of_government": Text("mayor", "市长"),
    "post.full_time_deputy_secretary": Text("full-time deputy secretary", "专职副书记"),
    "post.county.discipline_secretary": Text("discipline inspection secretary", "县纪委书记"),
    "post.city.discipline_secretary": Text("discipline inspection secretary", "市纪委书记"),
    "post.organisation_head": Text("organisation head", "组织部部长"),
    "post.propaganda_head": Text("propaganda head", "宣传部部长"),
    "post.political_legal_secretary": Text("political-legal secretary", "政法委书记"),
    "post.secretary_general": Text("secretary-general", "秘书长"),
    "post.united_front_head": Text("united front head", "统战部部长"),
    "post.county.executive_deputy_head": Text("executive deputy county head", "常务副县长"),
    "post.city.executive_deputy_head": Text("executive deputy mayor", "常务副市长"),
    "post.county.standing_member": Text("standing committee member", "县委常委"),
    "post.city.standing_member": Text("standing committee member", "市委常委"),
    "post.county.member": Text("committee member", "县委委员"),
    "post.city.member": Text("committee member", "市委委员"),
    "person.office": Text("office", "办公室"),
    # Event types as people name them (the type itself stays in JSON and the record format);
    # every registered type (ledger.domain.EVENT_TYPES) has one (tests/cli/test_words.py).
    "event.ledger.initialised": Text("ledger created", "台账创建"),
    "event.key.registered": Text("key registered", "密钥登记"),
    "event.key.revoked": Text("key revoked", "密钥吊销"),
    "event.member.registered": Text("member registered", "委员登记"),
    "event.member.assigned": Text("posts and portfolio assigned", "职务和分工调整"),
    "event.member.left": Text("member left", "委员离任"),
    "event.body.established": Text("body established", "机构设立"),
    "event.body.member_joined": Text("joined a body", "加入机构"),
    "event.body.member_left": Text("left a body", "退出机构"),
    "event.matter.opened": Text("matter opened", "议题立项"),
    "event.matter.research_recorded": Text("research recorded", "调查研究"),
    "event.matter.alternative_added": Text("alternative plan added", "备选方案"),
    "event.matter.consulted": Text("consultation", "征求意见"),
    "event.matter.cross_portfolio_consulted": Text("cross-portfolio consultation", "跨分工沟通"),
    "event.matter.proposed": Text("matter proposed", "提出议题"),
    "event.matter.coordinated": Text("matter coordinated", "协调议题"),
    "event.matter.agenda_approved": Text("agenda approved", "确定议题"),
    "event.matter.decided": Text("decision made", "作出决策"),
    "event.matter.deferred": Text("matter deferred", "暂缓决策"),
    "event.matter.assignment_made": Text("assignment made", "交办落实"),
    "event.matter.progress_reported": Text("progress reported", "报告进展"),
    "event.matter.supervision_checked": Text("supervision check", "督查"),
    "event.matter.reconsideration_agreed": Text("reconsideration agreed", "同意复议"),
    "event.matter.changed": Text("decision changed", "调整或变更决策"),
    "event.matter.revoked": Text("decision revoked", "撤销决策"),
    "event.matter.published": Text("decision made public", "公开决策"),
    "event.meeting.scheduled": Text("meeting called", "召开会议"),
    "event.meeting.item_added": Text("item added to the agenda", "增加议题"),
    "event.meeting.notice_sent": Text("notice sent", "会议通知"),
    "event.meeting.opened": Text("meeting opened", "会议开始"),
    "event.meeting.interest_declared": Text("interest declared", "说明利害关系"),
    "event.meeting.withdrawal_declared": Text("withdrawal declared", "回避"),
    "event.meeting.presented": Text("item presented", "汇报议题"),
    "event.meeting.opinion_stated": Text("opinion stated", "发表意见"),
    "event.meeting.written_view_submitted": Text("written view submitted", "书面意见"),
    "event.meeting.item_deferred": Text("item deferred", "暂缓表决"),
    "event.meeting.vote_taken": Text("vote taken", "表决"),
    "event.meeting.result_announced": Text("result announced", "宣布表决结果"),
    "event.meeting.closed": Text("meeting closed", "会议结束"),
    "event.meeting.minutes_issued": Text("minutes issued", "印发纪要"),
    "event.emergency.action_taken": Text("emergency action taken", "临机处置"),
    "event.emergency.reported": Text("emergency action reported", "事后报告临机处置"),
    "event.emergency.acknowledged": Text("emergency report acknowledged", "临机处置报告听取"),
    "event.report.delivered": Text("report delivered", "报告"),
    "event.review.opened": Text("accountability review opened", "启动问责"),
    "event.review.concluded": Text("accountability review concluded", "问责结论"),
    "event.delegation.granted": Text("delegation granted", "授权委托"),
    "event.delegation.withdrawn": Text("delegation withdrawn", "撤回委托"),
    "event.ruleset.adopted": Text("rule set adopted", "采用规则集"),
    "event.ruleset.readopted": Text("rule set adopted again", "重新采用规则集"),
    "event.calendar.adopted": Text("working-day calendar adopted", "采用工作日历"),
    "event.calendar.readopted": Text("working-day calendar adopted again", "重新采用工作日历"),
    "event.transcription.recorded": Text("transcribed from paper", "据纸质记录补录"),
    "event.correction.recorded": Text("correction recorded", "更正"),
    # --- a matter's history, one line per event (projections/views.py summarise) -------------
    "history.matter.opened": Text(
        "matter opened: {title} (in charge: {in_charge})",
        "议题立项：{title}（分管负责：{in_charge}）",
    ),
    "history.matter.research_recorded": Text(
        "research by {by}: {summary}", "{by}调查研究：{summary}"
    ),
    "history.matter.alternative_added": Text("alternative plan: {title}", "备选方案：{title}"),
    "history.matter.consulted": Text(
        "{kind} by {party}: {outcome}", "{kind}（{party}）：{outcome}"
    ),
    "history.matter.cross_portfolio_consulted": Text("discussed with {member}", "与{member}沟通"),
    "history.matter.proposed": Text("proposed by {by}", "{by}提出议题"),
    "history.matter.coordinated": Text("coordinated by {by}", "{by}协调"),
    "history.matter.agenda_approved": Text("agenda approved by {by}", "{by}确定议题"),
    "history.meeting.scheduled": Text(
        "meeting called: {title}, chair {chair}", "召开会议：{title}，主持人{chair}"
    ),
    "history.meeting.notice_sent": Text("members notified", "已通知委员"),
    "history.meeting.opened": Text(
        "meeting opened: {present} present of {roster}",
        "会议开始：应到 {roster} 人，实到 {present} 人",
    ),
    "history.meeting.interest_declared": Text(
        "{member} declared an interest", "{member}说明利害关系"
    ),
    "history.meeting.withdrawal_declared": Text("{member} withdrew (回避)", "{member}回避"),
    "history.meeting.presented": Text("presented by {by}", "{by}汇报议题"),
    "history.meeting.opinion_stated": Text("{member}: {stance}", "{member}：{stance}"),
    "history.meeting.written_view_submitted": Text(
        "written view of {member}: {stance}", "{member}书面意见：{stance}"
    ),
    "history.meeting.item_deferred": Text("deferred: {reason}", "暂缓表决：{reason}"),
    "history.meeting.vote_taken": Text(
        "vote ({method}): {votes_for} for, {votes_against} against, {abstentions} abstaining",
        "表决（{method}）：赞成 {votes_for}、反对 {votes_against}、弃权 {abstentions}",
    ),
    "history.meeting.result_announced": Text("{by} announced: {outcome}", "{by}宣布：{outcome}"),
    "history.matter.decided": Text("decided: {outcome}", "作出决策：{outcome}"),
    "history.meeting.closed": Text("meeting closed", "会议结束"),
    "history.meeting.minutes_issued": Text("minutes issued by {by}", "{by}印发纪要"),
    "history.matter.assignment_made": Text("assigned to {to}: {task}", "交由{to}落实：{task}"),
    "history.matter.progress_reported": Text(
        "progress by {by}: {summary}", "{by}报告进展：{summary}"
    ),
    "history.matter.supervision_checked": Text(
        "supervision by {by}: {summary}", "{by}督查：{summary}"
    ),
    "history.matter.changed": Text("changed: {summary}", "调整或变更：{summary}"),
    "history.matter.revoked": Text("revoked: {reason}", "撤销：{reason}"),
    "history.matter.deferred": Text("deferred: {reason}", "暂缓表决：{reason}"),
    "history.matter.published": Text("made public: {channel}", "公开发布：{channel}"),
    "history.matter.reconsideration_agreed": Text(
        "reconsideration agreed: {reason}", "同意复议：{reason}"
    ),
    "history.emergency.action_taken": Text(
        "emergency action by {by}: {summary}", "{by}临机处置：{summary}"
    ),
    "history.emergency.reported": Text("emergency action reported by {by}", "{by}事后报告临机处置"),
    "history.review.opened": Text(
        "accountability review opened: {reason}", "启动决策失误责任追究：{reason}"
    ),
    "history.review.concluded": Text(
        "review concluded: {conclusion}", "责任追究结论：{conclusion}"
    ),
    "history.correction.recorded": Text(
        "correction of event {corrects}: {reason}", "更正事件 {corrects}：{reason}"
    ),
    # --- export and verify-archive (cli/export.py) ----------------------------------------------
    "field.scope": Text("scope", "范围"),
    "field.events": Text("events", "事件"),
    "field.withheld": Text("withheld", "隐去"),
    "field.matters": Text("matters", "议题"),
    "field.decision_proofs": Text("decisions", "决策证明"),
    "field.ledger": Text("ledger", "台账"),
    "field.held": Text("held", "所持检查点"),
    "field.verify_with": Text("verify with", "核验命令"),
    "export.progress": Text("exporting", "正在导出"),
    "export.exists": Text(
        "{path} exists: choose another name, or give --force to replace it",
        "{path} 已存在：请换一个文件名，或加 --force 覆盖",
    ),
    "export.written": Text(
        "archive written: {path} ({size}, {members} members)",
        "档案已写入：{path}（{size}，{members} 个成员）",
    ),
    "export.scope_whole": Text("the whole ledger", "整本台账"),
    "export.scope_matter": Text("{count} matter(s)", "{count} 个议题"),
    "export.scope_period": Text(
        "events recorded from {since} to {until}", "{since} 至 {until} 期间记录的事件"
    ),
    "export.open_start": Text("the first", "最早"),
    "export.open_end": Text("the checkpoint", "检查点"),
    "export.events": Text(
        "{events} of the checkpoint's {size}", "{events} 个（检查点共 {size} 个）"
    ),
    "export.withheld": Text(
        "{events} events of {matters} matter(s): payloads withheld, positions listed in the "
        "manifest",
        "{matters} 个议题的 {events} 个事件：内容已隐去，序号列入 manifest",
    ),
    "export.none": Text("none", "无"),
    "export.pages": Text(
        "{count}, in Chinese and English (html/)", "{count} 个，中英文各一份（html/）"
    ),
    "export.decision_proofs": Text(
        "{count} C2SP tlog-proof files (proofs/)", "{count} 个 C2SP tlog-proof 文件（proofs/）"
    ),
    "verify_archive.ok": Text(
        "archive verified: {scope}, {events} events", "档案核验无误：{scope}，{events} 个事件"
    ),
    "verify_archive.scope_whole": Text("the whole ledger", "整本台账"),
    "verify_archive.scope_matter": Text("{count} matter(s)", "{count} 个议题"),
    "verify_archive.scope_period": Text("a period", "一个期间"),
    "verify_archive.checkpoint": Text(
        "{size} events, tree head {root}, signed", "{size} 个事件，树根 {root}，签名有效"
    ),
    "verify_archive.cosigned": Text("cosigned by {names}", "见证方已签名：{names}"),
    "verify_archive.withheld": Text(
        "{count} events: payloads withheld and listed; their commitments, hashes and "
        "signatures verified",
        "{count} 个事件：内容已隐去并列入清单；其承诺值、哈希与签名核验无误",
    ),
    "verify_archive.none": Text("none", "无"),
    "verify_archive.held_ok": Text(
        "{size} events: the archive's log extends it unchanged",
        "{size} 个事件：档案中的日志在其基础上延续，未被改动",
    ),
    "verify_archive.anchor_archive": Text(
        "(taken from the archive itself: this shows only that the archive agrees with itself; "
        "pin the key with --trusted-key or --trust)",
        "（取自档案自身：只能说明档案自身一致；请用 --trusted-key 或 --trust 固定密钥）",
    ),
    "verify_archive.anchor_policy": Text("(from the trust policy)", "（取自信任策略）"),
    "verify_archive.proofs": Text(
        "{proofs} decision proofs verified; {matters} matters rendered in html/ (for reading, "
        "not evidence)",
        "{proofs} 个决策证明核验无误；html/ 中呈现 {matters} 个议题（供阅读，非证据）",
    ),
    "verify_archive.failed": Text("integrity failure in {member}", "完整性校验失败：{member}"),
    "verify_archive.failed_at": Text(
        "integrity failure in {member} at position {position}",
        "完整性校验失败：{member}，序号 {position}",
    ),
    "verify_archive.report": Text(
        "misbehaviour report written to {path}: hand it to whoever oversees the ledger",
        "违规证据报告已写入 {path}：请交给台账的监督方",
    ),
    # --- html/ pages of an archive (archive/html.py) --------------------------------------------
    "html.matter_title": Text("{title}: decision file", "{title}：决策档案"),
    "html.ledger": Text("Ledger: {name}", "台账：{name}"),
    "html.checkpoint": Text(
        "Signed checkpoint of {origin}: {size} events", "{origin} 的签名检查点：{size} 个事件"
    ),
    "html.as_of": Text("The record as it stood at {as_of}", "记录截至 {as_of}"),
    "html.period": Text(
        "This archive holds the events recorded from {since} to {until}, with the context "
        "needed to read them.",
        "本档案收录 {since} 至 {until} 期间记录的事件，以及阅读所需的背景事件。",
    ),
    "html.partial_note": Text(
        "Only the events of this matter that the archive holds are shown: events recorded "
        "outside its period are not.",
        "仅显示本档案收录的本议题事件：不含该期间以外记录的事件。",
    ),
    "html.state": Text("State: {state}", "状态：{state}"),
    "html.matter_id": Text("Matter id: {matter}", "议题编号：{matter}"),
    "html.decisions": Text("Decision", "决策"),
    "html.no_decision": Text("No decision on the record.", "记录中尚无决策。"),
    "html.timeline": Text("History", "过程记录"),
    "html.col_section": Text("step", "环节"),
    "html.col_event": Text("what happened", "经过"),
    "html.col_categories": Text("categories", "类别"),
    "html.col_events": Text("events", "事件数"),
    "html.withheld_event": Text(
        "{type}: content withheld from this archive", "{type}：内容未收入本档案"
    ),
    "html.roles": Text(
        "Accountability trace: every part and who held it", "责任追溯：各环节及其责任人"
    ),
    "html.findings": Text("Findings ({count})", "发现的问题（{count} 个）"),
    "html.index_title": Text("Archive of {name}", "{name}档案"),
    "html.index_matters": Text("Matters ({count})", "议题（{count} 个）"),
    "html.index_withheld": Text(
        "The content of {events} events is withheld from this archive; their existence, "
        "times and signatures remain verifiable (manifest.json lists their positions).",
        "本档案隐去了 {events} 个事件的内容；这些事件的存在、时间和签名仍可核验"
        "（manifest.json 列出其序号）。",
    ),
    "trace.page_written": Text("page written to {path}", "页面已写入 {path}"),
    "html.live_note": Text(
        "This page is a rendering of the ledger for reading and printing, and is not signed. The "
        "evidence is the ledger itself: check it with `ledger verify`, or hand an auditor an "
        "archive (`ledger export`) to check with `ledger verify-archive`.",
        "本页是台账的阅读和打印版本，未经签名。证据是台账本身：可用 `ledger verify` 核验，"
        "或导出档案包（`ledger export`）交审计人员用 `ledger verify-archive` 核验。",
    ),
    "html.evidence_note": Text(
        "This page is a rendering for reading and printing, and is not signed. The evidence is "
        "records.txt, checkpoint.txt and the proofs in this archive: verify them with "
        "`ledger verify-archive` or `python3 verify_archive.py` (README.txt).",
        "本页仅供阅读和打印，本身没有签名。证据是本档案中的 records.txt、checkpoint.txt 和证明"
        "文件：请用 `ledger verify-archive` 或 `python3 verify_archive.py` 核验（见 README.txt）。",
    ),
}
