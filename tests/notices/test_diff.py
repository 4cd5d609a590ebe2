"""Comparing two versions: the registry changes in plain words, the text word by word.

Pure functions on snapshot dicts, built by hand here (the changes page, at the end, uses the
database). A sentence
whose wording is new is compared with its message in the catalog (MESSAGES), so that these
tests say which sentence is said, with which names, whatever its translation.
"""

import copy
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from notices.diff_registry import MESSAGES, registry_changes
from notices.diff_text import changed_word_counts, text_diff_html
from tests.notices.conftest import SECTIONS

# ---------------------------------------------------------------------------------------------
# Small snapshots
# ---------------------------------------------------------------------------------------------


def text(fr, nl=None):
    return {"fr": fr, "nl": nl if nl is not None else fr}


def org(slug, fr, nl=None, kind="partner", **extra):
    data = {
        "slug": slug,
        "kind": kind,
        "name": text(fr, nl),
        "short_name": text(""),
        "email": "",
        "address": text(""),
        "website": text(""),
        "rights": {
            "web_form": text(""),
            "email": "",
            "postal_address": text(""),
            "phone": "",
        },
        "contact_directory_url": text(""),
    }
    data.update(extra)
    return data


def retention(slug, fr, duration, unit_fr, unit_nl="jaar", nl=None):
    return {
        "slug": slug,
        "name": text(fr, nl),
        "duration": duration,
        "unit": {"code": "years", "fr": "années", "nl": "jaren"},
        "starts_at": text(""),
        "fixed_by_deliberation": False,
        "display": {"fr": f"{duration} {unit_fr}", "nl": f"{duration} {unit_nl}"},
    }


def activity(slug, fr, nl=None, **extra):
    data = {
        "slug": slug,
        "name": text(fr, nl),
        "purposes": text("Des finalités.", "Doeleinden."),
        "aim_role": {"code": "controller", "fr": "Responsable", "nl": "Verantwoordelijke"},
        "controller": "aim",
        "rights_handled_by": {"code": "aim", "fr": "L'AIM", "nl": "Het IMA"},
        "rights_organisation": None,
        "legal_bases": [],
        "data_categories": [],
        "subject_categories": [],
        "sources": [],
        "recipients": [],
        "processors": [],
        "retention": [],
        "transfers": [],
        "pseudonymisation": None,
        "security_measures": text(""),
        "profiling": False,
        "profiling_description": text(""),
        "automated_decisions": False,
        "automated_decisions_description": text(""),
    }
    data.update(extra)
    return data


def registry():
    return {
        "controller": "aim",
        "dpo": {
            "name": "Jeanne Dupont",
            "email": "dpo@aim-ima.be",
            "phone": "",
            "postal_address": text("Rue du Trône 30", "Troonstraat 30"),
        },
        "organisations": {
            "aim": org("aim", "Agence intermutualiste", "Intermutualistisch Agentschap", "aim"),
            "statbel": org("statbel", "Statistique Belgique", "Statistiek België"),
            "ehealth": org("ehealth", "Plateforme eHealth", "eHealth-platform", "processor"),
            "solidaris": org("solidaris", "Solidaris (FR)", "Solidaris (NL)", "insurer"),
        },
        "insurers": ["solidaris"],
        "authority": None,
        "contact_directory": None,
        "activities": [
            activity(
                "studies",
                "Études sur les soins de santé",
                "Studies over de gezondheidszorg",
                legal_bases=[{"slug": "law", "name": text("Loi AIM", "IMA-wet")}],
                recipients=[{"slug": "kce", "name": text("Le KCE", "Het KCE")}],
                processors=["ehealth"],
                retention=[retention("studies-data", "Données des études", 10, "ans")],
            ),
            activity("atlas", "Atlas AIM", "IMA-Atlas"),
        ],
    }


def changes(old, new, language="en"):
    with translation.override("en"):
        return registry_changes(old, new, language=language)


def act(reg, slug):
    return next(a for a in reg["activities"] if a["slug"] == slug)


def said(language, key, *activities, **params):
    """The sentence `key` in `language`, naming `activities` as the diff quotes them."""
    with translation.override(language):
        if activities:
            params["activities"] = ", ".join(
                gettext("“%(activity)s”") % {"activity": name} for name in activities
            )
        return str(MESSAGES[key]) % params


