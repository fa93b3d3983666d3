"""Reading a reply to a yes/no question by what it means for that question, never by one shared list.

People answer a yes/no question with more than yes and no. 없어요, 没做过, 無 and "never" say that
the thing asked about never happened or is not there; 있어요 and 有 say that it is. What that
means depends on the question: "never had one" to "Have you had a major operation?" is no, to
"Have you fully recovered from your last operation?" it is yes. So each yes/no question says it
(``never_means`` in questionnaires/data/questions.yaml), and a reply is read as:

- a plain yes (예, 是, 對) or no (아니요, 否, 不是): yes or no, whatever the question;
- "never had it" (``input.never``: 없어요, 받은 적 없어요, 从未, 没做过, 無, never, none): the
  question's ``never_means``; "ask" means it answers neither, and the question is asked again;
- "there is / I have" (``input.has``: 있어요, 有): yes where "never had it" is no (the question asks
  whether something is there), else asked again;
- "not applicable" (해당 없음, 不适用): never a yes or a no, asked again;
- a word that means yes to this question only (``yes_words``: 보균자, 携带者, 帶原者, "a carrier"), or
  never-had-it to it only (``never_words``: 没有副作用 "no side effects" to "have the side effects gone?");
- one of the above with words of the question itself: 수술 받은 적 없어요, 没做过手术, 无副作用,
  有乙肝 (the words beside it must be in the question's own text). 没有 with a word of the question
  (没有副作用 "no side effects", 没有恢复 "not recovered") is a no only where "never had it" is
  also a no; elsewhere it is asked again.

Anything else is asked again: a reply is never guessed.
"""

from __future__ import annotations

import re
import unicodedata

from questionnaires.bank import Question, load_bank
from questionnaires.texts import t
from questionnaires.typed_words import words
from trials.i18n import DEFAULT_LOCALE


class UnclearReply(ValueError):
    """A reply that is not a clear yes or no for this question; the message says what to type."""


_TRAILING = re.compile(r"[\s.。!！~～…]+$")
_TOKENS = re.compile(r"[\s,，、;；.。!！~～]+")
# Korean particles a noun of the question may carry in the reply (수술을, 부작용이, 수술은, 부작용도).
_PARTICLES = re.compile(r"(?:은|는|이|가|을|를|도|에서|의|요)$")
_KINDS = ("yes", "no", "never", "has", "not_applicable")


def read_yes_no(question: Question, raw: str, locale: str = DEFAULT_LOCALE) -> bool:
    """The yes/no answer a reply gives to ``question`` (in ``locale``); :class:`UnclearReply` when it
    gives none."""
    text = _TRAILING.sub("", unicodedata.normalize("NFKC", raw).strip().lower())
    answer = _answer(question, text, locale)
    if answer is None:
        answer = _tokens_answer(question, text, locale)
    if answer is None:
        said_something = _kind(question, text, locale) is not None or any(
            _kind(question, part, locale) is not None for part in _TOKENS.split(text) if part
        )
        if said_something:  # 없어요 to "Could you become pregnant?", 不适用: a word, but no answer here
            raise UnclearReply(t("answers.unclear_yes_no", locale, answer=raw.strip()))
        raise UnclearReply(t("answers.yes_or_no", locale))
    return answer


def _answer(question: Question, text: str, locale: str) -> bool | None:
    kind = _kind(question, text, locale)
    if kind is None:
        return None
    return _meaning(question, kind)


def _kind(question: Question, text: str, locale: str) -> str | None:
    """What a reply says: yes, no, never, has, not_applicable, no_with (没有 + a word of the question)."""
    if text in _question_words(question, "yes_words"):
        return "yes"
    if text in _never_labels(question) or text in _question_words(question, "never_words"):
        return "never"  # the "never had one" button's words, typed; 没有副作用 to "have the side effects gone?"
    for kind in _KINDS:
        if text in words(kind, locale):
            return kind
    for kind in ("never", "has", "no"):
        for word in sorted(words(kind, locale), key=len, reverse=True):
            rest = text[len(word) :] if text.startswith(word) else text[: -len(word)] if text.endswith(word) else None
            if rest is not None and _of_the_question(rest, question):
                return "no_with" if kind == "no" else kind
    return None


def _meaning(question: Question, kind: str) -> bool | None:
    never = question.never_means or "no"
    if kind == "yes":
        return True
    if kind == "no":
        return False
    if kind == "never":
        return {"yes": True, "no": False}.get(never)
    if kind == "has":
        return True if never == "no" else None
    if kind == "no_with":
        return False if never == "no" else None
    return None  # not applicable


def _tokens_answer(question: Question, text: str, locale: str) -> bool | None:
    """ "네, 맞아요", "아니요, 없어요": every part read on its own, and all giving the same answer."""
    parts = [p for p in _TOKENS.split(text) if p]
    if len(parts) < 2:
        return None
    answers = {_answer(question, part, locale) for part in parts}
    return answers.pop() if len(answers) == 1 and None not in answers else None


def _of_the_question(rest: str, question: Question) -> bool:
    """Whether the words beside a yes/no/never word are all words of the question (수술, 副作用)."""
    said = " ".join([question.patient.text, question.patient.help, question.nurse.text, question.nurse.help]).lower()
    said_words = set(re.findall(r"[a-z0-9']+", said))
    parts = [_PARTICLES.sub("", p) if len(p) > 2 else p for p in _TOKENS.split(rest) if p]
    return bool(parts) and all(len(p) >= 2 and (p in said_words if p.isascii() else p in said) for p in parts)


def _never_labels(question: Question) -> frozenset[str]:
    """The question's "never had one" label in both modes, in the locale and in English."""
    english = load_bank().questions.get(question.linkId)
    labels = [q.never_label for q in (question, english) if q is not None and q.never_label is not None]
    return frozenset(
        _TRAILING.sub("", getattr(label, mode).lower()) for label in labels for mode in ("patient", "nurse")
    )


def _question_words(question: Question, field: str) -> frozenset[str]:
    """The question's own ``yes_words`` or ``never_words``, in the locale and in English."""
    english = load_bank().questions.get(question.linkId)
    lists = [getattr(q, field) or "" for q in (question, english) if q is not None]
    return frozenset(w.strip().lower() for text in lists for w in text.split(",") if w.strip())
