"""The theme's templates are compiled once per site build, and the site is the same bytes.

Issue 18: the site stage has to stay close to a bare ``mkdocs build``
(``benchmarks/site_vs_mkdocs.py``); compiling Material's templates again for
every language was about half of each language's MkDocs time.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter
from pathlib import Path

import jinja2
import pytest
from test_site import make_project

from lisible import site, templatecache


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_each_template_compiles_once_and_the_site_is_byte_identical(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    config = make_project(tmp_path)
    compiled: Counter[str] = Counter()
    real_compile = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled[filename or name or "<string>"] += 1
        return real_compile(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    site.build_site(config)
    shared = _digests(config.site_dir)
    assert compiled and max(compiled.values()) == 1, compiled.most_common(3)

    monkeypatch.setattr(templatecache.SharedTemplates, "attach", lambda self, settings: None)
    compiled.clear()
    unshared = dataclasses.replace(config, site_dir=tmp_path / "unshared")
    site.build_site(unshared)
    assert max(compiled.values()) >= len(config.languages)  # what it cost before
    assert _digests(unshared.site_dir) == shared and len(shared) > 20


def _env(folder: Path, shared: templatecache.SharedTemplates,
         *extensions: str) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), auto_reload=False,
                             extensions=list(extensions))
    return shared.lend(env)


def test_a_changed_template_compiles_afresh(tmp_path: Path) -> None:
    shared = templatecache.SharedTemplates()
    (tmp_path / "page.html").write_text("one {{ x }}", "utf-8")
    assert _env(tmp_path, shared).get_template("page.html").render(x=1) == "one 1"
    (tmp_path / "page.html").write_text("two {{ x }}", "utf-8")
    assert _env(tmp_path, shared).get_template("page.html").render(x=2) == "two 2"


def test_environments_with_other_extensions_do_not_share_code(tmp_path: Path) -> None:
    shared = templatecache.SharedTemplates()
    (tmp_path / "page.html").write_text("{% trans %}hello{% endtrans %}", "utf-8")
    with pytest.raises(jinja2.TemplateSyntaxError):
        _env(tmp_path, shared).get_template("page.html")
    env = _env(tmp_path, shared, "jinja2.ext.i18n")
    env.install_null_translations()
    assert env.get_template("page.html").render() == "hello"
    plain = _env(tmp_path, shared)
    with pytest.raises(jinja2.TemplateSyntaxError):  # not lent the i18n environment's code
        plain.get_template("page.html")
