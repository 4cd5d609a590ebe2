"""What changed in the registry data between two published versions, in plain sentences.

A pure function on two snapshots (notices.services.notice_snapshot_build), never the database:
a comparison stays what it was when the versions were frozen. As in the registry blocks
(notices.templatetags.notice_blocks), a name is taken in the page's language, never in the
other one: without a Dutch name, a Dutch reader is told so rather than shown the French one.
"""

from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from notices.templatetags.notice_blocks import in_lang, org_name

__all__ = ["registry_changes"]


def _text(value, language):
    """The text of a {"fr", "nl"} pair (or a {code, fr, nl} label) in `language`, else ""."""
    if isinstance(value, str):
        return value
    return in_lang(value, language).strip()


def _name(value, language):
    """A name for a sentence: never the other language's, but never silently empty either."""
    return _text(value, language) or gettext("(name not available in this language)")


def _same(old, new, language):
    return _text(old, language) == _text(new, language)


def _code(label):
    return label.get("code") if isinstance(label, dict) else label


def _key(item):
    return item if isinstance(item, str) else item.get("slug")


def _quoted(names):
    """Activity names quoted the way the language quotes them, in a list."""
    return ", ".join(gettext("“%(activity)s”") % {"activity": name} for name in names)


class _Registry:
    """Read access to one registry snapshot, tolerant of missing keys."""

    def __init__(self, data, language):
        self.data, self.language = data or {}, language
        self.organisations = self.data.get("organisations") or {}
        listed = [act for act in self.data.get("activities") or [] if act.get("slug")]
        self.activities = {act["slug"]: act for act in listed}
        self.order = [act["slug"] for act in listed]

    def org(self, slug):
        return org_name(self.organisations.get(slug), self.language) or _name(None, self.language)

    def activity_name(self, slug):
        return _name(self.activities[slug].get("name"), self.language)

    def items(self, kind):
        """Every item of one kind used by some activity, by key, in order of first use."""
        found = {}
        for slug in self.order:
            for item in self.activities[slug].get(kind) or []:
                found.setdefault(_key(item), item)
        return found

    def item_name(self, kind, item):
        if kind in ("sources", "processors"):
            return self.org(item)
        name = _name(item.get("name"), self.language)
        display = _text(item.get("display"), self.language) if kind == "retention" else ""
        if display:
            return gettext("%(rule)s (%(duration)s)") % {"rule": name, "duration": display}
        return name


