"""The workloads every overlay renders, read as Kubernetes will read them: restricted pods
with limits and probes, the outbox on a volume of its own, one ServiceAccount, PDB and HPA
per service, the watcher on its own, labels that keep overlays apart, and every Secret and
ConfigMap a pod mounts either rendered or documented."""

from __future__ import annotations

import base64
import copy
import inspect
import tomllib
from pathlib import Path

import pytest
import yaml
from deploy_support import (
    DEPLOY,
    OVERLAYS,
    PROBES,
    Obj,
    container_problems,
    containers,
    environment,
    labels_of,
    named,
    of_kind,
    pod_labels,
    pod_spec,
    render,
    selects,
    workloads,
    writable_mounts,
)

from deskbridge.events.publisher import EventPublisher
from deskbridge.runtime.nats import drain_nats
from deskbridge.runtime.settings import load_backends_file

SERVICES = ("tickets", "identity", "knowledge", "approvals")
NAMESPACES = {"dev": "deskbridge-dev", "prod": "deskbridge"}
EXAMPLE_SECRETS = DEPLOY / "examples" / "secrets"


def deskbridge(objects: list[Obj]) -> dict[str, Obj]:
    """component → the Deskbridge workload."""
    return {
        labels_of(w)["app.kubernetes.io/component"]: w for w in workloads(objects, "deskbridge")
    }


def example_secrets() -> dict[str, dict[str, str]]:
    """Secret name → its keys and values, from deploy/examples/secrets."""
    return {
        s["metadata"]["name"]: {k: base64.b64decode(v).decode() for k, v in s["data"].items()}
        for s in of_kind(render(EXAMPLE_SECRETS), "Secret")
    }


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_container_is_restricted_with_limits_and_probes(rendered, overlay):
    objects = rendered[overlay]
    assert sorted(deskbridge(objects)) == sorted((*SERVICES, "watcher"))
    assert len(workloads(objects, "nats")) == 1
    assert container_problems(objects) == []


