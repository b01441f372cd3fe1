"""The report (``python -m gansig report``): the page builder on hand-made results folders,
its refusals, and (in a real headless Chromium) the site built from the smoke runs."""

import json
import shutil
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import numpy as np
import pytest
import soundfile as sf
from conftest import BROWSER_REASON, MISSING, browser_missing

from gansig import plots
from gansig.__main__ import main
from gansig.cli import run
from gansig.errors import GansigError
from gansig.listening import Examples, read_index
from gansig.registry import PAPERS
from gansig.report import build, panel
from gansig.report.site import MARKER
from gansig.results import ResultsTable

ODD = 'Ünïcode <b>bold</b> & "quotes"'


def make_run(results: Path, paper: str = "mimo5g", profile: str = "quick", *, audio: bool = True,
             missing: str | None = None) -> Path:
    """A hand-made run: a table with a paper value, a not-measured cell and odd characters,
    a captioned figure and (with ``audio``) an indexed listening example."""
    folder = results / paper / profile
    table = ResultsTable(paper, profile, f"data {ODD}", 0, False,
                         references={"Table II": {"50 / GAN": {"RMSE": 0.15}}})
    table.add("Table II", "50 / GAN", "RMSE", 0.2, n_eval=50)
    table.add("Table II", f"row {ODD}", "RMSE", 0.3, note=f"note {ODD}")
    table.not_measured("Table II", "50 / GAN", "MSE", f"needs weights {ODD}")
    table.notes.append(f"a note {ODD}")
    table.finish().write(folder)
    plots.image_grid({"a": np.zeros((1, 4, 4))}, folder / "figures" / "grid.png", title=f"A caption {ODD}")
    if audio:
        examples = Examples(folder / "audio")
        t = np.arange(8000) / 8000
        examples.segment(f"seg {ODD}", {"clean": 0.5 * np.sin(2 * np.pi * 440 * t), f"sys {ODD}": 0.1 * t}, 8000,
                         stem="ex", bit_rates={f"sys {ODD}": 1.98}, caption=f"cap {ODD}")
        examples.write()
        if missing:
            (folder / "audio" / missing).unlink()
    return folder


def page(site: Path, paper: str = "mimo5g", profile: str = "quick") -> str:
    return (site.parent / paper / f"{profile}.html").read_text(encoding="utf-8")


def test_a_page_shows_the_table_escaped_with_its_paper_value_and_not_measured_cells(tmp_path):
    make_run(tmp_path / "results")
    index = build(tmp_path / "results", tmp_path / "site")
    html = page(index)
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html and "Ünïcode" in html
    assert html.count('data-value="paper"') == 1 and html.count('data-value="measured"') == 2
    assert html.count('data-value="not-measured"') == 1 and "needs weights" in html
    assert "A caption Ünïcode &lt;b&gt;" in html  # the figure's caption, read from the PNG
    assert "1.98 kbit/s" in html and "cap Ünïcode" in html
    assert (index.parent / "style.css").is_file() and (index.parent / MARKER).is_file()
    assert "<details>" in html and "git_sha" in html  # provenance, folded


def test_the_index_lists_every_paper_and_how_to_make_the_missing_ones(tmp_path):
    make_run(tmp_path / "results")
    html = build(tmp_path / "results", tmp_path / "site").read_text(encoding="utf-8")
    assert 'href="mimo5g/quick.html"' in html
    for name, info in PAPERS.items():
        assert info.title.split(" (")[0].replace("'", "&#x27;") in html
        if name != "mimo5g":
            assert f"No results yet. Make them with <code>make {info.make_target}</code>" in html
    for shipped in ("film-restorer", "bpgan-codec", "specgan-gansig", "sine-denoiser", "mimo5g-gan"):
        assert f"<code>{shipped}</code> (" in html  # which model each page's tool uses, from its card


def test_a_missing_audio_file_is_said_on_the_page(tmp_path):
    folder = make_run(tmp_path / "results", missing="ex_clean.wav")
    html = page(build(tmp_path / "results", tmp_path / "site"))
    assert "audio file missing: ex_clean.wav" in html
    assert html.count("<audio ") == 1  # the other system still plays
    assert read_index(folder / "audio")[0][0].file == "ex_clean.wav"


def test_results_older_than_the_index_still_show_tables_and_figures_and_say_to_rerun(tmp_path):
    make_run(tmp_path / "results", audio=False)
    html = page(build(tmp_path / "results", tmp_path / "site"))
    assert "<table" in html and "figures/grid.png" in html
    assert "audio/index.json" in html and "make reproduce-5g" in html


def test_the_notebook_panel_embeds_its_media(tmp_path):
    folder = make_run(tmp_path / "results")
    fragment = panel(folder)._repr_html_()
    assert fragment.count("data:audio/") == 2 and "data:image/png;base64," in fragment
    assert "&lt;b&gt;" in fragment and "<b>bold</b>" not in fragment


@pytest.mark.parametrize("case", ["not a folder", "no results", "results itself", "a run folder",
                                  "inside a run folder", "holds the results", "a user's folder", "a file"])
