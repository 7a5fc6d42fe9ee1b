"""Offline validation of every rendered object, as CI and a platform team run it: the
Kubernetes schemas (kubernetes-validate --strict, the oldest and newest versions we support)
and checkov's policies (scripts/check-deploy.sh, checkov from its own venv)."""

from __future__ import annotations

import re
import shutil
import subprocess

import kubernetes_validate
import pytest
import yaml
from deploy_support import DEPLOY, OVERLAYS, ROOT, Obj, named, pod_spec, render, selects, workloads
from kubernetes_validate.utils import SchemaNotFoundError

# Oldest: the first release with StatefulSet PVC retention and topology-spread matchLabelKeys
# on by default (both beta, enabled); newest: what kubernetes-validate knows.
VERSIONS = ("1.30.0", kubernetes_validate.utils.latest_version())
# Custom resources have no schema in kubernetes-validate; their operators validate them.
CRDS = {("cert-manager.io/v1", "Certificate"), ("monitoring.coreos.com/v1", "PodMonitor")}


def validate(objects: list[Obj], version: str) -> list[tuple[str, str]]:
    """Validate every object; the (apiVersion, kind) of those without a schema."""
    unknown = []
    for o in objects:
        try:
            kubernetes_validate.validate(o, version, strict=True)
        except SchemaNotFoundError:
            unknown.append((o["apiVersion"], o["kind"]))
        except kubernetes_validate.ValidationError as error:
            path = ".".join(str(p) for p in error.path)
            pytest.fail(f"{o['kind']}/{o['metadata']['name']} on {version}: {path}: {error}")
    return unknown


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_object_is_valid_kubernetes_and_only_crds_are_skipped(rendered, overlay, version):
    assert set(validate(rendered[overlay], version)) <= CRDS


def test_strict_validation_catches_a_misspelt_field(rendered):
    broken = [dict(o) for o in rendered["prod"] if o["kind"] == "Service"][:1]
    broken[0]["spec"] = {**broken[0]["spec"], "selctor": {}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken[0], VERSIONS[0], strict=True)


def test_the_pod_monitor_component_scrapes_every_deskbridge_pod(tmp_path):
    # the optional component added to prod's components, as a team would
    deploy = tmp_path / "deploy"
    shutil.copytree(DEPLOY, deploy)
    overlay = deploy / "overlays" / "prod" / "kustomization.yaml"
    document = yaml.safe_load(overlay.read_text())
    document["components"].append("../../components/pod-monitor")
    overlay.write_text(yaml.safe_dump(document))
    objects = render(overlay.parent)
    assert ("monitoring.coreos.com/v1", "PodMonitor") in validate(objects, VERSIONS[-1])
    monitor = named(objects, "PodMonitor", "deskbridge")
    assert monitor["metadata"]["namespace"] == "deskbridge"
    (endpoint,) = monitor["spec"]["podMetricsEndpoints"]
    for workload in workloads(objects, "deskbridge"):
        labels = workload["spec"]["template"]["metadata"]["labels"]
        assert selects(monitor["spec"]["selector"], labels)
        (container,) = pod_spec(workload)["containers"]
        assert endpoint["port"] in {p["name"] for p in container["ports"]}
    for workload in workloads(objects, "nats"):
        assert not selects(
            monitor["spec"]["selector"], workload["spec"]["template"]["metadata"]["labels"]
        )


def test_checkov_passes_every_overlay_with_its_skips_justified():
    # first run installs checkov into .venv-tools/checkov (about a minute), later runs reuse it
    result = subprocess.run(
        [str(ROOT / "scripts" / "check-deploy.sh")],
        capture_output=True,
        text=True,
        timeout=115,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    summaries = re.findall(
        r"== checkov: (\w+)\s+kubernetes scan results:\s+"
        r"Passed checks: (\d+), Failed checks: (\d+), Skipped checks: (\d+)",
        result.stdout,
    )
    assert [s[0] for s in summaries] == sorted(OVERLAYS)
    for overlay, passed, failed, skipped in summaries:
        assert int(passed) > 400 and int(failed) == 0, (overlay, passed, failed, skipped)
    script = (ROOT / "scripts" / "check-deploy.sh").read_text()
    for check in re.findall(r"^\s+(CKV\w+)\s*$", script, flags=re.M):
        # every skip for all objects is explained in the comment just above it
        assert re.search(rf"#\s*{check} \"[^\"]+\": \S", script), check