@pytest.mark.parametrize(
    ("app", "break_it", "expected"),
    [
        ("deskbridge", lambda c: c.pop("securityContext"), "allowPrivilegeEscalation"),
        ("deskbridge", lambda c: c["securityContext"].pop("readOnlyRootFilesystem"), "root"),
        ("deskbridge", lambda c: c.pop("livenessProbe"), "no livenessProbe"),
        ("deskbridge", lambda c: c.pop("startupProbe"), "no startupProbe"),
        ("deskbridge", lambda c: c["resources"]["limits"].pop("cpu"), "no limits for cpu"),
        ("nats", lambda c: c["securityContext"]["capabilities"].pop("drop"), "drop ALL"),
        ("nats", lambda c: c.pop("readinessProbe"), "no readinessProbe"),
        ("nats", lambda c: c["resources"].pop("limits"), "no limits for memory"),
    ],
)
def test_a_container_that_loses_its_context_probes_or_limits_fails_the_check(
    rendered, app, break_it, expected
):
    objects = copy.deepcopy(rendered["prod"])
    workload = workloads(objects, app)[0]
    container = pod_spec(workload)["containers"][0]
    break_it(container)
    problems = container_problems(objects)
    where = f"{workload['metadata']['name']}/{container['name']}"
    assert any(p.startswith(where) and expected in p for p in problems), problems


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_overlay_has_its_namespace_and_it_enforces_pod_security_restricted(rendered, overlay):
    objects = rendered[overlay]
    namespace = named(objects, "Namespace", NAMESPACES[overlay])
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    for o in objects:
        if o["kind"] != "Namespace":
            assert o["metadata"]["namespace"] == NAMESPACES[overlay], o["metadata"]["name"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_outbox_is_on_a_volume_each_pod_keeps(rendered, overlay):
    objects = rendered[overlay]
    for component, workload in deskbridge(objects).items():
        spec = workload["spec"]
        assert workload["kind"] == "StatefulSet", component
        assert spec["podManagementPolicy"] == "Parallel"
        assert spec["persistentVolumeClaimRetentionPolicy"] == {
            "whenDeleted": "Retain",
            "whenScaled": "Retain",
        }
        (container,) = pod_spec(workload)["containers"]
        outbox = environment(objects, container)["DESKBRIDGE_OUTBOX_DIR"]
        mounts = writable_mounts(workload, container)
        holding = [path for path in mounts if outbox == path or outbox.startswith(path + "/")]
        assert [mounts[path] for path in holding] == ["volumeClaimTemplate"], (component, mounts)
        # nothing else writable but scratch space
        assert set(mounts.values()) <= {"volumeClaimTemplate", "emptyDir"}, (component, mounts)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_a_pod_gets_the_time_its_shutdown_needs(rendered, overlay):
    # SIGTERM: in-flight RPCs get DESKBRIDGE_SHUTDOWN_GRACE_SECONDS, then the outbox's last
    # drain (its own bound, or up to that grace when the runtime passes it), then draining
    # and closing the NATS connection (each bounded by drain_nats's grace)
    drain = inspect.signature(EventPublisher.close).parameters["grace"].default
    nats = 2 * inspect.signature(drain_nats).parameters["grace"].default
    objects = rendered[overlay]
    for component, workload in deskbridge(objects).items():
        (container,) = pod_spec(workload)["containers"]
        grace = float(environment(objects, container)["DESKBRIDGE_SHUTDOWN_GRACE_SECONDS"])
        needed = grace + max(drain, grace) + nats
        assert pod_spec(workload)["terminationGracePeriodSeconds"] > needed, component


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_workload_has_its_own_service_account_without_a_token(rendered, overlay):
    objects = rendered[overlay]
    accounts = {a["metadata"]["name"]: a for a in of_kind(objects, "ServiceAccount")}
    used = []
    for workload in workloads(objects):
        spec = pod_spec(workload)
        name = spec["serviceAccountName"]
        used.append(name)
        assert accounts[name]["automountServiceAccountToken"] is False
        assert spec["automountServiceAccountToken"] is False
    assert len(used) == len(set(used)) == 6


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_service_has_its_own_pdb_and_cpu_autoscaler(rendered, overlay):
    objects = rendered[overlay]
    pdbs = of_kind(objects, "PodDisruptionBudget")
    hpas = of_kind(objects, "HorizontalPodAutoscaler")
    every = workloads(objects)
    for workload in every:
        name = workload["metadata"]["name"]
        mine = [p for p in pdbs if selects(p["spec"]["selector"], pod_labels(workload))]
        assert len(mine) == 1, name
        others = [w for w in every if selects(mine[0]["spec"]["selector"], pod_labels(w))]
        assert others == [workload], f"{mine[0]['metadata']['name']} spans workloads"
        scaling = [h for h in hpas if h["spec"]["scaleTargetRef"]["name"] == name]
        component = labels_of(workload)["app.kubernetes.io/component"]
        if component not in SERVICES:  # the watcher (one lease holder) and NATS (a quorum)
            assert scaling == [], name
            continue
        (hpa,) = scaling
        assert hpa["apiVersion"] == "autoscaling/v2"
        assert hpa["spec"]["scaleTargetRef"]["kind"] == "StatefulSet"
        assert [m["resource"]["name"] for m in hpa["spec"]["metrics"]] == ["cpu"]
        assert 1 <= hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]
        # the autoscaler owns the replicas: a manifest that set them would reset its work
        assert "replicas" not in workload["spec"], name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_statefulset_has_a_headless_service_and_clients_a_service_with_metrics(
    rendered, overlay
):
    objects = rendered[overlay]
    services = of_kind(objects, "Service")
    for workload in workloads(objects):
        name = workload["metadata"]["name"]
        headless = named(objects, "Service", workload["spec"]["serviceName"])
        assert headless["spec"]["clusterIP"] == "None"
        assert selects({"matchLabels": headless["spec"]["selector"]}, pod_labels(workload))
        ports = {p["name"] for c in pod_spec(workload)["containers"] for p in c.get("ports", [])}
        for service in services:
            if selects({"matchLabels": service["spec"]["selector"]}, pod_labels(workload)):
                targets = {p["targetPort"] for p in service["spec"]["ports"]}
                assert targets <= ports, (service["metadata"]["name"], targets, ports)
        if labels_of(workload)["app.kubernetes.io/name"] == "deskbridge":
            client = named(objects, "Service", name)
            assert client["spec"].get("clusterIP") != "None"
            by_name = {p["name"]: p["port"] for p in client["spec"]["ports"]}
            assert by_name["grpc"] == 50051 and by_name["metrics"] == 9464, name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_workload_is_labelled_as_itself_and_spread(rendered, overlay):
    objects = rendered[overlay]
    seen = set()
    for workload in workloads(objects):
        labels = pod_labels(workload)
        keys = ("name", "component", "part-of", "instance")
        assert all(f"app.kubernetes.io/{k}" in labels for k in keys), labels
        assert labels["app.kubernetes.io/instance"] == f"deskbridge-{overlay}"
        identity = (labels["app.kubernetes.io/name"], labels["app.kubernetes.io/component"])
        assert identity not in seen
        seen.add(identity)
        spread = pod_spec(workload)["topologySpreadConstraints"]
        assert {c["topologyKey"] for c in spread} == {
            "kubernetes.io/hostname",
            "topology.kubernetes.io/zone",
        }
        for constraint in spread:  # counts only this workload's pods of this overlay
            keys_matched = set(constraint.get("matchLabelKeys", []))
            assert selects(constraint["labelSelector"], labels)
            assert "app.kubernetes.io/instance" in keys_matched


