"""The coach on real prose (issue 18): quiet on products, organisations and components, still
loud on people.

The sentences here are written for this file (none is copied from the corpus). The corpus
test reads ``../shared/corpus`` in place when it exists (benchmarks/coach_prose.py) and
checks the count and the reader's judgements in ``benchmarks/data/coach_prose_judgements.json``.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from learnloop.coach.engine import analyse, is_blameful
from learnloop.coach.tests.reader_accepted import flagged

ROOT = Path(__file__).resolve().parents[3]
# The shared folder sits next to the main checkout (../shared), or two levels up from a
# worktree (/work/wt/<name> -> /work/shared).
CORPUS = next(
    (p / "corpus" for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()),
    ROOT.parent / "shared" / "corpus",
)

# Products, companies, components and verbs that look like cues: never a person.
NOT_PEOPLE = [
    "The outage traces back to Zookeeper leader elections timing out.",
    "Writes failed due to Cassandra compaction stalls on two nodes.",
    "The root cause was a Redshift vacuum job holding a lock for an hour.",
    "The slowdown came from Nginx worker limits set years ago.",
    "A bad certificate bundle, which lead to clients rejecting the handshake, shipped on Friday.",
    "This led to customers seeing stale prices for forty minutes.",
    "The incident was caused by an Elastic Beanstalk environment update.",
    "Requests piled up because of Heroku router timeouts.",
    "Latency rose due to the Memcached eviction storm in one zone.",
    "The cutover was narrowed down to a single Availability Zone.",
    "Most users did not notice the failover.",
    "We did not spot the regression because the staging data set had no long names.",
    "A deploy of an improperly configured rate limit took the API down.",
    "The fix landed with inadequate test coverage for the legacy path.",
    "An agent on the build host was terminated by the kernel's out-of-memory killer.",
    "The router's lax default timeout let connections pile up.",
    "The root cause was the maintainer's signing key being stolen.",
    "The incident began when a storage node lost power.",
    # An organisation's process judged, and a vendor's service affected (issue 18, round 2).
    "Findings: ACME's incident response was repeatedly inadequate (technicians could not"
    " reproduce the fault).",
    "The supplier shipped a breaking change that hit downstream systems like Fabrikam's service"
    " without warning them.",
]

# People: a member name, a name used like a name, a role as the subject of a slip.
PEOPLE = [
    "The outage traces back to Ingrid's late reorder.",
    "Tobias forgot to drain the node before the upgrade.",
    "Yara should have paged the database team.",
    "The root cause was an engineer running the cleanup script against production.",
    "The on-call failed to acknowledge the page for forty minutes.",
    "Leave it to Brenda to promise a refund we don't offer.",
    "The technician's checks were inadequate.",
    "Dana's review was inadequate.",
    "Kofi shipped a breaking change without warning anyone.",
]


@pytest.mark.parametrize("text", NOT_PEOPLE)
def test_products_components_and_affected_people_are_not_blamed(text: str) -> None:
    assert not flagged(text), [(f.signals, text[f.start : f.end]) for f in analyse(text)]


@pytest.mark.parametrize("text", PEOPLE)
def test_people_are_still_flagged(text: str) -> None:
    assert is_blameful(text), text


def test_a_member_name_is_a_person_even_where_a_product_would_not_be() -> None:
    # "Consul" alone, followed by a noun, reads as a component; named by the organisation it
    # is a person.
    text = "The outage traces back to Consul config changes."
    assert not analyse(text)
    assert analyse("The outage traces back to consul's late config change.", names=["Consul"])


def _bench() -> ModuleType:
    path = ROOT / "benchmarks" / "coach_prose.py"
    spec = importlib.util.spec_from_file_location("_coach_prose", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_the_splitter_keeps_the_summary_and_body_and_drops_front_matter() -> None:
    bench = _bench()
    raw = "---\nuuid: x\ntitle: T\nsummary: One line. Two line.\n---\n\nBody here. More."
    assert bench.prose_parts(raw) == ["One line. Two line.", "\n\nBody here. More."]
    assert bench.sentence_key("u", " A. ") == bench.sentence_key("u", "A.")


@pytest.mark.skipif(not (CORPUS / "postmortems").is_dir(), reason="shared corpus not present")
def test_corpus_flags_are_few_and_every_one_was_read() -> None:
    bench = _bench()
    judged = json.loads(bench.JUDGEMENTS.read_text(encoding="utf-8"))["judgements"]
    flags = [(key, signals) for key, _text, signals in bench.corpus_sentences(CORPUS) if signals]
    assert len(flags) <= 40
    verdicts = [judged.get(key, "unjudged") for key, _ in flags]
    assert "unjudged" not in verdicts, "a new flag: read it and add a judgement"
    assert verdicts.count("neutral") <= len(flags) * 0.1
    # Issue 18's target: at least 80% of the flags blameful to a careful reader (20 flags,
    # 17 blameful, 3 borderline on 2026-12-03).
    assert verdicts.count("blame") >= 0.8 * len(flags), verdicts


# --- implicit blame (issue 18, item 2) ------------------------------------------------------

FRESH_EVAL = ROOT / "benchmarks" / "data" / "coach_fresh_eval.jsonl"
TRAIN = Path(__file__).parent / "data" / "implicit_train.jsonl"

#: First score of benchmarks/data/coach_fresh_eval.jsonl (written before the implicit rules,
#: scored once with the engine after the named-person fix): P 0.897, R 0.481, F1 0.627,
#: hard-blameless FP 3/48. After the implicit rules (tuned on TRAIN, not on this set, but by
#: the same author): P 0.929, R 0.722, F1 0.813, hard FP 3/48. These floors guard the latter.
FRESH_EVAL_FLOORS = {"precision": 0.92, "f1": 0.80, "hard_blameless_fpr": 0.07}


def test_the_fresh_evaluation_set_is_well_formed_and_kept_apart() -> None:
    from learnloop.coach.evaluation import read_jsonl

    rows = read_jsonl(FRESH_EVAL)
    train = {r["text"] for r in read_jsonl(TRAIN)}
    assert len(rows) >= 100
    assert {r["domain"] for r in rows} == {
        "healthcare",
        "aviation",
        "retail",
        "teaching",
        "public services",
        "software",
    }
    assert not train & {r["text"] for r in rows}
    assert sum(r["label"] == "blameless" and r["hard"] for r in rows) >= 40


def test_the_fresh_evaluation_set_stays_above_its_floors() -> None:
    from learnloop.coach.evaluation import read_jsonl, score_engine

    m = score_engine(read_jsonl(FRESH_EVAL))
    assert m["precision"] >= FRESH_EVAL_FLOORS["precision"], m
    assert m["f1"] >= FRESH_EVAL_FLOORS["f1"], m
    assert m["hard_blameless_fpr"] <= FRESH_EVAL_FLOORS["hard_blameless_fpr"], m


def test_the_rules_never_flag_a_blameless_training_sentence_and_catch_most_blame() -> None:
    from learnloop.coach.evaluation import read_jsonl

    rows = read_jsonl(TRAIN)
    assert len(rows) >= 240
    caught = 0
    for r in rows:
        flagged = is_blameful(r["text"])
        if r["label"] == "blame":
            caught += flagged
        else:
            assert not flagged, r["text"]
    # A tuning score (round 10 was written against these sentences): 93/110 on 2026-12-03.
    assert caught >= 0.8 * sum(r["label"] == "blame" for r in rows)


# --- fresh set 2 (issue 18, round 2): written and committed before round 10 ---------------

FRESH_EVAL2 = ROOT / "benchmarks" / "data" / "coach_fresh_eval2.jsonl"
#: First score with the round-10 rules (2026-12-03): P 0.968, R 0.536, F1 0.690, hard FP 1/56
#: (before round 10, the engine as it stood when the set was written: F1 0.643, hard FP 1/56).
FRESH_EVAL2_FLOORS = {"precision": 0.95, "f1": 0.68, "hard_blameless_fpr": 0.036}


def test_fresh_set_2_is_well_formed_and_kept_apart() -> None:
    from learnloop.coach.evaluation import read_jsonl

    rows = read_jsonl(FRESH_EVAL2)
    assert len(rows) == 128 and len({r["id"] for r in rows}) == 128
    assert len({r["domain"] for r in rows}) == 8
    others = {r["text"] for r in read_jsonl(TRAIN)} | {r["text"] for r in read_jsonl(FRESH_EVAL)}
    assert not others & {r["text"] for r in rows}
    assert sum(r["label"] == "blameless" and r["hard"] for r in rows) >= 50


def test_fresh_set_2_stays_above_its_first_score() -> None:
    from learnloop.coach.evaluation import read_jsonl, score_engine

    m = score_engine(read_jsonl(FRESH_EVAL2))
    assert m["precision"] >= FRESH_EVAL2_FLOORS["precision"], m
    assert m["f1"] >= FRESH_EVAL2_FLOORS["f1"], m
    assert m["hard_blameless_fpr"] <= FRESH_EVAL2_FLOORS["hard_blameless_fpr"], m


@pytest.mark.parametrize(
    "text",
    [
        "The line lead loaded the wrong recipe and we scrapped a whole batch.",
        "A cashier rang up the promotion twice.",
        "The picker miscounted the bags.",
        "Top marks to the night crew for passing a batch with no labels.",
        "Priya cannot be left alone with production.",
        "The clerk responsible has been demoted to the post room.",
        "The engineer who dropped the table has been let go.",
        "What was the store manager thinking?",
        "Thirty seconds with the checklist was all it needed.",
    ],
)
def test_round_10_reads_implicit_blame_in_new_words(text: str) -> None:
    assert is_blameful(text), text


@pytest.mark.parametrize(
    "text",
    [
        "Forty customers received the wrong size.",
        "The line lead loaded the wrong recipe because two recipes share a name.",
        "Hats off to ground ops, who re-planned the stands in the storm.",
        "Brilliant work by the release team, who rolled back the debug build within ten minutes.",
        "The patient recovered fully and went home on Tuesday.",
        "Describing this as human error would stop us looking at the deploy tool.",
        "The engineer has not been let go.",
        "What was the dashboard showing at the time?",
    ],
)
def test_round_10_stays_quiet_on_the_same_shapes_told_blamelessly(text: str) -> None:
    assert not flagged(text), text


@pytest.mark.parametrize(
    "text",
    [
        "An engineer made a typo in the proxy config and the site went down.",
        "Tired admin deleted the wrong directory on the primary.",
        "Engineers deleted the production database by accident.",
        "The operator pressed the wrong button and the line stopped.",
        "Someone forgot to renew the domain.",
    ],
)
def test_a_slip_told_as_a_persons_act_is_flagged(text: str) -> None:
    assert is_blameful(text), text


@pytest.mark.parametrize(
    "text",
    [
        "The operator pressed the wrong button because the two buttons look the same.",
        "At 10:02 the admin deleted the directory the runbook named.",
        "Engineers deleted the old volumes after the migration, as planned.",
        "The engineer said she made a typo while the config editor lagged.",
    ],
)
def test_the_same_slip_with_its_conditions_is_not(text: str) -> None:
    assert not is_blameful(text), text


# --- fresh set 3 (issue 18, round 3): written and committed before any round-11 change ------

FRESH_EVAL3 = ROOT / "benchmarks" / "data" / "coach_fresh_eval3.jsonl"
#: First score with the round-11 rules (2026-12-04, main 27cf191): P 0.976, R 0.586, F1 0.732,
#: hard FP 1/60 (when the set was written, round-10 rules: F1 0.615, hard FP 2/60). A floor
#: against regressions, not an estimate after any later change.
FRESH_EVAL3_FLOORS = {"precision": 0.95, "f1": 0.72, "hard_blameless_fpr": 0.034}


def test_fresh_set_3_stays_above_its_first_score() -> None:
    from learnloop.coach.evaluation import read_jsonl, score_engine

    m = score_engine(read_jsonl(FRESH_EVAL3))
    assert m["precision"] >= FRESH_EVAL3_FLOORS["precision"], m
    assert m["f1"] >= FRESH_EVAL3_FLOORS["f1"], m
    assert m["hard_blameless_fpr"] <= FRESH_EVAL3_FLOORS["hard_blameless_fpr"], m


def test_fresh_set_3_is_well_formed_and_kept_apart() -> None:
    from learnloop.coach.evaluation import read_jsonl

    rows = read_jsonl(FRESH_EVAL3)
    assert len(rows) == 150 and len({r["id"] for r in rows}) == 150
    domains = {r["domain"] for r in rows}
    assert len(domains) == 10
    # Domains used by no earlier set and no training file.
    earlier = {r.get("domain") for r in read_jsonl(TRAIN) + read_jsonl(FRESH_EVAL)}
    earlier |= {r["domain"] for r in read_jsonl(FRESH_EVAL2)}
    assert not domains & earlier
    others = {r["text"] for r in read_jsonl(TRAIN)} | {r["text"] for r in read_jsonl(FRESH_EVAL)}
    others |= {r["text"] for r in read_jsonl(FRESH_EVAL2)}
    assert not others & {r["text"] for r in rows}
    blameless = [r for r in rows if r["label"] == "blameless"]
    assert sum(r["hard"] for r in blameless) >= 0.7 * len(blameless)
    assert all(r["signals"] for r in rows if r["label"] == "blame")
    assert not any(r["signals"] for r in blameless)


TRAIN2 = Path(__file__).parent / "data" / "implicit_train2.jsonl"


def test_round_11_training_sentences_are_kept_apart_and_mostly_caught() -> None:
    from learnloop.coach.evaluation import read_jsonl

    rows = read_jsonl(TRAIN2)
    assert len(rows) >= 300 and len({r["id"] for r in rows}) == len(rows)
    evals = [FRESH_EVAL, FRESH_EVAL2, FRESH_EVAL3]
    eval_domains = {r["domain"] for path in evals for r in read_jsonl(path)}
    assert not {r["domain"] for r in rows} & eval_domains
    assert not {r["text"] for r in rows} & {r["text"] for p in evals for r in read_jsonl(p)}
    blame = [r for r in rows if r["label"] == "blame"]
    caught = sum(is_blameful(r["text"]) for r in blame)
    false_flags = [r["text"] for r in rows if r["label"] != "blame" and is_blameful(r["text"])]
    # A tuning score (round 11 was written against these sentences): 73/112 caught and 3
    # blameless flagged on 2026-12-04 (two "human error" rejections and a patient going home).
    assert caught >= 0.6 * len(blame)
    assert len(false_flags) <= 3, false_flags


# --- round 11 (engine/rules/frames.py): the frames fire on their shapes, not on accounts -----


@pytest.mark.parametrize(
    "text",
    [
        "Quinn has been moved to the counter and won't be driving a round again.",
        "Mr Adebayo will not be running a polling station at the next election.",
        "Driver Kowalski is not to operate the compactor again.",
        "Whose clever idea was it to issue drawings marked for tender to the site?",
        "How many parcels does a driver need to lose before he reads the scanner?",
        "Is checking a right-to-work document really beyond our onboarding team?",
        "Of all people, it was Odile who shipped the draft instead of the final.",
        "The night supervisor treats the spill kit as a museum piece.",
        "Our prepress lead checks proofs the way a cat checks the post.",
        "The deposit went missing because the cashier stuffed it in a drawer.",
        "From next week, every quote Bruno sends needs his manager's written approval.",
        "Our lettings manager thinks the inventory is somebody else's job.",
    ],
)
def test_round_11_frames_read_blame_in_new_words(text: str) -> None:
    assert is_blameful(text), text


QUIET_PROBES = [
    "The order shipped late because the carrier's depot closed for the storm.",
    "The dose was late because the nurse was covering two wards.",
    "The restart happened because the operator followed the runbook.",
    "The van was late because they took the ring road during the closure.",
    "From Monday, every refund over 500 needs a manager's approval.",
    "Drivers will not be working alone after dark from now on.",
    "The nurse is not to blame for the pump's default setting.",
    "Who approves refunds over 500?",
    "How did the dashboard miss the spike?",
    "The new hire makes a point of reading every runbook.",
    "The on-call runs the failover the way the runbook describes.",
    "Whose turn is it to run the retro?",
    "Priya restarted the pods after two responders agreed the restart was low risk.",
    "The exporter thinks in UTC, and the dashboard in local time.",
]


@pytest.mark.parametrize("text", QUIET_PROBES)
def test_round_11_frames_stay_quiet_on_accounts_and_policies(text: str) -> None:
    # The rules' frames (the learned stage's rate on these is in test_learned.py).
    assert not is_blameful(text, learned=False), text