STUDIES = "Études sur les soins de santé"


# ---------------------------------------------------------------------------------------------
# registry_changes
# ---------------------------------------------------------------------------------------------


def test_no_change_gives_an_empty_list():
    assert changes(registry(), registry(), "fr") == []
    assert registry_changes(registry(), copy.deepcopy(registry()), language="nl") == []


def test_a_new_recipient_is_reported():
    old, new = registry(), registry()
    act(new, "atlas")["recipients"].append({"slug": "sciensano", "name": text("Sciensano")})
    # The sentence names the activity that gains the recipient.
    assert changes(old, new, "fr") == [
        said("fr", "recipients.added", "Atlas AIM", item="Sciensano")
    ]
    assert changes(old, new, "nl") == [
        said("nl", "recipients.added", "IMA-Atlas", item="Sciensano")
    ]


def test_a_source_new_to_the_notice_is_reported_once_even_for_two_activities():
    old, new = registry(), registry()
    act(new, "studies")["sources"].append("statbel")
    act(new, "atlas")["sources"].append("statbel")
    assert changes(old, new, "fr") == [
        said("fr", "sources.added", STUDIES, "Atlas AIM", item="Statistique Belgique")
    ]


def test_a_source_already_in_the_notice_is_reported_for_the_activity_that_gains_it():
    old, new = registry(), registry()
    act(old, "studies")["sources"].append("statbel")
    act(new, "studies")["sources"].append("statbel")
    act(new, "atlas")["sources"].append("statbel")
    assert changes(old, new, "fr") == [
        said("fr", "sources.added", "Atlas AIM", item="Statistique Belgique")
    ]


def test_a_longer_retention_names_both_durations():
    old, new = registry(), registry()
    act(new, "studies")["retention"] = [retention("studies-data", "Données des études", 30, "ans")]
    assert changes(old, new, "fr") == [
        "La durée de conservation « Données des études » est passée de 10 ans à 30 ans"
    ]
    (message,) = registry_changes(old, new, language="nl")
    assert message == "De bewaartermijn „Données des études” is gewijzigd van 10 jaar in 30 jaar"
    assert "10 jaar" in message
    assert "30 jaar" in message


def test_a_removed_processor_is_reported():
    old, new = registry(), registry()
    act(new, "studies")["processors"] = []
    assert changes(old, new, "fr") == [
        said("fr", "processors.removed", STUDIES, item="Plateforme eHealth")
    ]


def test_a_changed_transfer_safeguard_is_reported():
    old, new = registry(), registry()
    transfer = {
        "country": {"code": "US", "fr": "États-Unis", "nl": "Verenigde Staten"},
        "any_country": False,
        "recipient": None,
        "safeguard": {
            "code": "scc",
            "fr": "Clauses contractuelles types",
            "nl": "Modelcontractbepalingen",
        },
        "reference": text(""),
    }
    act(old, "atlas")["transfers"] = [transfer]
    changed = copy.deepcopy(transfer)
    changed["safeguard"] = {"code": "adequacy", "fr": "Décision d'adéquation", "nl": "Adequaatheid"}
    act(new, "atlas")["transfers"] = [changed]
    assert changes(old, new, "fr") == [
        "La garantie du transfert pour « Atlas AIM » (destination : États-Unis) est passée de "
        "Clauses contractuelles types à Décision d'adéquation"
    ]


def test_new_and_ended_transfers():
    old, new = registry(), registry()
    act(new, "atlas")["transfers"] = [
        {
            "country": None,
            "any_country": True,
            "recipient": None,
            "safeguard": {"code": "deliberation", "fr": "Délibération", "nl": "Beraadslaging"},
            "reference": text(""),
        }
    ]
    (message,) = changes(old, new, "fr")
    assert message == (
        "Nouveau transfert hors de l'Espace économique européen pour « Atlas AIM » : "
        "tout pays, déterminé au cas par cas"
    )
    (message,) = changes(new, old, "fr")
    assert message == (
        "Fin du transfert hors de l'Espace économique européen pour « Atlas AIM » : "
        "tout pays, déterminé au cas par cas"
    )