def selectors(objects: list[Obj]) -> list[tuple[str, Obj]]:
    """Every pod selector of the overlay: Services, workloads, PDBs, NetworkPolicies."""
    found = []
    for o in objects:
        where = f"{o['kind']}/{o['metadata']['name']}"
        if o["kind"] == "Service":
            found.append((where, {"matchLabels": o["spec"]["selector"]}))
        elif o["kind"] in ("StatefulSet", "PodDisruptionBudget"):
            found.append((where, o["spec"]["selector"]))
        elif o["kind"] == "NetworkPolicy" and o["spec"]["podSelector"]:
            found.append((where, o["spec"]["podSelector"]))
    return found


def test_dev_and_prod_never_select_each_others_pods_even_in_one_namespace(rendered):
    for mine, theirs in (("dev", "prod"), ("prod", "dev")):
        pods = [pod_labels(w) for w in workloads(rendered[theirs])]
        for where, selector in selectors(rendered[mine]):
            assert not any(selects(selector, labels) for labels in pods), (mine, where)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_images_come_from_the_overlays_image_entry(rendered, overlay):
    kustomization = yaml.safe_load(
        (DEPLOY / "overlays" / overlay / "kustomization.yaml").read_text()
    )
    (entry,) = [i for i in kustomization["images"] if i["name"] == "deskbridge"]
    for workload, container in containers(rendered[overlay]):
        image = container["image"]
        repository, _, tag = image.rpartition(":")
        assert repository and tag and tag != "latest", image
        if labels_of(workload)["app.kubernetes.io/name"] == "deskbridge":
            assert image == f"{entry['newName']}:{entry['newTag']}"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_watcher_runs_alone_with_a_standby_and_its_webhook_service(rendered, overlay):
    objects = rendered[overlay]
    watcher = deskbridge(objects)["watcher"]
    (container,) = pod_spec(watcher)["containers"]
    env = environment(objects, container)
    assert container["args"] == ["watch"]
    assert env["DESKBRIDGE_WEBHOOK_ADDRESS"] == "0.0.0.0:8090"
    assert env["DESKBRIDGE_GRPC_ADDRESS"].rpartition(":")[0] == "0.0.0.0"
    if overlay == "prod":
        assert watcher["spec"]["replicas"] == 2  # one lease holder, one standby
    intake = [
        s for s in of_kind(objects, "Service") if any(p["port"] == 8090 for p in s["spec"]["ports"])
    ]
    assert [s["metadata"]["name"] for s in intake] == ["deskbridge-webhooks"]
    assert selects({"matchLabels": intake[0]["spec"]["selector"]}, pod_labels(watcher))
    for component, other in deskbridge(objects).items():
        if component != "watcher":
            assert not selects({"matchLabels": intake[0]["spec"]["selector"]}, pod_labels(other))
            assert "watch" not in pod_spec(other)["containers"][0]["args"]


