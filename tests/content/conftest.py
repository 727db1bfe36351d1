"""Fixtures for content/ tests: a copy of a small fixture tree to break at will, never the real content/."""
import shutil

import pytest

from tests.content.helpers import FIXTURE, ContentFolder


@pytest.fixture
def content(tmp_path, runner) -> ContentFolder:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE, root)
    return ContentFolder(root, runner)
