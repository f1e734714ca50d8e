"""The way in by municipality: `impactkit menus for NAME`, `--municipality`, and `municipality:` in a
tender file. Every municipality (and region) named in shared/domain/regions.md gets an answer."""

import json

import pytest
from openpyxl import load_workbook

from impactkit.errors import ExitCode, UnknownReferenceError
from impactkit.menus import resolve_menu
from impactkit.menus.municipalities import lookup, menu_for_municipality, normalise

# every municipality, province or region regions.md (and sroi.md section 3) names, as it spells them
REGIONS_MD_NAMES = [
    # section 1: the shipped menus
    "Harlingen", "Súdwest-Fryslân", "Hilversum", "Delft", "Den Haag", "Lansingerland", "Leidschendam-Voorburg",
    "Midden-Delfland", "Pijnacker-Nootdorp", "Rijswijk", "Voorschoten", "Wassenaar", "Westland", "Zoetermeer",
    "Leiden", "Leiderdorp", "Oegstgeest", "Zoeterwoude", "Alphen aan den Rijn", "Hillegom", "Kaag en Braassem",
    "Katwijk", "Lisse", "Nieuwkoop", "Noordwijk", "Teylingen", "Utrecht",
    "Achtkarspelen", "Tytsjerksteradiel", "Dongeradeel", "Dantumadiel", "Kollumerland c.a.", "Ferwerderadiel",
    # section 2.1 Noord-Nederland
    "Groningen", "Emmen", "Assen", "Hoogeveen", "Coevorden", "Drenthe", "Meppel", "Westerveld",
    # 2.3 Regio Amersfoort
    "Amersfoort", "Leusden", "Woudenberg", "Bunschoten", "Soest", "Baarn", "Nijkerk",
    # 2.4 Rijnmond
    "Rotterdam", "Albrandswaard", "Barendrecht", "Capelle aan den IJssel", "Goeree-Overflakkee",
    "Krimpen aan den IJssel", "Maassluis", "Nissewaard", "Ridderkerk", "Schiedam", "Vlaardingen", "Voorne aan Zee",
    "Zuidplas",
    # 2.5 Noordoost-Brabant
    "'s-Hertogenbosch", "Bernheze", "Boekel", "Boxtel", "Land van Cuijk", "Maashorst", "Meierijstad", "Oss",
    "Sint-Michielsgestel", "Vught",
    # 2.6 Oost-Nederland
    "Dalfsen", "Elburg", "Hardenberg", "Hattem", "Kampen", "Nunspeet", "Oldebroek", "Olst-Wijhe", "Ommen", "Raalte",
    "Staphorst", "Steenwijkerland", "Zwartewaterland", "Zwolle", "Apeldoorn", "Deventer", "Zutphen", "Brummen",
    "Epe", "Heerde", "Ermelo", "Harderwijk", "Lochem", "Putten", "Voorst", "Zeewolde", "Nijmegen", "Enschede",
    "Almelo", "Hengelo", "Twente",
    # 2.7, 2.8
    "Provincie Noord-Holland", "Drechterland", "Enkhuizen", "Hoorn", "Koggenland", "Medemblik", "Opmeer",
    "Stede Broec",
    # 2.9 Limburg
    "Heerlen", "Kerkrade", "Brunssum", "Landgraaf", "Voerendaal", "Simpelveld", "Beekdaelen", "Maastricht", "Stein",
    "Beek", "Gulpen-Wittem", "Vaals", "Meerssen", "Valkenburg",
    # 2.10, 2.11
    "Tilburg", "Breda", "Almere", "Zaanstad", "Beemster", "Drechtsteden", "Krimpenerwaard", "Haarlem", "Achterhoek",
    "Amsterdam", "Eindhoven", "Rijk",
    # section 3 (and sroi.md)
    "Alkmaar", "Den Helder", "Helmond", "Venlo", "Goes", "Zeeland", "Arnhem", "Ede", "FoodValley", "Roosendaal",
    "Bergen op Zoom", "Dordrecht", "Flevoland", "Zaanstreek-Waterland", "Midden-Holland", "Lekstroom", "Bloemendaal",
]
NO_TABLE = ("no published table of building blocks", "rules are known, but no published table",
            "no usable table of building blocks")
REGIONS = {"Twente"}  # a region whose municipalities have menus: the answer names their tables


@pytest.mark.parametrize("name", REGIONS_MD_NAMES)
def test_every_place_of_the_notes_gets_an_answer(invoke, name):
    answer = lookup(name)
    assert answer.known, name
    result = invoke("menus", "for", name)
    assert result.exit_code == 0, result.output
    if answer.listings:
        assert all(listing.newest.ref in result.stdout for listing in answer.listings)
    elif name in REGIONS:
        assert "is a region, not one municipality" in result.stdout and "oost-nederland@" in result.stdout
    else:  # says so plainly, and how to go on
        assert any(text in result.stdout for text in NO_TABLE)
        assert "impactkit menus new --from" in result.stdout and "menus validate" in result.stdout


