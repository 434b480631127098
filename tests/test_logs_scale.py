"""fmtcodec.logs at scale: the Dask engine gives the single-core rows (local scheduler and a
LocalCluster of two worker processes), the command line, and bounded memory on a long log."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dask
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from distributed import Client, LocalCluster
from logs_samples import chrome_har, expected_failures, jsonl_log, mitmproxy_har

from fmtcodec import logs
from fmtcodec._cli import main


@pytest.fixture
def samples(tmp_path: Path) -> list[str]:
    folder = tmp_path / "logs"
    folder.mkdir()
    return [
        str(mitmproxy_har(folder / "mitm.har")),
        str(chrome_har(folder / "chrome.har")),
        str(jsonl_log(folder / "service.jsonl")),
    ]


def single_core(paths: list[str], out: Path) -> list[dict[str, Any]]:
    logs.write_table((logs.read_log(path) for path in paths), str(out))
    rows: list[dict[str, Any]] = pq.read_table(out).to_pylist()
    return rows


def dask_rows(table: logs.DaskTable, **compute: Any) -> tuple[list[dict[str, Any]], Any, Any]:
    rows, failures, summary = dask.compute(table.rows, table.failures, table.logs, **compute)
    found = pa.Table.from_pandas(rows, schema=logs.arrow_schema(), preserve_index=False)
    return found.to_pylist(), failures, summary


@pytest.mark.parametrize("scheduler", ["synchronous", "threads"])
def test_dask_on_the_local_scheduler_gives_the_same_rows(
    samples: list[str], tmp_path: Path, scheduler: str
) -> None:
    wanted = single_core(samples, tmp_path / "one.parquet")
    rows, failures, summary = dask_rows(logs.dask_table(samples), scheduler=scheduler)
    assert rows == wanted
    assert list(failures["message"]) == expected_failures(samples[2])
    assert list(summary["source"]) == samples
    assert [list(summary[c]) for c in ("exchanges", "rows", "failed", "skipped")] == [
        [3, 2, 3],
        [4, 2, 3],
        [0, 0, 2],
        [1, 0, 1],
    ]


def test_dask_walks_folders_as_the_single_core_export_does(samples: list[str]) -> None:
    folder = str(Path(samples[0]).parent)
    rows, _, summary = dask_rows(logs.dask_table(folder), scheduler="synchronous")
    assert sorted(summary["source"]) == sorted(samples)
    assert len(rows) == 9


def test_dask_reads_fsspec_urls(samples: list[str], tmp_path: Path) -> None:
    urls = [f"file://{path}" for path in samples]
    rows, failures, _ = dask_rows(logs.dask_table(urls), scheduler="synchronous")
    wanted = single_core(samples, tmp_path / "one.parquet")
    assert [{**row, "source": row["source"].removeprefix("file://")} for row in rows] == wanted
    assert len(failures) == 2


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    # Loopback only, and every port free-chosen: the scheduler serves HTTP (health,
    # metrics) even without a dashboard, by default on 8787, which another run may hold.
    with LocalCluster(
        n_workers=2,
        processes=True,
        threads_per_worker=1,
        host="127.0.0.1",
        scheduler_port=0,
        dashboard_address="127.0.0.1:0",
    ) as started:
        yield started


def test_dask_on_a_local_cluster_of_two_processes(
    cluster: LocalCluster, samples: list[str], tmp_path: Path
) -> None:
    wanted = single_core(samples, tmp_path / "one.parquet")
    with Client(cluster) as client:
        rows, failures, _ = dask_rows(logs.dask_table(samples), scheduler=client.get)
        workers = set(client.run(lambda: 1))
    assert len(workers) == 2
    assert rows == wanted
    assert list(failures["message"]) == expected_failures(samples[2])


def test_cli_dask_engine_on_a_local_cluster(
    cluster: LocalCluster, samples: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wanted = single_core(samples, tmp_path / "one.parquet")
    out = tmp_path / "cluster.parquet"
    args = ["table", "--engine", "dask", "--scheduler", cluster.scheduler_address]
    assert main([*args, *samples, "-o", str(out)]) == 1  # the JSON Lines log has 2 bad lines
    assert pq.read_table(out).to_pylist() == wanted
    err = capsys.readouterr().err.splitlines()
    assert err == [
        *expected_failures(samples[2]),
        "fmtcodec table: 8 exchanges from 3 logs, 9 rows written to"
        f" {out}; 2 failed, 2 other entries skipped",
    ]


@pytest.mark.parametrize(
    "engine", [["--engine", "single"], ["--engine", "dask", "--scheduler", "synchronous"]]
)
def test_cli_single_and_local_dask_agree(
    samples: list[str], tmp_path: Path, engine: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    wanted = single_core(samples, tmp_path / "one.parquet")
    out = tmp_path / "t.jsonl"
    assert main(["table", *engine, *samples[:2], "-o", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [(r["source"], r["entry"], r["sender"], r["id"]) for r in rows] == [
        (r["source"], r["entry"], r["sender"], r["id"]) for r in wanted[:6]
    ]
    assert capsys.readouterr().err == (
        f"fmtcodec table: 5 exchanges from 2 logs, 6 rows written to {out};"
        " 0 failed, 1 other entry skipped\n"
    )


def test_cli_usage_errors(
    samples: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for args, message in (
        (["-o", "t.csv"], "-o t.csv: name it .parquet or .jsonl, or give --format"),
        (["-o", "t.jsonl", "--scheduler", "threads"], "--scheduler is for --engine dask"),
        (["-o", "t.jsonl", "--field", "body"], "--field body: expected NAME=PATH"),
        (["-o", "t.jsonl", "--field", "bodi=x"], "--field bodi=x: the schema's fields are url,"),
    ):
        assert main(["table", *args, samples[0]]) == 2
        assert message in capsys.readouterr().err


def test_cli_an_empty_folder_is_a_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["table", str(tmp_path / "empty"), "-o", str(tmp_path / "t.jsonl")]) == 1
    assert capsys.readouterr().err == "fmtcodec table: no logs found to read\n"
    assert not (tmp_path / "t.jsonl").exists()


def test_cli_unwritable_output(
    samples: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "missing" / "t.jsonl"
    assert main(["table", samples[0], "-o", str(out)]) == 1
    assert capsys.readouterr().err.startswith(f"fmtcodec table: cannot write {out}: ")


def test_without_the_scale_extra_the_cli_says_what_to_install(
    samples: list[str], tmp_path: Path
) -> None:
    # A child where importing dask fails, as without the extra.
    code = (
        "import sys; sys.modules['dask'] = None; sys.modules['pyarrow'] = None;"
        "from fmtcodec._cli import main;"
        f"sys.exit(main(['table', {samples[0]!r}, '-o', {str(tmp_path / 't.parquet')!r}]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "pip install 'fmtcodec[scale]'" in done.stderr
    # JSON Lines output on one core needs none of it.
    code = code.replace("t.parquet", "t.jsonl")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


_MEMORY_CHILD = """
import json, resource, sys
from fmtcodec import logs