def test_names_are_in_the_requested_language():
    old, new = registry(), registry()
    act(new, "studies")["sources"].append("statbel")
    act(new, "atlas")["recipients"].append(
        {"slug": "insurers", "name": text("Les mutualités", "De ziekenfondsen")}
    )
    act(new, "atlas")["profiling"] = True
    joined = " | ".join(registry_changes(old, new, language="nl"))
    assert "Statistiek België" in joined
    assert "De ziekenfondsen" in joined
    assert "IMA-Atlas" in joined
    assert "Statistique Belgique" not in joined
    assert "Les mutualités" not in joined
    assert "Atlas AIM" not in joined


def test_activities_added_removed_and_renamed():
    old, new = registry(), registry()
    new["activities"] = [
        activity(
            "studies",
            "Études des soins",
            "Zorgstudies",
            **{
                key: act(old, "studies")[key]
                for key in ("legal_bases", "recipients", "processors", "retention")
            },
        ),
        activity("barometer", "Baromètre", "Barometer", profiling=True),
    ]
    assert changes(old, new, "fr") == [
        "L'activité de traitement « Études sur les soins de santé » s'intitule désormais "
        "« Études des soins »",
        "Nouvelle activité de traitement : Baromètre",
        "« Baromètre » comporte désormais un profilage",
        "Activité de traitement retirée : Atlas AIM",
    ]


def test_per_activity_lists_and_switches():
    old, new = registry(), registry()
    studies = act(new, "studies")
    studies["legal_bases"] = []
    studies["data_categories"] = [{"slug": "health", "name": text("Santé", "Gezondheid")}]
    studies["subject_categories"] = [{"slug": "insured", "name": text("Assurés", "Verzekerden")}]
    studies["purposes"] = text("Nouvelles finalités.", "Doeleinden.")
    studies["automated_decisions"] = True
    assert changes(old, new, "fr") == [
        "Les finalités de « Études sur les soins de santé » ont été modifiées",
        "« Études sur les soins de santé » donne désormais lieu à des décisions individuelles "
        "automatisées",
        said("fr", "data_categories.added", STUDIES, item="Santé"),
        said("fr", "subject_categories.added", STUDIES, item="Assurés"),
        said("fr", "legal_bases.removed", STUDIES, item="Loi AIM"),
    ]
    # The purposes changed in French only: a Dutch reader sees no change there.
    nl_studies = "Studies over de gezondheidszorg"
    assert changes(old, new, "nl") == [
        "„Studies over de gezondheidszorg” omvat nu geautomatiseerde individuele besluiten",
        said("nl", "data_categories.added", nl_studies, item="Gezondheid"),
        said("nl", "subject_categories.added", nl_studies, item="Verzekerden"),
        said("nl", "legal_bases.removed", nl_studies, item="IMA-wet"),
    ]
    assert not any("doeleinden" in m.casefold() for m in changes(old, new, "nl"))


def test_contacts_of_the_controller_the_dpo_and_an_insurer():
    old, new = registry(), registry()
    new["organisations"]["aim"]["email"] = "info@aim-ima.be"
    new["dpo"]["email"] = "privacy@aim-ima.be"
    new["dpo"]["name"] = "Jan Peeters"
    new["organisations"]["solidaris"]["rights"]["email"] = "privacy@solidaris.be"
    new["organisations"]["statbel"]["rights"]["phone"] = "+32 2 000 00 00"
    new["organisations"]["ehealth"]["name"] = text("Plateforme eHealth", "eHealth-Platform")
    result = changes(old, new, "nl")
    assert result == [
        "Het e-mailadres van de verwerkingsverantwoordelijke is gewijzigd van — in info@aim-ima.be",
        "De functionaris voor gegevensbescherming is nu Jan Peeters",
        "Het e-mailadres van de functionaris voor gegevensbescherming is gewijzigd van "
        "dpo@aim-ima.be in privacy@aim-ima.be",
        "De manier waarop u uw rechten uitoefent bij Statistiek België, is gewijzigd",
        "eHealth-platform heet nu eHealth-Platform",
        "De contactgegevens van Solidaris (NL) zijn gewijzigd",
    ]