@pytest.mark.parametrize("typed, name", [
    ("EMMEN", "Emmen"), ("gemeente emmen", "Emmen"), ("Gemeente Súdwest-Fryslân", "Súdwest-Fryslân"),
    ("sudwest fryslan", "Súdwest-Fryslân"), ("Den Bosch", "'s-Hertogenbosch"), ("s-Hertogenbosch", "'s-Hertogenbosch"),
    ("'s-Gravenhage", "Den Haag"), ("Pijnacker Nootdorp", "Pijnacker-Nootdorp"),
    ("  Alphen a/d Rijn ", "Alphen aan den Rijn"), ("capelle a/d ijssel", None),
])
def test_names_match_forgivingly(typed, name):
    answer = lookup(typed)
    assert answer.name == name
    if name is None:
        assert not answer.known


def test_normalise_drops_case_accents_punctuation_and_gemeente():
    assert normalise("Gemeente  Súdwest-Fryslân") == normalise("sudwest fryslan") == "sudwest fryslan"
    assert normalise("'s-Hertogenbosch") == "s hertogenbosch"


def test_a_drenthe_user_gets_a_clear_answer(invoke):
    result = invoke("menus", "for", "Emmen")
    out = result.stdout
    assert result.exit_code == 0 and "Emmen (Drenthe): no published table of building blocks is known." in out
    assert "Coordination point: the SROI coordination point of Drenthe" in out
    for ref in ("fryslan@harlingen", "groningen@sr3-2025", "oost-nederland@"):  # the neighbouring tables
        assert ref in out
    assert "impactkit menus new --from fryslan -o emmen.yaml" in out and "menu: ./emmen.yaml" in out
    nl = invoke("--lang", "nl", "menus", "for", "Assen").stdout
    assert "er is geen gepubliceerde tabel met bouwblokken bekend" in nl and "Begin een eigen menu" in nl
    # Meppel and Westerveld (Drenthe, Zwolle region) use the Oost-Nederland blocks, by a primary page
    for name in ("Meppel", "Westerveld"):
        choice = menu_for_municipality(name)
        assert choice.menu.ref == "oost-nederland@V05-2023-04" and choice.notes[0][0] == "note_municipality"


@pytest.mark.parametrize("name", ["Leeuwarden", "Smallingerland", "Terschelling", "friesland"])
def test_every_frisian_municipality_is_pointed_to_the_friese_eis(invoke, name):
    """A tester asked for Leeuwarden, the capital of Fryslân, and was told impactkit knew no menu or region."""
    result = invoke("menus", "for", name)
    out = " ".join(result.stdout.split())
    assert result.exit_code == 0 and "(Fryslân (Friese Eis)): rules are known, but no published table" in out
    assert "Coordination point: SROI Fryslân https://www.sroifryslan.nl/" in out and "fryslan@harlingen" in out
    assert "impactkit menus new --from fryslan" in out


@pytest.mark.parametrize("name", ["Voorschoten", "Lansingerland"])
def test_a_municipality_on_two_lists_is_a_conflict_the_tender_decides(invoke, tender_file, name):
    answer = lookup(name)
    ids = {listing.menu_id for listing in answer.listings}
    assert "haaglanden-zhc" in ids and len(ids) == 2
    out = invoke("menus", "for", name).stdout
    assert "listed by 2 menus" in out and "the tender documents decide" in out
    with pytest.raises(UnknownReferenceError) as err:
        menu_for_municipality(name)
    assert err.value.problems[0].key == "municipality_ambiguous"
    path = tender_file([], municipality=name, menu=None)
    result = invoke("check", path)
    assert result.exit_code == ExitCode.UNKNOWN and "field municipality" in result.stderr
    assert all(listing.newest.ref in result.stderr for listing in answer.listings)
    # naming the menu settles it; the report still says which list names the municipality
    chosen = invoke("check", tender_file([], municipality=name, menu="haaglanden-zhc", name="t2.yaml"))
    assert chosen.exit_code == 0 and f"municipality {name}: menu haaglanden-zhc@2023-07 lists it" in chosen.stdout


