"""Settings: a flag wins over the environment, which wins over the default; each value reaches a server worker."""
from __future__ import annotations

import pytest

from newstrace import readers
from newstrace.errors import UsageError
from newstrace.settings import ENVIRONMENT, Settings, setting


def test_a_flag_wins_over_the_environment_which_wins_over_the_default():
    environ = {"NEWSTRACE_DB": "env.db", "NEWSTRACE_TOKEN": "t0k", "NEWSTRACE_MAX_UPLOAD_BYTES": "2000"}
    assert Settings.from_env({}) == Settings()
    from_env = Settings.from_env(environ)
    assert (from_env.db, from_env.token, from_env.max_upload_bytes) == ("env.db", "t0k", 2000)
    flagged = Settings.from_env(environ, db="flag.db", token="other", max_upload_bytes=10, port=9001, workers=3)
    assert (flagged.db, flagged.token, flagged.max_upload_bytes, flagged.port, flagged.workers) == ("flag.db", "other", 10, 9001, 3)
    assert setting("db", None, environ) == "env.db" and setting("port", None, environ) == 8000


@pytest.mark.parametrize("flags, environ, db, token", [
    ({"db": ""}, {"NEWSTRACE_DB": "env.db"}, "env.db", None),
    ({}, {"NEWSTRACE_DB": "", "NEWSTRACE_TOKEN": ""}, "newstrace.db", None),
    ({"token": ""}, {"NEWSTRACE_TOKEN": "t0k"}, "newstrace.db", None),
])
def test_an_empty_db_counts_as_not_given_and_an_empty_token_is_no_token(flags, environ, db, token):
    settings = Settings.from_env(environ, **flags)
    assert (settings.db, settings.token) == (db, token)


def test_settings_reach_a_server_worker_through_the_environment():
    settings = Settings(db="x.db", token=None, max_upload_bytes=1234)
    assert set(settings.to_env()) == set(ENVIRONMENT.values())
    assert Settings.from_env({**settings.to_env()}) == settings
    assert Settings.from_env(Settings(token="t0k").to_env()).token == "t0k"


def test_a_bad_upload_cap_in_the_environment_is_a_one_line_usage_error():
    with pytest.raises(UsageError, match="NEWSTRACE_MAX_UPLOAD_BYTES=lots: not a positive number of bytes"):
        Settings.from_env({"NEWSTRACE_MAX_UPLOAD_BYTES": "lots"})


def test_an_unknown_setting_is_refused():
    with pytest.raises(TypeError, match="unknown settings: colour"):
        Settings.from_env({}, colour="red")


def test_the_document_cap_is_the_readers_own():
    assert Settings().max_document_bytes == readers.MAX_DOCUMENT_BYTES
