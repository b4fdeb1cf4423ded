"""The Spark session: the active one, or a new one set up for a local run; and whether Spark can run here at all."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from newstrace.errors import UsageError

#: Settings for a local session: no web UI, few shuffle partitions, loopback only.
LOCAL_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "4",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.sql.sources.partitionColumnTypeInference.enabled": "false",
}


def spark_session(master: str | None = None, conf: dict[str, str] | None = None, app_name: str = "newstrace"):
    """The active SparkSession, or a new one; a `local[...]` master gets `LOCAL_CONF` and this Python.

    Under spark-submit, leave `master` None: the cluster's settings apply.
    """
    missing = spark_available()
    if missing:
        raise UsageError(None, f"Spark cannot run here: {missing}", "or run `newstrace ingest` on this machine instead")
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = SparkSession.builder.appName(app_name)
    settings = {}
    if master is not None:
        builder = builder.master(master)
        if master.startswith("local"):
            settings.update(LOCAL_CONF)
            # Workers must run the interpreter that has newstrace and the model installed.
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    settings.update(conf or {})
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def spark_available() -> str | None:
    """None when Spark can run here; else why not (no pyspark, or no Java)."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install the version pinned in requirements.lock)"
    java_home = os.environ.get("JAVA_HOME")
    java = Path(java_home, "bin", "java") if java_home else None
    if not (java and java.exists()) and shutil.which("java") is None:
        return "no Java runtime (install openjdk-17-jre-headless, or set JAVA_HOME)"
    return None