def test_bad_folders_are_refused_and_nothing_is_written(tmp_path, case, capsys):
    results = tmp_path / "results"
    folder = make_run(results)
    out = {"not a folder": tmp_path / "site", "no results": tmp_path / "site", "results itself": results,
           "a run folder": folder, "inside a run folder": folder / "report", "holds the results": tmp_path,
           "a user's folder": tmp_path / "mine", "a file": tmp_path / "file.txt"}[case]
    given = {"not a folder": results / "mimo5g" / "quick" / "table.json", "no results": tmp_path / "empty"}
    (tmp_path / "empty").mkdir()
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("keep me")
    (tmp_path / "file.txt").write_text("keep me")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    with pytest.raises(GansigError):
        build(given.get(case, results), out)
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    status = run(main, ["report", "--results", str(given.get(case, results)), "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_an_earlier_report_is_replaced_whole_but_a_file_the_user_added_stops_it(tmp_path, capsys):
    results = tmp_path / "results"
    make_run(results)
    site = tmp_path / "site"
    build(results, site)
    written = json.loads((site / MARKER).read_text())["files"]
    assert "index.html" in written and "mimo5g/quick.html" in written
    (site / "mimo5g" / "quick.html").write_text("an old page of the report's own")
    assert run(main, ["report", "--results", str(results), "--out", str(site)]) == 0
    assert f"report: {site / 'index.html'}" in capsys.readouterr().out
    assert "<table" in (site / "mimo5g" / "quick.html").read_text()
    (site / "mimo5g" / "my notes.txt").write_text("the user's")
    assert run(main, ["report", "--results", str(results), "--out", str(site)]) == 2
    assert "holds files that no report wrote (mimo5g/my notes.txt)" in capsys.readouterr().err
    assert (site / "mimo5g" / "my notes.txt").read_text() == "the user's"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging left


def test_an_out_that_is_a_link_is_followed_and_the_link_stays(tmp_path, capsys):
    results = tmp_path / "results"
    make_run(results)
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    for _ in range(2):  # a first report, then one that replaces it
        assert run(main, ["report", "--results", str(results), "--out", str(tmp_path / "link")]) == 0
        assert (tmp_path / "link").is_symlink() and (tmp_path / "real" / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real", "results"]  # no debris


def test_open_says_where_the_report_is_when_no_browser_opens_it(tmp_path, capsys, monkeypatch):
    import webbrowser

    make_run(tmp_path / "results")
    opened = []
    monkeypatch.setattr(webbrowser, "open", lambda uri: opened.append(uri) or False)
    assert run(main, ["report", "--results", str(tmp_path / "results"), "--open"]) == 0
    out = capsys.readouterr().out
    assert opened == [(tmp_path / "results" / "report" / "index.html").as_uri()]
    assert "report: " in out and "no web browser found" in out


# ---- in a real browser ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    missing = browser_missing()
    if missing:
        pytest.skip(f"{BROWSER_REASON} (missing: {', '.join(missing)})")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1000"):
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    yield driver
    driver.quit()


def local_file(page_file: Path, url: str) -> Path | None:
    """The file a relative link of ``page_file`` points at (None for an external or in-page one)."""
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return Path(unquote(parsed.path))
    if parsed.scheme or not parsed.path:
        return None
    return (page_file.parent / unquote(parsed.path)).resolve()


@pytest.mark.slow
def test_the_site_of_the_smoke_runs_works_in_a_real_browser(smoke, browser, tmp_path):
    results = tmp_path / "results"
    names = [name for name, info in PAPERS.items() if not (info.corpora and MISSING)]  # corpora need Debian's
    for name in names:
        shutil.copytree(smoke(name)[0], results / name / "smoke")
    index = build(results, tmp_path / "site")
    pages = [index, *sorted(index.parent.glob("*/*.html"))]
    assert len(pages) == 1 + len(names)
    for page_file in pages:
        browser.get(page_file.as_uri())
        deadline = time.time() + 60
        while browser.execute_script("return [...document.querySelectorAll('audio')].some(a => a.readyState < 1 "
                                     "&& !a.error)") and time.time() < deadline:
            time.sleep(0.2)
        images = browser.execute_script("return [...document.images].map(i => [i.src, i.complete, i.naturalWidth])")
        assert all(done and width > 0 for _, done, width in images), [i for i in images if not i[2]]
        players = "return [...document.querySelectorAll('audio')].map(a => [a.src, a.duration, a.error?.code])"
        for src, seconds, error in browser.execute_script(players):
            assert error is None, src
            assert seconds == pytest.approx(sf.info(str(local_file(page_file, src))).duration, abs=0.01), src
        links = browser.execute_script(
            "return [...document.querySelectorAll('a[href], link[href]')].map(a => a.getAttribute('href'))"
            ".concat([...document.querySelectorAll('[src]')].map(e => e.getAttribute('src')))")
        for link in links:
            target = local_file(page_file, link)
            if target is not None:
                assert target.is_file(), f"{page_file.name}: {link}"
            elif link.startswith("#"):
                assert browser.execute_script("return document.getElementById(arguments[0]) !== null", link[1:]), link
        if page_file != index:
            table = ResultsTable.from_json(results / page_file.parent.name / page_file.stem / "table.json")
            shown = browser.execute_script(
                "return [...document.querySelectorAll('table[data-table]')].map(t => "
                "[t.dataset.table, t.querySelectorAll('td[data-value]').length])")
            assert dict(shown) == {name: sum(1 + (r.reference is not None) for r in table.rows if r.table == name)
                                   for name in table.tables()}
        errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
        assert not errors, errors
        browser.save_screenshot(str(tmp_path / f"{page_file.parent.name}-{page_file.stem}.png"))
    assert index.read_text(encoding="utf-8").count("No results yet") == len(PAPERS) - len(names)
    listened = json.loads((results / "mimo5g" / "smoke" / "audio" / "index.json").read_text())["examples"]
    assert {e["system"] for e in listened} >= {"clean", "noisy", "GAN", "Autoencoder", "Wiener"}
