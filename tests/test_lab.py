"""JupyterLab as shipped (the ``lab`` extra, ``make lab``): a real Jupyter server started from this
environment, driven through its REST API and a kernel websocket, as Lab's front end drives it.

- the executed notebooks under the build folder re-run where they are (their ``catalog``
  parameter resolves from ``<build>/notebooks/<doc>/``), and draw their figures;
- the jupytext pairing (``notebooks/jupytext.toml``) is live in the server: saving the notebook
  writes its ``.py`` source, and an edit of the source shows in the notebook;
- the server shuts down cleanly: no process it started is left behind.

Skipped where jupyterlab is not installed (``make lab`` or ``pip install -e '.[lab]'``); under CI
(``CI=true``, where ``make test`` installs the extra) a missing install fails instead."""
from __future__ import annotations

import base64
import importlib.util
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timezone
from pathlib import Path

import jupytext
import nbformat
import pytest

from built_spec import shared_build
from pricing.spec import nbtools
from pricing.spec.notebook import RESULTS_MIME

DOC, NAME = "apigw", "03_shared"


def _need_lab():
    if importlib.util.find_spec("jupyterlab") is None or importlib.util.find_spec("websocket") is None:
        reason = "jupyterlab not installed in this environment (make lab, or pip install -e '.[lab]')"
        if os.environ.get("CI"):
            pytest.fail(reason)  # make test installs the lab extra; a skip in CI would hide that it did not
        pytest.skip(reason)


# the pairing, as configured (no server needed) -------------------------------------------------

def test_jupytext_pairs_every_notebook_with_its_percent_source():
    from jupytext.config import find_jupytext_configuration_file, load_jupytext_configuration_file
    found = find_jupytext_configuration_file(str(nbtools.NOTEBOOKS / DOC))
    assert Path(found) == nbtools.NOTEBOOKS / "jupytext.toml"  # inside the folder `make lab` serves
    config = load_jupytext_configuration_file(found)
    assert config.default_formats(str(nbtools.NOTEBOOKS / DOC / f"{NAME}.ipynb")) == "ipynb,py:percent"
    for py in nbtools.sources():
        # what jupytext writes for the committed notebook is its committed source: saving in Lab
        # changes nothing that was not edited (no YAML header, no empty tag lists)
        nb = jupytext.read(py.with_suffix(".ipynb"))
        written = jupytext.writes(nb, fmt="py:percent", config=config)
        assert not written.startswith("# ---") and "tags=[]" not in written, py.name
        ours, theirs = jupytext.reads(written, fmt="py:percent"), jupytext.read(py, fmt="py:percent")
        assert [(c.cell_type, c.source, c.metadata) for c in ours.cells] == \
            [(c.cell_type, c.source, c.metadata) for c in theirs.cells], py.name