def test_the_list_is_deduplicated():
    old, new = registry(), registry()
    rule = retention("studies-data", "Données des études", 10, "ans")
    act(old, "atlas")["retention"] = [rule]
    act(new, "atlas")["retention"] = [retention("studies-data", "Données des études", 30, "ans")]
    act(new, "studies")["retention"] = [retention("studies-data", "Données des études", 30, "ans")]
    assert changes(old, new, "fr") == [
        "La durée de conservation « Données des études » est passée de 10 ans à 30 ans"
    ]


def test_messages_are_built_in_the_requested_language():
    # Whatever the active language of the request, the requested one is used and then restored.
    old, new = registry(), registry()
    act(new, "atlas")["recipients"].append({"slug": "sciensano", "name": text("Sciensano")})
    with translation.override("nl"):
        assert registry_changes(old, new, language="fr") == [
            said("fr", "recipients.added", "Atlas AIM", item="Sciensano")
        ]
        assert translation.get_language() == "nl"


# ---------------------------------------------------------------------------------------------
# text_diff_html
# ---------------------------------------------------------------------------------------------


def section(anchor, title_fr, body_fr, title_nl=None, body_nl=None, block=""):
    return {
        "anchor": anchor,
        "registry_block": block,
        "title": text(title_fr, title_nl),
        "body": text(body_fr, body_nl),
    }


def diff(old, new, language="fr"):
    with translation.override("en"):
        return text_diff_html(old, new, language=language)


DEL = re.compile(r"<del>(.*?)</del>", re.S)
INS = re.compile(r"<ins>(.*?)</ins>", re.S)
LABEL = re.compile(r'<span class="visually-hidden">[^<]*</span>')


def visible(html):
    return LABEL.sub("", html)


def test_the_diff_shows_exactly_the_changed_words():
    old = [section("retention", "Conservation", "L'AIM conserve les données pendant 10 ans.")]
    new = [section("retention", "Conservation", "L'AIM conserve les données pendant 30 ans.")]
    (item,) = diff(old, new)
    assert item["status"] == "changed"
    body = item["body_html"]
    assert [visible(d) for d in DEL.findall(body)] == ["10"]
    assert [visible(i) for i in INS.findall(body)] == ["30"]
    assert body.count("<del>") == 1
    assert body.count("<ins>") == 1
    unmarked = INS.sub("", DEL.sub("", body))
    # A space between the deletion and the insertion, so that "1030" never reads as one word.
    assert unmarked == "<p>L&#x27;AIM conserve les données pendant   ans.</p>"
    assert "<del>" not in item["title_html"]
    assert "<ins>" not in item["title_html"]
    assert item["deleted_words"] == 1
    assert item["inserted_words"] == 1


def test_deleted_and_inserted_runs_carry_a_label_for_screen_readers():
    old = [section("a", "Titre", "pendant 10 ans")]
    new = [section("a", "Titre", "pendant 30 ans")]
    (item,) = diff(old, new)
    assert (
        '<del><span class="visually-hidden">[supprimé: </span>10'
        '<span class="visually-hidden">]</span></del>'
    ) in item["body_html"]
    assert (
        '<ins><span class="visually-hidden">[ajouté: </span>30'
        '<span class="visually-hidden">]</span></ins>'
    ) in item["body_html"]


def test_the_labels_are_built_in_the_requested_language_which_is_then_restored(monkeypatch):
    seen = []

    def fake_pgettext(context, message):
        seen.append((translation.get_language(), message))
        return {"deleted": "supprimé", "inserted": "ajouté"}.get(message, message)

    monkeypatch.setattr("notices.diff_text.pgettext", fake_pgettext)
    old = [section("a", "Titre", "pendant 10 ans", "Titel", "gedurende 10 jaar")]
    new = [section("a", "Titre", "pendant 30 ans", "Titel", "gedurende 30 jaar")]
    with translation.override("nl"):
        (item,) = text_diff_html(old, new, language="fr")
        assert translation.get_language() == "nl"
    assert ("fr", "deleted") in seen
    assert ("fr", "inserted") in seen
    assert {language for language, _ in seen} == {"fr"}
    assert "[supprimé: </span>10" in item["body_html"]
    assert "[ajouté: </span>30" in item["body_html"]


def test_an_unchanged_section_is_marked_unchanged_without_body():
    old = [section("a", "Titre", "Un texte.")]
    (item,) = diff(old, copy.deepcopy(old))
    assert item["status"] == "unchanged"
    assert item["body_html"] == ""
    assert item["title_html"] == "Titre"


