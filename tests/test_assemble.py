"""The site assembled in-process, as both engines receive it: options, navigation, metadata, edit links."""

from __future__ import annotations

from pathlib import Path

import pytest

from ohm.engines import write_project
from ohm.mkdocs_plugin import CataloguePlugin
from ohm.site.assemble import PLUGIN_OPTIONS, SiteError, SiteOptions, assemble, for_html, site_options

from .conftest import SMALL_CATALOGUE, make_project

REPO_URL = "https://github.com/example/health-models"
LOCAL_REPOSITORY = "https://127.0.0.1:8443/example/alpha-bert"


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project", SMALL_CATALOGUE.read_text(encoding="utf-8"))


def test_the_mkdocs_plugin_declares_exactly_the_site_options_and_their_defaults():
    plugin = CataloguePlugin()
    errors, warnings = plugin.load_config({})
    assert (errors, warnings) == ([], [])
    assert dict(plugin.config) == PLUGIN_OPTIONS
    assert PLUGIN_OPTIONS == {
        "catalogue": "data/models.yaml",
        "templates": "templates",
        "freshness": None,
        "allow_hosts": "",
    }


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"colour": "blue"}, "plugins: ohm: colour: unknown option; the options are catalogue, templates, "),
        ({"freshness": 3}, "plugins: ohm: freshness: expected text, not int"),
        ({"catalogue": None}, "plugins: ohm: catalogue: expected text, not NoneType"),
    ],
)
def test_bad_plugin_options_are_one_line(tmp_path, options, message):
    with pytest.raises(SiteError) as raised:
        site_options(options, tmp_path)
    assert str(raised.value).startswith(message)


def test_options_not_given_keep_their_defaults(tmp_path):
    options = site_options({"freshness": None, "templates": "other"}, tmp_path, nav=[{"About": "about.md"}])
    assert options == SiteOptions(project_dir=tmp_path, templates="other", nav=({"About": "about.md"},))


def test_the_navigation_names_categories_and_tasks_then_the_hand_written_pages_and_no_model(project):
    site = assemble(site_options({}, project, nav=[{"About": "about.md"}]))
    assert [next(iter(item)) for item in site.nav] == ["Home", "Models", "Tasks", "About"]
    assert {"index.md", "llm.md", "vision.md", "tasks/index.md", "tasks/ner.md", "about.md"} <= site.in_nav
    model_pages = {path for path in site.files if path.startswith("models/") and path != "models/index.md"}
    assert model_pages and not model_pages & site.in_nav
    assert {"models.json", "models.csv"} <= set(site.files)


def test_page_metadata_is_escaped_for_html_once_and_on_one_line(project):
    assert (
        for_html("A <b> &amp;\n  \"quoted\" 'single'")
        == "A &lt;b&gt; &amp;amp; &quot;quoted&quot; &#x27;single&#x27;"
    )
    assert for_html(["x < y", "z"]) == ["x &lt; y", "z"]
    assert for_html({"boost": 2}) == {"boost": 2}
    site = assemble(site_options({}, project))
    assert site.meta["models/seg-net.md"]["title"] == "SegNet Example"
    assert site.meta["models/seg-net.md"]["search"] == {"boost": 2}
    assert site.meta["index.md"] == {"hide": ["navigation", "toc"]}


def test_edit_links_open_the_catalogue_and_the_included_file_only_with_a_repository(project):
    site = assemble(site_options({}, project, repo_url=REPO_URL))
    assert site.edit_uri == "edit/main/docs/"
    assert site.edit_urls["llm.md"] == f"{REPO_URL}/edit/main/data/models.yaml"
    assert site.edit_urls["models/seg-net.md"] == f"{REPO_URL}/edit/main/data/models.yaml"
    assert site.edit_urls["contributing.md"] == f"{REPO_URL}/edit/main/CONTRIBUTING.md"
    without = assemble(site_options({}, project))
    assert without.edit_uri is None
    assert set(without.edit_urls.values()) == {None}


def test_allowed_hosts_reach_validation_in_both_engines(project, tmp_path):
    catalogue = project / "data" / "models.yaml"
    catalogue.write_text(
        # The repository itself, not the files pinned in it that the entry's evidence cites.
        catalogue.read_text(encoding="utf-8").replace(
            "https://github.com/example/alpha-bert\n", LOCAL_REPOSITORY + "\n"
        ),
        encoding="utf-8",
    )
    with pytest.raises(SiteError) as raised:
        assemble(site_options({}, project))
    assert [problem.field for problem in raised.value.problems] == ["links.repository", "sources[0]"]
    assert LOCAL_REPOSITORY in assemble(site_options({"allow_hosts": "127.0.0.1"}, project)).files["llm.md"]

    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  - ohm:\n", "  - ohm:\n      allow_hosts: 127.0.0.1\n"),
        encoding="utf-8",
    )
    written = write_project(config, tmp_path / "written")
    assert LOCAL_REPOSITORY in (written.parent / "docs" / "llm.md").read_text(encoding="utf-8")


def test_a_hand_written_page_cannot_replace_a_generated_one(project):
    (project / "docs" / "llm.md").write_text("# Hand-written\n", encoding="utf-8")
    with pytest.raises(SiteError, match=r"^docs/llm\.md clashes with a generated page; rename it\.$"):
        assemble(site_options({}, project))


def test_a_missing_catalogue_is_one_problem_and_no_site(project):
    (project / "data" / "models.yaml").unlink()
    with pytest.raises(
        SiteError, match=r"^1 problem\(s\) in the catalogue; the site was not built\.$"
    ) as raised:
        assemble(site_options({}, project))
    [problem] = raised.value.problems
    assert "models.yaml" in str(problem)
