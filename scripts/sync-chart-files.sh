#!/usr/bin/env bash
# Copies the generated CRDs (crds/*.yml, made from the operator's Java types) into the operator chart's
# crds/ directory, which Helm installs before the templates. Run it after regenerating the CRDs and commit
# the result; OperatorChartTest fails while the two copies differ.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
shopt -s nullglob
crds=(crds/*.yml)
[ ${#crds[@]} -gt 0 ] || { echo "no crds/*.yml yet: build the operator module first" >&2; exit 1; }
mkdir -p charts/storage-element-operator/crds
rm -f charts/storage-element-operator/crds/*.yml
cp "${crds[@]}" charts/storage-element-operator/crds/
echo "copied ${#crds[@]} CRD file(s) into charts/storage-element-operator/crds/"
