"""deploy/flink/ Kubernetes manifests: valid YAML, standard kinds valid against the Kubernetes
schemas (kubernetes-validate), the Flink operator's FlinkDeployment checked for the fields the
operator requires, and the pieces wired to each other and to the versions newsbeam runs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipelines.runners import FLINK_VERSION

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "flink"
K8S_VERSION = "1.30.0"


def documents() -> list[tuple[str, dict]]:
    docs = []
    for path in sorted(DEPLOY.glob("*.yaml")):
        docs += [(path.name, doc) for doc in yaml.safe_load_all(path.read_text()) if doc]
    return docs


def by_kind(kind: str) -> list[dict]:
    return [doc for _, doc in documents() if doc.get("kind") == kind]


def test_every_manifest_parses_and_names_its_kind():
    docs = documents()
    assert {name for name, _ in docs} >= {"flink-session.yaml", "job-server.yaml", "storage.yaml",
                                          "kustomization.yaml", "submit-job.yaml"}
    assert all(doc.get("apiVersion") and doc.get("kind") for _, doc in docs)


def test_standard_kinds_are_valid_against_the_kubernetes_schemas():
    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    checked = 0
    for name, doc in documents():
        if doc["kind"] in ("FlinkDeployment", "Kustomization"):
            continue  # custom resources: no schema ships with kubernetes-validate (checked below)
        try:
            kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            pytest.fail(f"{name} {doc['kind']}/{doc['metadata']['name']}: {exc.message} at {list(exc.path)}")
        checked += 1
    assert checked >= 7


def test_flink_deployment_has_what_the_operator_requires_and_our_flink_version():
    (flink,) = by_kind("FlinkDeployment")
    assert flink["apiVersion"] == "flink.apache.org/v1beta1"
    spec = flink["spec"]
    assert spec["flinkVersion"] == "v" + FLINK_VERSION.replace(".", "_")
    assert spec["image"].startswith(f"flink:{FLINK_VERSION}")
    for role in ("jobManager", "taskManager"):
        assert {"memory", "cpu"} <= set(spec[role]["resource"])
    containers = {c["name"]: c for c in spec["taskManager"]["podTemplate"]["spec"]["containers"]}
    assert containers["beam-worker-pool"]["args"] == ["--worker_pool"]  # EXTERNAL environment localhost:50000
    assert containers["beam-worker-pool"]["ports"][0]["containerPort"] == 50000


def test_job_server_submits_to_the_session_cluster_and_its_service_selects_it():
    (flink,) = by_kind("FlinkDeployment")
    (deployment,) = by_kind("Deployment")
    services = {s["metadata"]["name"]: s for s in by_kind("Service")}
    pod = deployment["spec"]["template"]
    args = pod["spec"]["containers"][0]["args"]
    # The operator exposes a session cluster's REST endpoint as service <name>-rest on 8081.
    assert f"--flink-master={flink['metadata']['name']}-rest:8081" in args
    service = services["newsbeam-job-server"]
    assert service["spec"]["selector"].items() <= pod["metadata"]["labels"].items()
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
    ports = {p["name"] for p in pod["spec"]["containers"][0]["ports"]}
    assert {p["targetPort"] for p in service["spec"]["ports"]} <= ports
    assert "--job-port=8099" in args and any(p["port"] == 8099 for p in service["spec"]["ports"])


def claim_names(node: object) -> set[str]:
    """Every persistentVolumeClaim.claimName anywhere in a manifest."""
    if isinstance(node, dict):
        found = {node["persistentVolumeClaim"]["claimName"]} if "persistentVolumeClaim" in node else set()
        return found.union(*(claim_names(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(claim_names(v) for v in node))
    return set()


def test_claims_used_are_declared_and_kustomization_lists_the_files():
    declared = {c["metadata"]["name"] for c in by_kind("PersistentVolumeClaim")}
    used = set().union(*(claim_names(doc) for _, doc in documents()))
    assert used and used <= declared
    (kustomization,) = by_kind("Kustomization")
    assert all((DEPLOY / name).is_file() for name in kustomization["resources"])