def test_a_change_in_the_other_language_leaves_this_one_unchanged():
    old = [section("a", "Titre", "Un texte.", "Titel", "Een tekst.")]
    new = [section("a", "Titre", "Un texte.", "Titel", "Een andere tekst.")]
    assert diff(old, new, "fr")[0]["status"] == "unchanged"
    assert diff(old, new, "nl")[0]["status"] == "changed"


def test_added_and_removed_sections_keep_their_place():
    old = [section("a", "A", "Premier."), section("b", "B", "Deuxième."), section("c", "C", "3.")]
    new = [section("a", "A", "Premier."), section("c", "C", "3."), section("d", "D", "Nouveau.")]
    result = diff(old, new)
    assert [(i["anchor"], i["status"]) for i in result] == [
        ("a", "unchanged"),
        ("b", "removed"),
        ("c", "unchanged"),
        ("d", "added"),
    ]
    removed, added = result[1], result[3]
    assert visible(removed["body_html"]) == "<p><del>Deuxième.</del></p>"
    assert visible(removed["title_html"]) == "<del>B</del>"
    assert "<ins>" not in removed["body_html"]
    assert visible(added["body_html"]) == "<p><ins>Nouveau.</ins></p>"
    assert "<del>" not in added["body_html"]


def test_html_in_the_text_is_escaped():
    old = [section("a", "Titre", "Un texte.")]
    new = [section("a", "Titre <b>", 'Un texte. <script>alert("x")</script>')]
    (item,) = diff(old, new)
    assert "<script>" not in item["body_html"]
    assert "&lt;script&gt;" in item["body_html"]
    assert "<b>" not in item["title_html"]
    assert "&lt;b&gt;" in item["title_html"]


def test_paragraphs_stay_paragraphs():
    old = [section("a", "T", "Premier paragraphe.\n\nDeuxième paragraphe.\n\nTroisième.")]
    new = [section("a", "T", "Premier paragraphe.\n\nSecond paragraphe.\n\nTroisième.")]
    (item,) = diff(old, new)
    assert visible(item["body_html"]) == (
        "<p>Premier paragraphe.</p>"
        "<p><del>Deuxième</del> <ins>Second</ins> paragraphe.</p>"
        "<p>Troisième.</p>"
    )


def test_a_removed_paragraph_stays_apart_from_the_next_one():
    old = [section("a", "T", "Un.\n\nDeux.\n\nTrois.")]
    new = [section("a", "T", "Un.\n\nTrois.")]
    (item,) = diff(old, new)
    assert visible(item["body_html"]) == "<p>Un.</p><p><del>Deux.</del></p><p>Trois.</p>"


def test_a_replaced_phrase_is_one_change_not_word_by_word_fragments():
    old = [section("a", "T", "Les données sont conservées longtemps.")]
    new = [section("a", "T", "Les informations restent gardées longtemps.")]
    (item,) = diff(old, new)
    assert visible(item["body_html"]) == (
        "<p>Les <del>données sont conservées</del> <ins>informations restent gardées</ins>"
        " longtemps.</p>"
    )


def test_changed_word_counts():
    assert changed_word_counts("pendant 10 ans", "pendant 30 ans") == {"deleted": 1, "inserted": 1}
    assert changed_word_counts("", "deux mots") == {"deleted": 0, "inserted": 2}


# ---------------------------------------------------------------------------------------------
# What issue #13 asked: rendered text, spaced changes, named activities and points, no fallback
# ---------------------------------------------------------------------------------------------


def test_the_diff_of_a_markdown_change_shows_the_rendered_text_not_its_syntax():
    old = [section("a", "T", "- **Afin de répondre** à la [loi](https://example.be/loi) ici")]
    new = [
        section(
            "a", "T", "- **Pour répondre** à la [loi du 15 janvier](https://example.be/loi) ici"
        )
    ]
    (item,) = diff(old, new)
    body = item["body_html"]
    for syntax in ("**", "[", "](", "https://"):
        assert syntax not in visible(body)
    assert body.startswith("<ul><li>") and body.endswith("</li></ul>")
    assert visible(body) == (
        "<ul><li><del>Afin de</del> <ins>Pour</ins> répondre à la loi "
        "<ins>du 15 janvier</ins> ici</li></ul>"
    )
    assert item["deleted_words"] == 2
    assert item["inserted_words"] == 4