def test_a_tender_may_give_its_municipality_instead_of_a_menu(invoke, tender_file):
    lines = [{"block": "participatiewet", "candidate": "K1", "hours_per_week": 36, "months": 12}]
    path = tender_file(lines, municipality="Gemeente Katwijk", menu=None)
    result = invoke("check", path, "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    menu = resolve_menu("holland-rijnland-leiden").menu
    assert doc["menu"]["ref"] == menu.ref and doc["tender"]["municipality"] == "Gemeente Katwijk"
    assert doc["bids"][0]["credited"] == f"{menu.block('participatiewet').value:.2f}"
    assert any("only in a secondary source" in note for note in doc["menu_notes"])  # Katwijk: dataset's list


def test_a_tender_without_menu_and_municipality_says_what_to_give(invoke, tender_file):
    result = invoke("check", tender_file([], menu=None))
    assert result.exit_code == ExitCode.INVALID and "give the menu (menu:" in result.stderr


def test_a_tender_in_a_municipality_without_a_table_names_where_to_go(invoke, tender_file):
    result = invoke("check", tender_file([], municipality="Hoogeveen", menu=None))
    assert result.exit_code == ExitCode.UNKNOWN
    assert "no published menu is known for Hoogeveen" in result.stderr and "menus new --from fryslan" in result.stderr


def test_the_version_listing_the_municipality_is_chosen():
    # Meppel is only on the 2023 list; Zwolle on both (the newest undated one, with a note)
    assert menu_for_municipality("Meppel").menu.ref == "oost-nederland@V05-2023-04"
    zwolle = menu_for_municipality("Zwolle")
    assert zwolle.menu.ref == "oost-nederland@2026"
    assert [key for key, _ in zwolle.notes] == ["note_municipality_secondary", "menu_newest_chosen"]


def test_municipality_options_of_check_obligation_and_template(invoke, tender_file, tmp_path):
    path = tender_file([{"block": "mvo_uren", "hours": 10}])
    checked = json.loads(invoke("check", path, "--municipality", "Amersfoort", "--json").stdout)
    assert checked["menu"]["ref"] == resolve_menu("amersfoort").menu.ref
    both = invoke("check", path, "--municipality", "Hoorn", "--menu", "utrecht")
    assert both.exit_code == ExitCode.USAGE
    ob = json.loads(invoke("obligation", "--municipality", "Súdwest-Fryslân", "-v", "20000000", "--json").stdout)
    assert ob["menu"]["ref"] == "fryslan@harlingen" and ob["obligation"]["capped"] is True
    assert invoke("obligation", "-v", "1000").exit_code == ExitCode.USAGE  # neither given
    assert invoke("obligation", "--municipality", "Emmen", "-v", "1000").exit_code == ExitCode.UNKNOWN
    target = tmp_path / "bids.xlsx"
    result = invoke("template", target, "--municipality", "Den Bosch")
    assert result.exit_code == 0, result.output
    cells = [c.value for ws in load_workbook(target) for row in ws.iter_rows() for c in row]
    assert "noordoost-brabant@2025" in cells


def test_menus_for_as_json(invoke):
    doc = json.loads(invoke("menus", "for", "Coevorden", "--json").stdout)
    assert doc["name"] == "Coevorden" and doc["menus"] == [] and doc["place"]["finding"] == "no_table"
    assert doc["place"]["neighbours"] == ["fryslan", "groningen", "oost-nederland"]
    doc = json.loads(invoke("menus", "for", "zwolle", "--json", "--date", "2024-05-01").stdout)
    versions = {v["ref"]: v["listed_by"]["status"] for v in doc["menus"][0]["versions"]}
    assert versions == {"oost-nederland@V05-2023-04": "primary", "oost-nederland@2026": "secondary"}


def test_an_unknown_name_suggests_the_nearest(invoke):
    result = invoke("menus", "for", "Emen")
    assert result.exit_code == ExitCode.UNKNOWN and "did you mean Emmen?" in result.stderr
    assert invoke("menus", "for", "Atlantis").exit_code == ExitCode.UNKNOWN


def test_every_menu_names_its_municipalities_and_their_sources():
    from impactkit.menus import shipped_menus

    for menu in shipped_menus():
        members = menu.members()
        assert members, menu.ref
        for name, source in members:
            assert lookup(name).listings, (menu.ref, name)
            assert source.id in {s.id for s in menu.sources}


def test_places_name_shipped_menus_and_sourced_facts():
    from impactkit.menus import shipped_menus
    from impactkit.menus.municipalities import _places_data

    ids = {m.id for m in shipped_menus()}
    aliases, places = _places_data()
    for place in places:
        assert set(place.neighbours) <= ids and (place.start_from is None or place.start_from in ids), place.id
        assert place.finding in ("no_table", "rules_only", "withdrawn", "region", "facts")
        for fact in place.facts:
            assert fact.tag in ("P", "S", "D") and (fact.url is None or fact.url.startswith(("https://", "http://")))
            if fact.tag == "S":  # a secondary fact names the dataset commit it comes from
                assert fact.url.startswith("https://github.com/Waardewerk/SROI-monitor/blob/")
    for target in aliases.values():  # every other name leads to a name impactkit answers for
        assert lookup(target).known, target