def references(objects: list[Obj]) -> tuple[set[str], dict[str, set[str]]]:
    """ConfigMap names, and Secret name → the keys read (empty: the whole Secret)."""
    config_maps: set[str] = set()
    secrets: dict[str, set[str]] = {}
    for workload, container in containers(objects):
        for source in container.get("envFrom", []):
            config_maps.add(source["configMapRef"]["name"])
        for env in container.get("env", []):
            ref = env.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                secrets.setdefault(ref["name"], set()).add(ref["key"])
        for volume in pod_spec(workload).get("volumes", []):
            sources = volume.get("projected", {}).get("sources", [volume])
            for source in sources:
                if "configMap" in source:
                    config_maps.add(source["configMap"]["name"])
                secret = source.get("secret")
                if secret:
                    name = secret.get("secretName") or secret["name"]
                    keys = {item["key"] for item in secret.get("items", [])}
                    secrets.setdefault(name, set()).update(keys)
    return config_maps, secrets


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_mounted_config_is_rendered_and_every_secret_is_made_or_has_an_example(
    rendered, overlay
):
    objects = rendered[overlay]
    config_maps, secrets = references(objects)
    assert config_maps <= {c["metadata"]["name"] for c in of_kind(objects, "ConfigMap")}
    by_cert_manager = {c["spec"]["secretName"] for c in of_kind(objects, "Certificate")}
    examples = example_secrets()
    for name, keys in secrets.items():
        if name in by_cert_manager:
            assert keys <= {"tls.crt", "tls.key", "ca.crt"}, name
            continue
        assert name in examples, f"{name}: neither rendered nor in {EXAMPLE_SECRETS}"
        assert keys <= set(examples[name]), (name, keys)


def test_the_example_secrets_values_work_as_environment_variables():
    # the NATS user and password reach nats-server and Deskbridge through env: a trailing
    # newline from an editor would be part of the value
    for name, data in example_secrets().items():
        for key, value in data.items():
            assert value == value.strip(), (name, key)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_overlay_names_its_backends_and_their_credentials_are_in_the_secret(
    rendered, overlay, tmp_path
):
    objects = rendered[overlay]
    (config,) = [c for c in of_kind(objects, "ConfigMap") if "deskbridge.toml" in c["data"]]
    text = config["data"]["deskbridge.toml"]
    workload = deskbridge(objects)["tickets"]
    (container,) = pod_spec(workload)["containers"]
    (mount,) = [
        m["mountPath"] for m in container["volumeMounts"] if m["name"] == "vendor-credentials"
    ]
    # the example Secret's files where the pod mounts them, then the real settings parser
    secret_dir = tmp_path / "secrets"
    secret_dir.mkdir()
    for key, value in example_secrets()["deskbridge-vendor-credentials"].items():
        (secret_dir / key).write_text(value)
    path = tmp_path / "deskbridge.toml"
    path.write_text(text.replace(mount + "/", f"{secret_dir}/"))
    backends = load_backends_file(path, {})
    assert backends and all(b.base_url.startswith("https://") for b in backends)
    assert all(b.credentials for b in backends)
    other = "prod" if overlay == "dev" else "dev"
    assert tomllib.loads(text) != tomllib.loads(
        (DEPLOY / "overlays" / other / "deskbridge.toml").read_text()
    )


def test_probes_are_grpc_on_the_api_port_in_dev():
    objects = render(DEPLOY / "overlays" / "dev")
    for workload in workloads(objects, "deskbridge"):
        (container,) = pod_spec(workload)["containers"]
        for probe in PROBES:
            assert container[probe]["grpc"]["port"] == 50051, (workload["metadata"]["name"], probe)


def test_the_kustomize_tree_holds_no_file_nothing_uses():
    # a manifest left behind (like the old one-PDB-for-all) would look applied but is not
    trees = [DEPLOY / d for d in ("base", "components", "nats", "overlays", "examples")]
    used: set[Path] = set()
    for kustomization in (k for tree in trees for k in tree.rglob("kustomization.yaml")):
        document = yaml.safe_load(kustomization.read_text())
        here = kustomization.parent
        used.add(kustomization)
        for key in ("resources", "components"):
            used.update((here / r).resolve() for r in document.get(key, []))
        for patch in document.get("patches", []):
            if "path" in patch:
                used.add((here / patch["path"]).resolve())
        for generator in document.get("configMapGenerator", []) + document.get(
            "secretGenerator", []
        ):
            used.update((here / f.rpartition("=")[2]).resolve() for f in generator.get("files", []))
    documented = {DEPLOY / "nats" / "values.yaml", DEPLOY / "examples" / "ca-issuer.yaml"}
    for path in (p for tree in trees for p in tree.rglob("*")):
        if path.suffix in (".yaml", ".conf", ".toml") and path not in documented:
            assert path.resolve() in used, f"{path.relative_to(DEPLOY)} is used by no kustomization"