def test_a_deleted_and_an_inserted_word_never_touch():
    old = [section("a", "T", "Les données servent essentiellement aux études.")]
    new = [section("a", "T", "Les données servent principalement aux études.")]
    (item,) = diff(old, new)
    assert "essentiellement</del> <ins>" in visible(item["body_html"])
    # What a reader sees once the marks are gone: two words, not "essentiellementprincipalement".
    assert "essentiellement principalement" in re.sub(r"<[^>]+>", "", visible(item["body_html"]))


def test_list_items_headings_and_paragraphs_keep_their_structure():
    old = [section("a", "T", "Intro.\n\n## Vos droits\n\n1. accès\n2. rectification\n\nFin.")]
    new = [section("a", "T", "Intro.\n\n## Vos droits\n\n1. accès\n2. effacement\n\nFin.")]
    (item,) = diff(old, new)
    assert visible(item["body_html"]) == (
        '<p>Intro.</p><p class="diff-heading"><strong>Vos droits</strong></p>'
        "<ol><li>accès</li><li><del>rectification</del> <ins>effacement</ins></li></ol>"
        "<p>Fin.</p>"
    )


def test_a_link_that_leads_elsewhere_is_a_change_even_with_the_same_words():
    old = [section("a", "T", "Voir [le registre](https://example.be/ancien).")]
    new = [section("a", "T", "Voir [le registre](https://example.be/nouveau).")]
    (item,) = diff(old, new)
    assert item["status"] == "changed"
    assert "<del>" not in item["body_html"] and "<ins>" not in item["body_html"]
    assert 'class="diff-note"' in item["body_html"]
    assert "example.be" not in item["body_html"]


def test_only_a_change_of_markdown_syntax_is_no_change_for_the_reader():
    old = [section("a", "T", "Un  texte\nsur deux lignes.")]
    new = [section("a", "T", "Un texte sur deux lignes.")]
    assert diff(old, new)[0]["status"] == "unchanged"


def test_an_added_paragraph_does_not_shift_the_comparison_of_the_next_ones():
    old = [section("a", "T", "Premier paragraphe ici.\n\nDernier paragraphe ici.")]
    new = [section("a", "T", "Premier paragraphe ici.\n\nUn ajout.\n\nDernier paragraphe là.")]
    (item,) = diff(old, new)
    assert visible(item["body_html"]) == (
        "<p>Premier paragraphe ici.</p><p><ins>Un ajout.</ins></p>"
        "<p>Dernier paragraphe <del>ici</del> <ins>là</ins>.</p>"
    )


def kce(nl):
    return org("kce", "Centre fédéral d'expertise des soins de santé", nl, short_name=text("KCE"))


def test_the_dutch_summary_names_organisations_in_dutch():
    old, new = registry(), registry()
    new["organisations"]["kce"] = kce("Federaal Kenniscentrum voor de Gezondheidszorg")
    act(new, "atlas")["sources"].append("kce")
    (message,) = changes(old, new, "nl")
    assert "Federaal Kenniscentrum voor de Gezondheidszorg (KCE)" in message
    assert "IMA-Atlas" in message
    assert "Centre fédéral" not in message
    assert "Atlas AIM" not in message


def test_a_name_missing_in_dutch_is_said_missing_not_shown_in_french():
    old, new = registry(), registry()
    new["organisations"]["kce"] = kce("")
    new["organisations"]["kce"]["short_name"] = text("")
    act(new, "atlas")["sources"].append("kce")
    act(new, "atlas")["name"] = text("Atlas AIM", "")
    old_atlas = act(old, "atlas")
    old_atlas["name"] = text("Atlas AIM", "")
    (message,) = changes(old, new, "nl")
    with translation.override("nl"):
        missing = gettext("(name not available in this language)")
    assert message.count(missing) == 2  # the organisation and the activity
    assert "Centre fédéral" not in message
    assert "Atlas AIM" not in message


