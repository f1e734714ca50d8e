"""`impactkit obligation` and `impactkit menus ...` through the command line."""

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from impactkit.cli.app import app
from impactkit.engine import compute_obligation, terms_for
from impactkit.errors import ExitCode
from impactkit.i18n import Translator
from impactkit.menus import resolve_menu, shipped_menus

README = Path(__file__).resolve().parent.parent / "README.md"


def test_obligation_quick_question(invoke):
    result = invoke("obligation", "--menu", "haaglanden-zhc", "--value", "500000")
    assert result.exit_code == 0, result.output
    expected = compute_obligation(Decimal(500000), terms_for(resolve_menu("haaglanden-zhc").menu))
    assert Translator("en").eur(expected.amount) in result.stdout


def test_obligation_json_with_date_and_overrides(invoke):
    result = invoke("obligation", "-m", "fryslan", "-v", "20000000", "--json")
    doc = json.loads(result.stdout)
    assert doc["obligation"]["capped"] is True and doc["obligation"]["amount"] == "300000.00"
    result = invoke("obligation", "-m", "haaglanden-zhc", "-v", "100000", "--threshold", "0", "--json")
    assert json.loads(result.stdout)["obligation"]["amount"] == "5000.00"
    result = invoke("obligation", "-m", "haaglanden-zhc", "-v", "500000", "--date", "2021-01-01")
    assert result.exit_code == ExitCode.UNKNOWN and "no version" in result.stderr


@pytest.mark.parametrize("args", [["--value", "lots"], ["--value", "-5"], ["--value", "1000", "--rate", "5"]])
def test_obligation_bad_numbers_are_usage_errors(invoke, args):
    result = invoke("obligation", "--menu", "utrecht", *args)
    assert result.exit_code == ExitCode.USAGE and "Traceback" not in result.output


def test_menus_list(invoke):
    result = invoke("menus", "list")
    assert result.exit_code == 0
    for menu in shipped_menus():
        assert menu.ref in result.stdout
    doc = json.loads(invoke("menus", "list", "--json").stdout)
    assert {m["ref"] for m in doc} == {m.ref for m in shipped_menus()}
    partial = {m["ref"] for m in doc if m["status"] == "partial"}
    assert partial == {"groningen@sr3-2025"}


def test_menus_show_every_block_with_source_and_the_purchase_bridge(invoke):
    menu = resolve_menu("holland-rijnland-leiden").menu
    result = invoke("menus", "show", "holland-rijnland-leiden")
    assert result.exit_code == 0
    for block in menu.blocks:
        assert block.id in result.stdout
    assert "https://www.dzb.nl/bouwblokkenmethode/" in result.stdout
    assert "€10,000.00" in result.stdout and "sw_inkoop" in result.stdout
    no_bridge = invoke("menus", "show", "haaglanden-zhc")
    assert "no block in this menu credits purchases" in no_bridge.stdout
    shown = json.loads(invoke("menus", "show", "utrecht@1", "--json").stdout)
    assert shown["ref"] == "utrecht@1" and shown["hours_basis"] == "40"


def test_menus_show_unknown(invoke):
    result = invoke("menus", "show", "utrect")
    assert result.exit_code == ExitCode.UNKNOWN and "utrecht" in result.stderr


def test_menus_new_and_validate_round_trip(invoke, tmp_path):
    text = invoke("menus", "new", "--from", "haaglanden-zhc").stdout
    data = yaml.safe_load(text)
    assert data["id"] == "my-menu" and text.startswith("# Your own menu")
    out = tmp_path / "Mijn Regio.yaml"
    assert invoke("menus", "new", "--from", "utrecht@1", "-o", out).exit_code == 0
    assert invoke("menus", "new", "--from", "utrecht@1", "-o", out).exit_code == ExitCode.USAGE  # no overwrite
    result = invoke("menus", "validate", out)
    assert result.exit_code == 0 and "valid menu mijn-regio@1" in result.stdout  # the id comes from the file name
    assert "unchanged copy" in result.stdout and "utrecht@1" in result.stdout
    assert invoke("menus", "new", "--from", "utrecht", "--id", "Not An Id").exit_code == ExitCode.USAGE


def test_menus_validate_explains_every_problem(invoke, tmp_path):
    original = (tmp_path / "m.yaml")
    original.write_text(invoke("menus", "new", "--from", "fryslan").stdout, encoding="utf-8")
    text = original.read_text(encoding="utf-8")
    broken = text.replace("hours_basis: 36\n", "").replace("value: 35000", "value: lots", 1)
    bad = tmp_path / "bad.yaml"
    bad.write_text(broken, encoding="utf-8")
    result = invoke("menus", "validate", bad, original)
    assert result.exit_code == ExitCode.INVALID
    value_line = broken.splitlines().index(next(x for x in broken.splitlines() if "value: lots" in x)) + 1
    assert f"bad.yaml, line {value_line}, block 1, field value: must be a number (got lots)" in result.stderr
    assert "field hours_basis: is required but missing" in result.stderr
    assert "valid menu my-menu@1" in result.stdout  # the good file is still reported


def test_help_does_not_import_heavy_modules():
    code = (
        "import sys\n"
        "from impactkit.cli.app import main\n"
        "sys.argv = ['impactkit', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pandas', 'openpyxl', 'impactkit.engine', 'impactkit.menus') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "HEAVY []" in out


def test_python_dash_m_works():
    out = subprocess.run([sys.executable, "-m", "impactkit", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("impactkit ")


def test_app_is_the_console_script():
    from importlib.metadata import entry_points

    script = next(ep for ep in entry_points(group="console_scripts") if ep.name == "impactkit")
    assert script.value == "impactkit.cli.app:main" and app is not None
