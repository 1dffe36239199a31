import subprocess
import sys
from pathlib import Path

import httpx

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_python_dash_m_simulator_serves_on_the_port_it_announces():
    process = subprocess.Popen(
        [sys.executable, "-m", "simulator", "--port", "0", "--api-key", "X", "--no-stream-usage"],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        announcement = process.stdout.readline()
        base_url = announcement.rsplit(" ", 1)[-1].strip()

        reply = httpx.get(f"{base_url}/models", headers={"Authorization": "Bearer X"}, timeout=10)

        assert reply.status_code == 200
        assert reply.json()["object"] == "list"
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
    assert process.returncode == 0