def test_a_recipient_new_to_the_notice_names_its_activities():
    old, new = registry(), registry()
    sciensano = {"slug": "sciensano", "name": text("Sciensano")}
    act(new, "studies")["recipients"].append(sciensano)
    act(new, "atlas")["recipients"].append(copy.deepcopy(sciensano))
    assert changes(old, new, "fr") == [
        said("fr", "recipients.added", STUDIES, "Atlas AIM", item="Sciensano")
    ]
    # And a recipient gone from the whole notice says which activities used it.
    assert changes(new, old, "fr") == [
        said("fr", "recipients.removed", STUDIES, "Atlas AIM", item="Sciensano")
    ]


def basis(article_6=None, article_9=None):
    labels = {
        "c": {"code": "c", "fr": "Art. 6(1)(c) : obligation légale", "nl": "Art. 6(1)(c): plicht"},
        "e": {"code": "e", "fr": "Art. 6(1)(e) : mission", "nl": "Art. 6(1)(e): taak"},
        "h": {"code": "h", "fr": "Art. 9(2)(h) : soins", "nl": "Art. 9(2)(h): zorg"},
    }
    return {
        "slug": "law",
        "name": text("Loi AIM", "IMA-wet"),
        "article_6": labels.get(article_6),
        "article_9": labels.get(article_9),
    }


def test_a_changed_legal_basis_names_the_gdpr_points_that_changed():
    old, new = registry(), registry()
    act(old, "studies")["legal_bases"] = [basis("c")]
    act(new, "studies")["legal_bases"] = [basis("e", "h")]
    assert changes(old, new, "fr") == [
        said(
            "fr",
            "basis.point.changed",
            basis="Loi AIM",
            old="Art. 6(1)(c) : obligation légale",
            new="Art. 6(1)(e) : mission",
        ),
        said("fr", "basis.point.added", basis="Loi AIM", new="Art. 9(2)(h) : soins"),
    ]
    (_, removed) = changes(new, old, "nl")
    assert removed == said("nl", "basis.point.removed", basis="IMA-wet", old="Art. 9(2)(h): zorg")


# ---------------------------------------------------------------------------------------------
# The changes page (database: published versions)
# ---------------------------------------------------------------------------------------------


def changes_url(language="fr", **kwargs):
    with translation.override(language):
        return reverse("notices:changes", kwargs=kwargs)


@pytest.mark.django_db
def test_the_reversed_comparison_redirects_permanently_to_the_canonical_one(
    citizen, complete_registry, publish
):
    publish()
    publish()
    for language in ("fr", "nl"):
        response = citizen.get(changes_url(language, old=2, new=1))
        assert response.status_code == 301
        assert response["Location"] == changes_url(language, old=1, new=2)
    assert citizen.get(changes_url(old=1, new=2)).status_code == 200


@pytest.mark.django_db
def test_the_changes_page_shows_a_markdown_change_as_text(citizen, complete_registry, publish):
    publish()
    body = "Les données sont conservées **10 ans** ([le délai légal](https://example.be/delai))."
    body_nl = (
        "De gegevens worden **10 jaar** bewaard ([de wettelijke termijn](https://example.be/t))."
    )
    publish(sections=[SECTIONS[0], dict(SECTIONS[1], body_fr=body, body_nl=body_nl)])
    html = citizen.get(changes_url(old=1, new=2)).content.decode()
    text_part = html.split('class="text-diff"')[1]
    for syntax in ("**", "[le", "](", "https://example.be"):
        assert syntax not in text_part
    assert "le délai légal" in text_part
    nl_part = citizen.get(changes_url("nl", old=1, new=2)).content.decode()
    nl_part = nl_part.split('class="text-diff"')[1]
    assert "de wettelijke termijn" in nl_part
    assert "](" not in nl_part and "**" not in nl_part


def test_no_recipients_switched_on_and_off_is_reported():
    old, new = registry(), registry()
    act(old, "atlas")["no_recipients"] = False
    act(new, "atlas")["no_recipients"] = True
    with translation.override("fr"):
        on = str(MESSAGES["activity.no_recipients.on"]) % {"activity": "Atlas AIM"}
    assert changes(old, new, "fr") == [on]
    with translation.override("nl"):
        off = str(MESSAGES["activity.no_recipients.off"]) % {"activity": "IMA-Atlas"}
    assert changes(new, old, "nl") == [off]
