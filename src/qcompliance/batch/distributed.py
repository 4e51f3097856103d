"""Running a batch on Dask (the optional extra ``qcompliance[dask]``).

``dask_executor("local")`` starts a :class:`~dask.distributed.LocalCluster` of ``workers``
processes on this machine; any other address (``tcp://scheduler:8786``) connects to a running
scheduler. Either way the batch sees an ordinary :class:`concurrent.futures.Executor`
(``Client.get_executor()``), so the chunks, their order and the outputs are the same as with a
process pool. Workers need qcompliance installed (same version) and, for checklists given as
paths, the same files at the same paths (docs/scale.md).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from concurrent.futures import Executor
from typing import Any

from qcompliance.errors import Problem, UsageError

__all__ = ["dask_executor"]

CONNECT_TIMEOUT = "15s"
"""How long ``--dask ADDRESS`` waits for the scheduler to answer."""


@contextlib.contextmanager
def dask_executor(address: str, workers: int = 1) -> Iterator[Executor]:
    """An executor running on Dask: a new local cluster (``"local"``) or the scheduler at
    ``address``; closed (and the local cluster stopped) on leaving."""
    try:
        import dask.distributed
    except ImportError:
        raise UsageError(Problem("--dask needs Dask: pip install 'qcompliance[dask]'",
                                 key="--dask")) from None
    # Dask ships without complete type hints; its objects are handled as Any here.
    distributed: Any = dask.distributed
    cluster: Any = None
    client: Any
    try:
        if address == "local":
            cluster = distributed.LocalCluster(n_workers=max(1, workers), threads_per_worker=1,
                                   processes=True, dashboard_address=None)
            client = distributed.Client(cluster)
        else:
            client = distributed.Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise UsageError(Problem(f"cannot reach the Dask scheduler {address}: {exc}",
                                 key="--dask")) from None
    try:
        executor: Executor = client.get_executor()
        yield executor
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