# Every sentence, by a short key: lazy, so that it is translated when said, in the page's
# language. An item added to (or removed from) several activities is said once, naming them all.
MESSAGES = {
    "legal_bases.added": _("Legal basis added to %(activities)s: %(item)s"),
    "legal_bases.removed": _("Legal basis removed from %(activities)s: %(item)s"),
    "data_categories.added": _("Data category added to %(activities)s: %(item)s"),
    "data_categories.removed": _("Data category removed from %(activities)s: %(item)s"),
    "subject_categories.added": _("Category of persons added to %(activities)s: %(item)s"),
    "subject_categories.removed": _("Category of persons removed from %(activities)s: %(item)s"),
    "sources.added": _("Source added to %(activities)s: %(item)s"),
    "sources.removed": _("Source removed from %(activities)s: %(item)s"),
    "recipients.added": _("Recipient added to %(activities)s: %(item)s"),
    "recipients.removed": _("Recipient removed from %(activities)s: %(item)s"),
    "processors.added": _("Processor added to %(activities)s: %(item)s"),
    "processors.removed": _("Processor removed from %(activities)s: %(item)s"),
    "retention.added": _("Retention period added to %(activities)s: %(item)s"),
    "retention.removed": _("Retention period removed from %(activities)s: %(item)s"),
    "activity.new": _("New processing activity: %(activity)s"),
    "activity.renamed": _("The processing activity “%(old)s” is now called “%(new)s”"),
    "activity.purposes": _("The purposes of “%(activity)s” changed"),
    "activity.removed": _("Processing activity removed: %(activity)s"),
    "activity.controller": _("The controller of “%(activity)s” is now %(org)s"),
    "activity.role": _("The role of the Agency in “%(activity)s” changed from %(old)s to %(new)s"),
    "activity.rights": _("Who answers your requests about “%(activity)s” changed: %(who)s"),
    "activity.pseudonymisation": _(
        "How the data of “%(activity)s” identify people changed from %(old)s to %(new)s"
    ),
    "activity.profiling.on": _("“%(activity)s” now involves profiling"),
    "activity.profiling.off": _("“%(activity)s” no longer involves profiling"),
    "activity.decisions.on": _("“%(activity)s” now involves automated individual decisions"),
    "activity.decisions.off": _("“%(activity)s” no longer involves automated individual decisions"),
    "activity.no_recipients.on": _("The data of “%(activity)s” are now disclosed to no recipient"),
    "activity.no_recipients.off": _(
        "The data of “%(activity)s” may now be disclosed to recipients"
    ),
    "renamed": _("“%(old)s” is now called “%(new)s”"),
    "recipient.condition": _("The conditions for disclosing data to “%(recipient)s” changed"),
    "basis.point.changed": _("The legal basis “%(basis)s” now rests on %(new)s instead of %(old)s"),
    "basis.point.added": _("The legal basis “%(basis)s” now also rests on %(new)s"),
    "basis.point.removed": _("The legal basis “%(basis)s” no longer rests on %(old)s"),
    "basis.text": _("The legal basis “%(basis)s” changed"),
    "retention.duration": _("Retention of “%(rule)s” changed from %(old)s to %(new)s"),
    "retention.start": _("The retention period “%(rule)s” now starts at: %(start)s"),
    "controller.new": _("The controller is now %(org)s"),
    "controller.name": _("The controller's name changed from %(old)s to %(new)s"),
    "controller.email": _("The controller's e-mail address changed from %(old)s to %(new)s"),
    "controller.address": _("The controller's postal address changed"),
    "controller.website": _("The controller's website changed"),
    "dpo.removed": _("The contact details of the data protection officer were removed"),
    "dpo.name": _("The data protection officer is now %(name)s"),
    "dpo.email": _("The data protection officer's e-mail address changed from %(old)s to %(new)s"),
    "dpo.phone": _("The data protection officer's phone number changed from %(old)s to %(new)s"),
    "dpo.postal_address": _("The data protection officer's postal address changed"),
    "transfer.new": _("New transfer outside the European Economic Area for “%(activity)s”: %(to)s"),
    "transfer.safeguard": _(
        "The safeguard for the transfer to %(to)s (“%(activity)s”) changed from %(old)s to %(new)s"
    ),
    "transfer.ended": _(
        "Transfer outside the European Economic Area ended for “%(activity)s”: %(to)s"
    ),
    "org.renamed": _("%(old)s is now called %(new)s"),
    "org.contact": _("The contact details of %(org)s changed"),
    "org.rights": _("How to exercise your rights with %(org)s changed"),
    "insurer.new": _("New health insurance fund: %(org)s"),
    "insurer.gone": _("Health insurance fund no longer listed: %(org)s"),
}
# Collections whose items may be new to the whole notice, or gone from it.
_NOTICE_WIDE = ("sources", "recipients", "processors", "retention")
_VOCABULARY_KINDS = ("legal_bases", "data_categories", "subject_categories", "recipients")
_COLLECTIONS = (*_VOCABULARY_KINDS[:3], *_NOTICE_WIDE)


class _Messages(list):
    """The sentences said so far, each once, in the order said."""

    def say(self, key, **params):
        message = str(MESSAGES[key]) % params
        if message not in self:
            self.append(message)


def registry_changes(old: dict, new: dict, *, language: str) -> list[str]:
    """The changes from the registry snapshot `old` to `new`, as sentences in `language`.

    Ordered (contacts, activities, their items, vocabulary, organisations), each said once.
    """
    with translation.override(language):
        old, new, out = _Registry(old, language), _Registry(new, language), _Messages()
        _contacts(old, new, language, out)
        _activities(old, new, language, out)
        _collections(old, new, out)
        _vocabulary(old, new, language, out)
        _organisations(old, new, language, out)
        return list(out)


def _activities(old, new, language, out):
    """Activities added, removed or renamed, then what changed in each."""
    for slug in new.order:
        act, name = new.activities[slug], new.activity_name(slug)
        previous = old.activities.get(slug)
        if previous is None:
            out.say("activity.new", activity=name)
        else:
            if not _same(previous.get("name"), act.get("name"), language):
                out.say("activity.renamed", old=old.activity_name(slug), new=name)
            if not _same(previous.get("purposes"), act.get("purposes"), language):
                out.say("activity.purposes", activity=name)
            _activity_roles(new, previous, act, name, language, out)
        _transfers(old, new, previous or {}, act, name, language, out)
        _switches(previous or {}, act, name, out)
    for slug in old.order:
        if slug not in new.activities:
            out.say("activity.removed", activity=old.activity_name(slug))