def kib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

small, big, out = sys.argv[1:]
logs.write_table([logs.read_log(small)], out)  # imports, parsers and caches built
before = kib()
summary = logs.write_table([logs.read_log(big)], out)
print(json.dumps({"growth": (kib() - before) * 1024, "summary": list(summary)}))
"""


def _har_of(path: Path, count: int) -> Path:
    entry = json.dumps(
        {
            "startedDateTime": "2024-05-01T10:00:00Z",
            "request": {
                "method": "GET",
                "url": "https://smsc.ru/sys/senders.php?chg=1&id=5&cmt=x",
                "headers": [{"name": "Host", "value": "smsc.ru"}],
            },
            "response": {"status": 200, "content": {"mimeType": "text/plain", "text": "OK"}},
            "timings": {"send": 0.1, "wait": 20.0, "receive": 0.3},
        }
    )
    with path.open("w", encoding="utf-8") as stream:
        stream.write('{"log": {"version": "1.2", "entries": [')
        stream.write(",".join([entry] * count))
        stream.write("]}}")
    return path


def test_a_log_of_100000_exchanges_converts_in_bounded_memory(tmp_path: Path) -> None:
    small = _har_of(tmp_path / "small.har", 1_000)
    big = _har_of(tmp_path / "big.har", 100_000)
    done = subprocess.run(
        [sys.executable, "-c", _MEMORY_CHILD, str(small), str(big), str(tmp_path / "t.parquet")],
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(done.stdout)
    assert found["summary"] == [1, 100_000, 100_000, 0, 0]
    # json.load of this file alone takes several times its size; the streamed export
    # grows by a batch of rows, not by the log.
    size = big.stat().st_size
    assert size > 25_000_000
    assert found["growth"] < size / 4, found


def test_cli_field_mapping_and_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "api.log"  # not a .jsonl name: --kind says what it is
    line = {
        "ts": 1714726860,
        "req": {"q": {"get": 1, "fmt": 3}},
        "resp": '[{"sender": "A", "id": 4}]',
    }
    log.write_text(json.dumps(line) + "\n", "utf-8")
    out = tmp_path / "t.jsonl"
    args = ["table", "--kind", "jsonl", "--field", "time=ts", "--field", "params=req.q"]
    assert main([*args, "--field", "body=resp", str(log), "-o", str(out)]) == 0
    (row,) = [json.loads(text) for text in out.read_text("utf-8").splitlines()]
    assert (row["time"], row["command"], row["fmt"], row["sender"], row["id"]) == (
        "2024-05-03T09:01:00Z",
        "get",
        3,
        "A",
        4,
    )
    assert capsys.readouterr().err.startswith("fmtcodec table: 1 exchange from 1 log, 1 row")
