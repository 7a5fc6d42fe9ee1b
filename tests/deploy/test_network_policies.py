"""What the rendered NetworkPolicies let through, connection by connection: deny by default,
and only clients → gRPC, Deskbridge → NATS, DNS and vendors' HTTPS, NATS ↔ NATS routes,
Prometheus → metrics and vendors → the webhook intake."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from deploy_support import OVERLAYS, Obj, Peer, allowed, labels_of, of_kind, pod_labels, workloads

NAMESPACES = {"dev": "deskbridge-dev", "prod": "deskbridge"}
VENDOR = "203.0.113.10"  # an address outside the cluster (TEST-NET-3)


def pods(objects: list[Obj], namespace: str) -> dict[str, Peer]:
    """component → a pod of that workload, as the policies see it."""
    namespace_labels = {"kubernetes.io/metadata.name": namespace}
    return {
        labels_of(w)["app.kubernetes.io/component"]: Peer(
            pod_labels(w), namespace, namespace_labels
        )
        for w in workloads(objects)
    }


def other_pod(namespace: str, **labels: str) -> Peer:
    return Peer(labels, namespace, {"kubernetes.io/metadata.name": namespace})


@dataclass(frozen=True)
class Cluster:
    """One overlay's policies, a pod of each of its workloads, and its namespace."""

    policies: list[Obj]
    pods: dict[str, Peer]
    namespace: str


@pytest.fixture(params=OVERLAYS)
def cluster(request, rendered) -> Cluster:
    objects = rendered[request.param]
    namespace = NAMESPACES[request.param]
    return Cluster(of_kind(objects, "NetworkPolicy"), pods(objects, namespace), namespace)


def test_deskbridge_reaches_nats_dns_and_vendors_and_nothing_else(cluster):
    policies, pod = cluster.policies, cluster.pods
    dns = Peer(
        {"k8s-app": "kube-dns"}, "kube-system", {"kubernetes.io/metadata.name": "kube-system"}
    )
    vendor = Peer({}, "", {}, ip=VENDOR)
    for component in ("tickets", "identity", "knowledge", "approvals", "watcher"):
        me = pod[component]
        assert allowed(policies, me, pod["nats"], 4222), component
        assert allowed(policies, me, dns, 53), component
        assert allowed(policies, me, vendor, 443), component
        assert not allowed(policies, me, pod["nats"], 6222), component
        assert not allowed(policies, me, pod["nats"], 8222), component
        assert not allowed(policies, me, vendor, 80), component
        assert not allowed(policies, me, pod["identity"], 50051), component


def test_only_labelled_clients_call_grpc(cluster):
    policies, pod, namespace = cluster.policies, cluster.pods, cluster.namespace
    client = other_pod(namespace, **{"deskbridge.io/client": "true"})
    stranger = other_pod(namespace, app="something-else")
    elsewhere = Peer({}, "team-a", {"kubernetes.io/metadata.name": "team-a"})
    client_namespace = Peer(
        {}, "team-b", {"kubernetes.io/metadata.name": "team-b", "deskbridge.io/client": "true"}
    )
    for component in ("tickets", "identity", "knowledge", "approvals", "watcher"):
        assert allowed(policies, client, pod[component], 50051), component
        assert allowed(policies, client_namespace, pod[component], 50051), component
        assert not allowed(policies, stranger, pod[component], 50051), component
        assert not allowed(policies, elsewhere, pod[component], 50051), component
        assert not allowed(policies, client, pod[component], 9464), component


def test_prometheus_scrapes_metrics(cluster):
    policies, pod = cluster.policies, cluster.pods
    prometheus = Peer(
        {"app.kubernetes.io/name": "prometheus"},
        "monitoring",
        {"kubernetes.io/metadata.name": "monitoring"},
    )
    for component in ("tickets", "identity", "knowledge", "approvals", "watcher"):
        assert allowed(policies, prometheus, pod[component], 9464), component
        assert not allowed(policies, prometheus, pod[component], 50051), component


def test_vendors_reach_the_webhook_intake_and_only_it(cluster):
    policies, pod = cluster.policies, cluster.pods
    vendor = Peer({}, "", {}, ip=VENDOR)
    ingress_controller = Peer(
        {"app": "ingress-nginx"}, "ingress", {"kubernetes.io/metadata.name": "ingress"}
    )
    for source in (vendor, ingress_controller):
        assert allowed(policies, source, pod["watcher"], 8090)
        assert not allowed(policies, source, pod["tickets"], 8090)
        assert not allowed(policies, source, pod["watcher"], 50051)
        assert not allowed(policies, source, pod["nats"], 4222)


def test_nats_takes_clients_and_its_peers_and_reaches_only_its_peers(cluster):
    policies, pod, namespace = cluster.policies, cluster.pods, cluster.namespace
    consumer = other_pod(namespace, **{"deskbridge.io/client": "true"})
    assert allowed(policies, pod["nats"], pod["nats"], 6222)
    assert allowed(policies, consumer, pod["nats"], 4222)
    assert not allowed(policies, other_pod(namespace), pod["nats"], 4222)
    assert not allowed(policies, pod["nats"], Peer({}, "", {}, ip=VENDOR), 443)
    assert not allowed(policies, pod["nats"], pod["tickets"], 50051)


def test_a_pod_nobody_allowed_is_denied_both_ways(cluster):
    policies, pod, namespace = cluster.policies, cluster.pods, cluster.namespace
    newcomer = other_pod(namespace, app="newcomer")
    assert not allowed(policies, newcomer, Peer({}, "", {}, ip=VENDOR), 443)
    assert not allowed(policies, pod["tickets"], newcomer, 8080)