def _collections(old, new, out):
    """Items added to or removed from activities, each said once with all its activities.

    The details of an activity added or removed are in its own sentence, except a source,
    recipient, processor or retention period new to the whole notice (or gone from it).
    """
    for registry, other, op in ((new, old, "added"), (old, new, "removed")):
        found = {}  # (kind, key): (item, [activity names]), in order of first use
        for kind in _COLLECTIONS:
            known = other.items(kind)
            for slug in registry.order:
                counterpart = other.activities.get(slug)
                if counterpart is None and kind not in _NOTICE_WIDE:
                    continue
                theirs = {_key(item) for item in (counterpart or {}).get(kind) or []}
                for item in registry.activities[slug].get(kind) or []:
                    key = _key(item)
                    if key in theirs or (counterpart is None and key in known):
                        continue
                    entry = found.setdefault((kind, key), (item, []))
                    entry[1].append(registry.activity_name(slug))
        for (kind, _slug), (item, names) in found.items():
            name = registry.item_name(kind, item)
            out.say(f"{kind}.{op}", activities=_quoted(names), item=name)


def _vocabulary(old, new, language, out):
    """Shared vocabulary (legal bases, categories, recipients, retention periods) that changed
    in place: renamed, or with other points, conditions or durations."""
    for kind in (*_VOCABULARY_KINDS, "retention"):
        old_items = old.items(kind)
        for key, item in new.items(kind).items():
            before = old_items.get(key)
            if before is None:
                continue
            name = _name(item.get("name"), language)
            if not _same(before.get("name"), item.get("name"), language):
                out.say("renamed", old=_name(before.get("name"), language), new=name)
            if kind == "legal_bases":
                _legal_basis(before, item, name, language, out)
            elif kind == "retention":
                _retention(before, item, name, language, out)
            elif kind == "recipients" and not _same(
                before.get("condition"), item.get("condition"), language
            ):
                out.say("recipient.condition", recipient=name)


def _legal_basis(before, after, name, language, out):
    """Which GDPR points (Art. 6(1), Art. 9(2)) a legal basis rests on, then its own text."""
    for field in ("article_6", "article_9"):
        old_point, new_point = before.get(field), after.get(field)
        if _code(old_point) == _code(new_point):
            continue
        labels = {"old": _text(old_point, language), "new": _text(new_point, language)}
        change = "changed" if old_point and new_point else "added" if new_point else "removed"
        out.say(f"basis.point.{change}", basis=name, **labels)
    if any(
        not _same(before.get(field), after.get(field), language)
        for field in ("description", "national_law", "national_law_articles")
    ):
        out.say("basis.text", basis=name)


def _retention(before, rule, name, language, out):
    old_display = _text(before.get("display"), language)
    new_display = _text(rule.get("display"), language)
    if (
        old_display != new_display
        or before.get("duration") != rule.get("duration")
        or _code(before.get("unit")) != _code(rule.get("unit"))
        or bool(before.get("fixed_by_deliberation")) != bool(rule.get("fixed_by_deliberation"))
    ):
        out.say("retention.duration", rule=name, old=old_display, new=new_display)
    if not _same(before.get("starts_at"), rule.get("starts_at"), language):
        out.say("retention.start", rule=name, start=_text(rule.get("starts_at"), language))


def _contacts(old, new, language, out):
    """The controller (AIM) and its data protection officer."""
    old_slug, new_slug = old.data.get("controller"), new.data.get("controller")
    if old_slug != new_slug:
        if new_slug:
            out.say("controller.new", org=new.org(new_slug))
    elif new_slug:
        before = old.organisations.get(old_slug) or {}
        after = new.organisations.get(new_slug) or {}
        if not _same(before.get("name"), after.get("name"), language):
            old_name = _name(before.get("name"), language)
            out.say("controller.name", old=old_name, new=_name(after.get("name"), language))
        if (before.get("email") or "") != (after.get("email") or ""):
            old_email, new_email = before.get("email") or "—", after.get("email") or "—"
            out.say("controller.email", old=old_email, new=new_email)
        for field in ("address", "website"):
            if not _same(before.get(field), after.get(field), language):
                out.say(f"controller.{field}")
    old_dpo, new_dpo = old.data.get("dpo"), new.data.get("dpo")
    if old_dpo and not new_dpo:
        out.say("dpo.removed")
    elif new_dpo:
        old_dpo = old_dpo or {}
        for field in ("name", "email", "phone"):
            old_value, new_value = old_dpo.get(field) or "—", new_dpo.get(field) or "—"
            if old_value != new_value:  # "dpo.name" uses %(name)s, the others old and new
                out.say(f"dpo.{field}", old=old_value, new=new_value, name=new_value)
        if not _same(old_dpo.get("postal_address"), new_dpo.get("postal_address"), language):
            out.say("dpo.postal_address")


