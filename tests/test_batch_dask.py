"""A batch on a real Dask cluster gives the serial run's summary, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from dask import distributed
from test_batch import DAY, jsonl, run  # noqa: F401  (jsonl is a fixture)

pytestmark = pytest.mark.slow


def test_local_cluster_gives_the_serial_summary(tmp_path: Path, jsonl: Path) -> None:  # noqa: F811
    """--dask ADDRESS sends the chunks to a LocalCluster's scheduler (an in-process cluster with
    two worker threads); the summary equals the serial one."""
    serial, remote = tmp_path / "serial.csv", tmp_path / "dask.csv"
    assert run("batch", str(jsonl), "--as-of", DAY, "--summary", str(serial))[0] == 1
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        code, _, err = run("batch", str(jsonl), "--as-of", DAY, "--summary", str(remote),
                           "--dask", cluster.scheduler_address, "--chunk-size", "2")
    assert code == 1, err
    assert remote.read_bytes() == serial.read_bytes()


def test_unreachable_scheduler_is_a_usage_error(tmp_path: Path, jsonl: Path,  # noqa: F811
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A scheduler that does not answer gives exit code 2 and one line naming --dask."""
    # Dask retries a refused connection until the timeout: 1 s here instead of 15.
    monkeypatch.setattr("qcompliance.batch.distributed.CONNECT_TIMEOUT", "1s")
    code, _, err = run("batch", str(jsonl), "--dask", "tcp://127.0.0.1:9", "--summary",
                       str(tmp_path / "s.csv"))
    assert code == 2
    assert "--dask" in err
    assert not (tmp_path / "s.csv").exists()