# a Jupyter server from this environment --------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            if c not in found:
                found.add(c)
                todo.append(c)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class Server:
    def __init__(self, root: Path, tmp: Path):
        self.root, self.port, self.token = root, _free_port(), secrets.token_hex(16)
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp / "config"), JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
                   JUPYTER_DATA_DIR=str(tmp / "data"), JUPYTER_PLATFORM_DIRS="1")
        self.log = open(tmp / "server.log", "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={self.port}",
             "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={root}",
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
            stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        deadline = time.monotonic() + 120
        while True:
            try:
                if self.api("GET", "api/status")["started"]:
                    break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            assert self.proc.poll() is None and time.monotonic() < deadline, self.logged()
            time.sleep(0.25)

    def logged(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")[-4000:]

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        req = urllib.request.Request(f"{self.base}/{path}", method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def api(self, method: str, path: str, body: dict | None = None):
        status, data = self.request(method, path, body)
        assert 200 <= status < 300, (method, path, status, data[:2000])
        return json.loads(data) if data else None

    def stop(self) -> set[int]:
        """Shut the server down through its API; return the processes it had started."""
        started = _descendants(self.proc.pid)
        self.request("POST", "api/shutdown")
        try:
            self.proc.wait(timeout=60)
        finally:
            self.log.close()
        return started

    def kill(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, 9)  # our own process group (start_new_session), nothing else
            self.proc.wait(timeout=30)
        if not self.log.closed:
            self.log.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return shared_build(tmp_path_factory)


@pytest.fixture(scope="module")
def server(tmp_path_factory, built):
    _need_lab()
    tmp = tmp_path_factory.mktemp("lab")
    root = tmp / "root"
    # the executed notebooks exactly as the build left them, in a build folder of their own
    shutil.copytree(built / "notebooks", root / "build" / "notebooks")
    # one notebook pair and the pairing config, as in notebooks/
    (root / "notebooks" / DOC).mkdir(parents=True)
    shutil.copy(nbtools.NOTEBOOKS / "jupytext.toml", root / "notebooks")
    for suffix in (".py", ".ipynb"):  # the .ipynb copied last: newer than its source, as after a refresh
        shutil.copy(nbtools.NOTEBOOKS / DOC / f"{NAME}{suffix}", root / "notebooks" / DOC)
    s = Server(root, tmp)
    yield s
    s.kill()


class Kernel:
    """A notebook session and its kernel's websocket, as Lab opens them."""

    def __init__(self, server: Server, path: str):
        import websocket
        self.server = server
        self.session = server.api("POST", "api/sessions", {"path": path, "name": Path(path).name, "type": "notebook",
                                                           "kernel": {"name": "python3"}})
        kid, self.client = self.session["kernel"]["id"], uuid.uuid4().hex
        self.ws = websocket.create_connection(
            f"ws://127.0.0.1:{server.port}/api/kernels/{kid}/channels?session_id={self.client}",
            header=[f"Authorization: token {server.token}"], timeout=120)

    def run(self, code: str, timeout: float = 120) -> list[dict]:
        """Execute ``code``; return the iopub messages it produced (outputs), failing on an error."""
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test", "session": self.client,
                       "version": "5.3", "date": datetime.now(timezone.utc).isoformat()},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        outputs, idle, reply = [], False, None
        deadline = time.monotonic() + timeout
        while not (idle and reply):
            self.ws.settimeout(max(1.0, deadline - time.monotonic()))
            m = json.loads(self.ws.recv())
            assert time.monotonic() < deadline, f"no answer in {timeout} s to: {code[:200]}"
            if m.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if m["channel"] == "iopub" and m["msg_type"] == "status":
                idle = m["content"]["execution_state"] == "idle"
            elif m["channel"] == "iopub" and m["msg_type"] in ("display_data", "execute_result", "stream", "error"):
                outputs.append(m)
            elif m["channel"] == "shell" and m["msg_type"] == "execute_reply":
                reply = m
        errors = [o["content"] for o in outputs if o["msg_type"] == "error"]
        assert reply["content"]["status"] == "ok" and not errors, (code[:300], errors or reply["content"])
        return outputs

    def close(self):
        self.ws.close()
        self.server.api("DELETE", f"api/sessions/{self.session['id']}")


def test_lab_serves_its_page_and_jupytext_opens_the_source_as_a_notebook(server):
    status, page = server.request("GET", "lab")
    assert status == 200 and b"JupyterLab" in page
    model = server.api("GET", f"api/contents/notebooks/{DOC}/{NAME}.py?type=notebook&content=1")
    assert model["type"] == "notebook" and model["content"]["cells"][0]["source"].startswith("# 共享实例计费")


def test_an_executed_notebook_reruns_where_the_build_left_it(server, built):
    path = f"build/notebooks/{DOC}/{NAME}.ipynb"
    nb = server.api("GET", f"api/contents/{path}?content=1")["content"]
    params = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    assert 'catalog = "../../pricing/catalog"' in params["source"]  # relative, as in the source
    assert not (server.root / "build" / "pricing").exists()  # so it does not exist from there
    k = Kernel(server, path)
    try:
        outputs = []
        for c in nb["cells"]:
            if c["cell_type"] == "code":
                outputs += k.run(c["source"])
        where = k.run("import os; print(os.getcwd()); print(spec.catalog.path)")
        cwd, catalog = "".join(o["content"]["text"] for o in where if o["msg_type"] == "stream").split()
        assert Path(cwd) == server.root / "build" / "notebooks" / DOC
        assert Path(catalog) == nbtools.ROOT / "pricing" / "catalog"
    finally:
        k.close()
    data = [o["content"]["data"] for o in outputs if o["msg_type"] in ("display_data", "execute_result")]
    pngs = [base64.b64decode(d["image/png"]) for d in data if "image/png" in d]
    assert pngs and all(p[:8] == b"\x89PNG\r\n\x1a\n" and len(p) > 5000 for p in pngs)  # the chart is drawn
    summary = next(d[RESULTS_MIME] for d in data if RESULTS_MIME in d)
    assert summary["section"] == "apigw.shared" and {e["status"] for e in summary["examples"]} == {"match"}
    fee = next(e for e in summary["examples"] if e["id"] == "apigw.shared.fee-45.26")
    assert fee["computed"] == fee["printed"] == "45.26"
    # the same figures, the same outputs as the build's own run
    built_nb = nbformat.read(built / "notebooks" / DOC / f"{NAME}.ipynb", as_version=4)
    built_md = [o["data"]["text/markdown"] for c in built_nb.cells for o in c.get("outputs", [])
                if "text/markdown" in o.get("data", {})]
    assert [d["text/markdown"] for d in data if "text/markdown" in d] == built_md


def test_saving_either_file_in_lab_updates_both(server):
    folder = server.root / "notebooks" / DOC
    py, ipynb = folder / f"{NAME}.py", folder / f"{NAME}.ipynb"
    model = server.api("GET", f"api/contents/notebooks/{DOC}/{NAME}.ipynb?content=1")
    cells = model["content"]["cells"]
    cells[0]["source"] += "\n\nEdited in Lab."
    server.api("PUT", f"api/contents/notebooks/{DOC}/{NAME}.ipynb",
               {"type": "notebook", "format": "json", "content": model["content"]})
    text = py.read_text(encoding="utf-8")
    assert "# Edited in Lab." in text and not text.startswith("# ---")  # the source follows, with no header
    assert "Edited in Lab." in ipynb.read_text(encoding="utf-8")
    # and the other way: the source edited as text, the notebook opened in Lab shows the edit
    py.write_text(text.replace("# Edited in Lab.", "# Edited as text."), encoding="utf-8")
    later = time.time() + 5
    os.utime(py, (later, later))
    model = server.api("GET", f"api/contents/notebooks/{DOC}/{NAME}.ipynb?content=1")
    assert model["content"]["cells"][0]["source"].endswith("Edited as text.")
    assert len(model["content"]["cells"]) == len(cells) and model["content"]["cells"][-1].get("outputs")  # outputs kept
    server.api("PUT", f"api/contents/notebooks/{DOC}/{NAME}.ipynb",
               {"type": "notebook", "format": "json", "content": model["content"]})
    assert "Edited as text." in ipynb.read_text(encoding="utf-8")
    assert nbtools.in_sync(py, ipynb) == []


def test_the_server_shuts_down_cleanly(server):
    k = Kernel(server, f"build/notebooks/{DOC}/{NAME}.ipynb")  # a live kernel at shutdown
    k.run("x = 1")
    k.ws.close()
    started = server.stop()
    assert started, "the server had started its kernel"
    assert server.proc.returncode == 0, server.logged()
    deadline = time.monotonic() + 30
    while any(_alive(p) for p in started) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [p for p in started if _alive(p)] == []