def _activity_roles(new, before, after, name, language, out):
    """Who is responsible for an activity and who answers requests about it."""
    if before.get("controller") != after.get("controller") and after.get("controller"):
        out.say("activity.controller", activity=name, org=new.org(after["controller"]))
    if _code(before.get("aim_role")) != _code(after.get("aim_role")) and after.get("aim_role"):
        old_role = _text(before.get("aim_role"), language) or "—"
        new_role = _text(after.get("aim_role"), language)
        out.say("activity.role", activity=name, old=old_role, new=new_role)
    if _code(before.get("rights_handled_by")) != _code(after.get("rights_handled_by")) or (
        before.get("rights_organisation") != after.get("rights_organisation")
    ):
        who = _text(after.get("rights_handled_by"), language)
        if after.get("rights_organisation"):
            org = new.org(after["rights_organisation"])
            who = gettext("%(who)s: %(org)s") % {"who": who, "org": org}
        out.say("activity.rights", activity=name, who=who)
    if _code(before.get("pseudonymisation")) != _code(after.get("pseudonymisation")):
        old_value = _text(before.get("pseudonymisation"), language) or "—"
        new_value = _text(after.get("pseudonymisation"), language) or "—"
        out.say("activity.pseudonymisation", activity=name, old=old_value, new=new_value)


def _switches(before, after, name, out):
    """Profiling, automated decisions and "no recipients", switched on or off."""
    for field, key in (
        ("profiling", "profiling"),
        ("automated_decisions", "decisions"),
        ("no_recipients", "no_recipients"),
    ):
        if bool(before.get(field)) != bool(after.get(field)):
            out.say(f"activity.{key}.{'on' if after.get(field) else 'off'}", activity=name)


def _transfer_key(transfer):
    destination = "*" if transfer.get("any_country") else _code(transfer.get("country"))
    return (destination, transfer.get("recipient"))


def _destination(registry, transfer, language):
    if transfer.get("any_country"):
        place = gettext("any country, decided case by case")
    else:
        place = _text(transfer.get("country"), language)
    if transfer.get("recipient"):
        org = registry.org(transfer["recipient"])
        return gettext("%(country)s (%(organisation)s)") % {"country": place, "organisation": org}
    return place


def _transfers(old, new, before, after, name, language, out):
    previous = {_transfer_key(t): t for t in before.get("transfers") or []}
    current = {_transfer_key(t): t for t in after.get("transfers") or []}
    for key, transfer in current.items():
        to = _destination(new, transfer, language)
        if key not in previous:
            out.say("transfer.new", activity=name, to=to)
        elif _code(previous[key].get("safeguard")) != _code(transfer.get("safeguard")):
            old_safeguard = _text(previous[key].get("safeguard"), language) or gettext("none")
            new_safeguard = _text(transfer.get("safeguard"), language) or gettext("none")
            out.say(
                "transfer.safeguard", to=to, activity=name, old=old_safeguard, new=new_safeguard
            )
    for key, transfer in previous.items():
        if key not in current:
            out.say("transfer.ended", activity=name, to=_destination(old, transfer, language))


def _channels(org, language, *, insurer):
    """How to exercise one's rights with an organisation; for an insurer, all its contacts."""
    rights = org.get("rights") or {}
    fields = [rights.get(f) for f in ("web_form", "email", "postal_address", "phone")]
    fields.append(org.get("contact_directory_url"))
    if insurer:
        fields.extend(org.get(f) for f in ("email", "address", "website"))
    return [_text(value or "", language).strip() for value in fields]


def _organisations(old, new, language, out):
    """Organisations renamed, their contact details or rights channels changed; insurers."""
    controller = new.data.get("controller")
    insurers = set(new.data.get("insurers") or [])
    for slug, org in new.organisations.items():
        before = old.organisations.get(slug)
        if before is None:
            continue
        if slug != controller and not _same(before.get("name"), org.get("name"), language):
            out.say("org.renamed", old=old.org(slug), new=new.org(slug))
        insurer = slug in insurers or org.get("kind") == "insurer"
        old_channels, new_channels = (
            _channels(o, language, insurer=insurer) for o in (before, org)
        )
        if old_channels != new_channels:
            out.say("org.contact" if insurer else "org.rights", org=new.org(slug))
    old_insurers = old.data.get("insurers") or []
    for slug in new.data.get("insurers") or []:
        if slug not in old_insurers:
            out.say("insurer.new", org=new.org(slug))
    for slug in old_insurers:
        if slug not in insurers:
            out.say("insurer.gone", org=old.org(slug))
